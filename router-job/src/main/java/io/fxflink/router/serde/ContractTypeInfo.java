package io.fxflink.router.serde;

import io.fxflink.contracts.serde.Codecs;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for a contract record (e.g. {@code ExecutionRequest}): serialized with its
 * versioned JSON codec from {@link Codecs} instead of Kryo, so the wire and state form is the same
 * schema-versioned JSON the other services read.
 */
public final class ContractTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    private ContractTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        Codecs.forType(type); // fails fast for a type without a contract codec
    }

    public static <T> ContractTypeInfo<T> of(Class<T> type) {
        return new ContractTypeInfo<>(type);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new ContractSerializer<>(type);
    }

    @Override
    public String toString() {
        return "ContractTypeInfo<" + type.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractTypeInfo<?> other && other.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof ContractTypeInfo;
    }
}
