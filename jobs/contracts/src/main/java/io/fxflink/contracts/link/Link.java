package io.fxflink.contracts.link;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Late link from an event type to a service. The target is either one {@code serviceVersion} or
 * {@code weightedVersions} (exactly one of them is set).
 *
 * @param version increases with every change of this link; older versions are ignored
 * @param filter optional CloudEvents SQL expression, validated on construction
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Link(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) String project,
        @JsonProperty(required = true) String eventType,
        @JsonProperty(required = true) MatchType match,
        String filter,
        @JsonProperty(required = true) String service,
        String serviceVersion,
        List<WeightedVersion> weightedVersions,
        @JsonProperty(required = true) boolean enabled,
        @JsonProperty(required = true) Instant updatedAt)
        implements LinkTopicValue {

    public static final int MAX_WEIGHTED_VERSIONS = 16;

    public Link {
        Checks.id(id, "id");
        Checks.range(version, 1, Long.MAX_VALUE, "version");
        Checks.id(project, "project");
        Checks.id(eventType, "eventType");
        Checks.required(match, "match");
        if (filter != null) {
            CesqlFilters.parse(filter);
        }
        Checks.name(service, "service");
        if (serviceVersion != null) {
            Checks.name(serviceVersion, "serviceVersion");
        }
        weightedVersions =
                weightedVersions == null
                        ? null
                        : Checks.list(weightedVersions, "weightedVersions", MAX_WEIGHTED_VERSIONS);
        boolean single = serviceVersion != null;
        boolean weighted = weightedVersions != null && !weightedVersions.isEmpty();
        if (single == weighted) {
            throw new IllegalArgumentException(
                    "exactly one of 'serviceVersion' and 'weightedVersions' must be set");
        }
        if (weighted) {
            Set<String> seen = new HashSet<>();
            for (WeightedVersion wv : weightedVersions) {
                if (!seen.add(wv.version())) {
                    throw new IllegalArgumentException(
                            "field 'weightedVersions' lists version '" + wv.version() + "' twice");
                }
            }
        } else {
            weightedVersions = null;
        }
        Checks.required(updatedAt, "updatedAt");
    }

    /** A link to one version. */
    public static Link toVersion(
            String id,
            long version,
            String project,
            String eventType,
            MatchType match,
            String filter,
            String service,
            String serviceVersion,
            boolean enabled,
            Instant updatedAt) {
        return new Link(
                id,
                version,
                project,
                eventType,
                match,
                filter,
                service,
                serviceVersion,
                null,
                enabled,
                updatedAt);
    }

    @Override
    public LinkTopicKey key() {
        return LinkTopicKey.link(id);
    }

    /** Whether an event of this type is routed by this link (ignores {@code enabled}/filter). */
    public boolean matchesType(String type) {
        return type != null && match.matches(eventType, type);
    }

    /**
     * The version one execution runs. Weighted picks depend only on the execution id, so a replay
     * of the same trigger picks the same version.
     */
    public String pickVersion(String executionId) {
        if (serviceVersion != null) {
            return serviceVersion;
        }
        int total = 0;
        for (WeightedVersion wv : weightedVersions) {
            total += wv.weight();
        }
        int bucket = Math.floorMod(executionId.hashCode(), total);
        for (WeightedVersion wv : weightedVersions) {
            bucket -= wv.weight();
            if (bucket < 0) {
                return wv.version();
            }
        }
        throw new IllegalStateException("unreachable: weights of link " + id);
    }

    /** All versions this link may route to. */
    @JsonIgnore
    public List<String> targetVersions() {
        return serviceVersion != null
                ? List.of(serviceVersion)
                : weightedVersions.stream().map(WeightedVersion::version).toList();
    }
}
