package io.fxflink.contracts.link;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;

/** One service version and its share of a link's traffic (weights are relative). */
public record WeightedVersion(
        @JsonProperty(required = true) String version, @JsonProperty(required = true) int weight) {
    public static final int MAX_WEIGHT = 10_000;

    public WeightedVersion {
        Checks.name(version, "version");
        Checks.range(weight, 1, MAX_WEIGHT, "weight");
    }
}
