package io.fxflink.contracts.link;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.util.Map;
import java.util.Optional;

/**
 * A service as the router and executor see it: whether it runs, how it is triggered, and its
 * deployable versions.
 *
 * @param version config version, increases with every change (staleness check)
 * @param schedule optional cron expression (validated by the manager, which owns the cron dialect)
 * @param defaultVersion version for manual and scheduled runs; must be one of {@code versions}
 */
public record ServiceConfig(
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) String project,
        @JsonProperty(required = true) boolean active,
        boolean allowManualTriggering,
        String schedule,
        String defaultVersion,
        Map<String, ServiceVersionSpec> versions)
        implements LinkTopicValue {

    public static final int MAX_VERSIONS = 256;

    public ServiceConfig {
        Checks.name(service, "service");
        Checks.range(version, 1, Long.MAX_VALUE, "version");
        Checks.id(project, "project");
        Checks.optionalText(schedule, "schedule", 256);
        versions = Checks.map(versions, "versions", MAX_VERSIONS);
        for (String v : versions.keySet()) {
            Checks.name(v, "versions key");
        }
        if (defaultVersion != null && !versions.containsKey(defaultVersion)) {
            throw new IllegalArgumentException(
                    "field 'defaultVersion' names version '"
                            + defaultVersion
                            + "' which is not in 'versions'");
        }
    }

    @Override
    public LinkTopicKey key() {
        return LinkTopicKey.service(service);
    }

    public Optional<ServiceVersionSpec> spec(String serviceVersion) {
        return Optional.ofNullable(versions.get(serviceVersion));
    }
}
