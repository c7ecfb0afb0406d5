package io.fxflink.manager.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.WeightedVersion;
import java.time.Instant;
import java.util.List;

/** A link as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkView(
        String id,
        long version,
        String project,
        String eventType,
        String match,
        String filter,
        String service,
        String serviceVersion,
        List<WeightedVersion> weightedVersions,
        boolean enabled,
        String origin,
        Instant updatedAt) {

    static LinkView of(LinkRepository.StoredLink s) {
        Link l = s.link();
        return new LinkView(
                l.id(),
                l.version(),
                l.project(),
                l.eventType(),
                l.match().name(),
                l.filter(),
                l.service(),
                l.serviceVersion(),
                l.weightedVersions(),
                l.enabled(),
                s.origin(),
                l.updatedAt());
    }
}
