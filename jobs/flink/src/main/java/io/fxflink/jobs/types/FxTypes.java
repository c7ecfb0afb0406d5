package io.fxflink.jobs.types;

import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.Link;
import io.fxflink.contracts.link.LinkTopicRecord;
import io.fxflink.contracts.link.ServiceConfig;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.types.Either;

/**
 * Type information for every contract type that flows through or is stored by a Flink job. Use
 * these in {@code returns(..)}, state descriptors and output tags so Flink never falls back to Kryo
 * (records with lists/maps/byte[] are not Flink POJOs).
 */
public final class FxTypes {
    public static final TypeInformation<TriggerEvent> TRIGGER_EVENT =
            new FxTypeInfo<>(TriggerEvent.class, TriggerEventSerializer.INSTANCE);

    /** A trigger event with its Kafka position and key (binary serializer). */
    public static final TypeInformation<ConsumedEvent> CONSUMED_EVENT =
            new FxTypeInfo<>(ConsumedEvent.class, ConsumedEventSerializer.INSTANCE);

    public static final TypeInformation<LinkTopicRecord> LINK_TOPIC_RECORD =
            new FxTypeInfo<>(LinkTopicRecord.class, LinkTopicRecordSerializer.INSTANCE);
    public static final TypeInformation<Link> LINK = json(Link.class);
    public static final TypeInformation<ServiceConfig> SERVICE_CONFIG = json(ServiceConfig.class);
    public static final TypeInformation<ExecutionRequest> EXECUTION_REQUEST =
            json(ExecutionRequest.class);
    public static final TypeInformation<OpsLogRecord> OPS_LOG = json(OpsLogRecord.class);
    public static final TypeInformation<ExecutionLifecycleRecord> EXECUTION_LIFECYCLE =
            json(ExecutionLifecycleRecord.class);
    public static final TypeInformation<MetricRecord> METRIC = json(MetricRecord.class);
    public static final TypeInformation<DeadLetterRecord> DEAD_LETTER =
            json(DeadLetterRecord.class);

    private FxTypes() {}

    /** A decoded value (right) or the dead letter of an undecodable input (left). */
    public static <T> TypeInformation<Either<DeadLetterRecord, T>> orDeadLetter(
            TypeInformation<T> value) {
        return new EitherTypeInfo<>(DEAD_LETTER, value);
    }

    private static <T> TypeInformation<T> json(Class<T> type) {
        return new FxTypeInfo<>(type, new JsonRecordSerializer<>(type));
    }
}
