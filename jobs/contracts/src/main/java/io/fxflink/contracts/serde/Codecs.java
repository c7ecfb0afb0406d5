package io.fxflink.contracts.serde;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicKey;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import java.util.List;

/** The codec of every record type that crosses a process boundary (schema version 1 each). */
public final class Codecs {
    public static final JsonCodec<Link> LINK =
            JsonCodec.of(Link.class, 1).withConstantField("kind", LinkTopicKey.Kind.LINK.wire());
    public static final JsonCodec<ServiceConfig> SERVICE_CONFIG =
            JsonCodec.of(ServiceConfig.class, 1)
                    .withConstantField("kind", LinkTopicKey.Kind.SERVICE.wire());
    public static final JsonCodec<ExecutionRequest> EXECUTION_REQUEST =
            JsonCodec.of(ExecutionRequest.class, 1);
    public static final JsonCodec<OpsLogRecord> OPS_LOG = JsonCodec.of(OpsLogRecord.class, 1);
    public static final JsonCodec<ExecutionLifecycleRecord> EXECUTION_LIFECYCLE =
            JsonCodec.of(ExecutionLifecycleRecord.class, 1);
    public static final JsonCodec<MetricRecord> METRIC = JsonCodec.of(MetricRecord.class, 1);
    public static final JsonCodec<DeadLetterRecord> DEAD_LETTER =
            JsonCodec.of(DeadLetterRecord.class, 1);

    private Codecs() {}

    public static List<JsonCodec<?>> all() {
        return List.of(
                LINK,
                SERVICE_CONFIG,
                EXECUTION_REQUEST,
                OPS_LOG,
                EXECUTION_LIFECYCLE,
                METRIC,
                DEAD_LETTER);
    }

    /** The codec for a record class (e.g. to restore a Flink serializer from its snapshot). */
    @SuppressWarnings("unchecked")
    public static <T> JsonCodec<T> forType(Class<T> type) {
        for (JsonCodec<?> codec : all()) {
            if (codec.type().equals(type)) {
                return (JsonCodec<T>) codec;
            }
        }
        throw new IllegalArgumentException("no contract codec for " + type.getName());
    }
}
