package io.fxflink.manager.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A service as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceView(
        String name,
        String project,
        boolean active,
        String defaultVersion,
        List<VersionView> versions,
        Instant createdAt,
        Instant updatedAt) {

    /** One version of a service. */
    public record VersionView(
            String version,
            String sha256,
            String packageKey,
            long sizeBytes,
            Manifest manifest,
            Instant createdAt) {
        static VersionView of(ServiceRepository.VersionRow v) {
            return new VersionView(
                    v.version(),
                    v.sha256(),
                    v.packageKey(),
                    v.sizeBytes(),
                    v.manifest(),
                    v.createdAt());
        }
    }

    static ServiceView of(ServiceRepository.ServiceRow s, List<ServiceRepository.VersionRow> vs) {
        return new ServiceView(
                s.name(),
                s.project(),
                s.active(),
                s.defaultVersion(),
                vs == null ? null : vs.stream().map(VersionView::of).toList(),
                s.createdAt(),
                s.updatedAt());
    }
}
