package io.fxflink.contracts.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fxflink.contracts.internal.Checks;
import java.time.Instant;
import java.util.Map;

/** One metric sample, e.g. {@code fx.executor.queue.depth{service=a} = 3}. */
public record MetricRecord(
        @JsonProperty(required = true) String name,
        Map<String, String> tags,
        @JsonProperty(required = true) double value,
        @JsonProperty(required = true) Instant time) {

    public MetricRecord {
        Checks.id(name, "name");
        tags = Checks.map(tags, "tags", 32);
        for (String v : tags.values()) {
            Checks.optionalAttribute(v, "tags value", Checks.MAX_ID_CHARS);
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("field 'value' must be a finite number");
        }
        Checks.time(time, "time");
    }
}
