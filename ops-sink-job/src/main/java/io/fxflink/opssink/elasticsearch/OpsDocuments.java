package io.fxflink.opssink.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.contracts.ops.ExecutionLifecycleRecord;
import io.fxflink.contracts.ops.MetricRecord;
import io.fxflink.contracts.ops.OpsLogRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns ops records into Elasticsearch documents with the platform's snake_case fields (see the
 * index templates under {@code resources/elasticsearch/}). Document ids are the record ids, so a
 * replay overwrites the same document.
 */
public final class OpsDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsDocuments() {}

    public static EsDocument log(
            OpsIndices indices, OpsLogRecord r, String topic, int partition, long offset) {
        ObjectNode d = JSON.createObjectNode();
        d.put("record_id", r.recordId());
        d.put("execution_id", r.executionId());
        d.put("service", r.service());
        d.put("service_version", r.serviceVersion());
        d.put("attempt", r.attempt());
        d.put("sequence", r.sequence());
        if (r.step() != null) {
            d.put("step", r.step());
        }
        d.put("level", r.level().name());
        d.put("@timestamp", timestamp(r.time()));
        d.put("message", r.message());
        d.put("truncated", r.truncated());
        return new EsDocument(
                indices.logs(r.time()), r.recordId(), bytes(d), topic, partition, offset);
    }

    public static EsDocument lifecycle(
            OpsIndices indices,
            ExecutionLifecycleRecord r,
            String topic,
            int partition,
            long offset) {
        ObjectNode d = JSON.createObjectNode();
        d.put("record_id", r.recordId());
        d.put("execution_id", r.executionId());
        d.put("service", r.service());
        d.put("service_version", r.serviceVersion());
        d.put("status", r.status().name());
        d.put("attempt", r.attempt());
        d.put("sequence", r.sequence());
        d.put("@timestamp", timestamp(r.time()));
        if (r.durationMs() != null) {
            d.put("duration_ms", r.durationMs());
        }
        d.put("trigger_event_id", r.triggerEventId());
        d.put("trigger_event_type", r.triggerEventType());
        if (r.causationId() != null) {
            d.put("causation_id", r.causationId());
        }
        d.put("root_event_id", r.rootEventId());
        d.put("causation_depth", r.causationDepth());
        if (r.error() != null) {
            d.put("error", r.error());
        }
        if (r.executorId() != null) {
            d.put("executor_id", r.executorId());
        }
        return new EsDocument(
                indices.executions(r.time()), r.recordId(), bytes(d), topic, partition, offset);
    }

    public static EsDocument metric(
            OpsIndices indices, MetricRecord r, String topic, int partition, long offset) {
        ObjectNode d = JSON.createObjectNode();
        String id = metricId(r);
        d.put("record_id", id);
        d.put("name", r.name());
        ObjectNode tags = d.putObject("tags");
        new TreeMap<>(r.tags()).forEach(tags::put);
        d.put("value", r.value());
        d.put("@timestamp", timestamp(r.time()));
        return new EsDocument(indices.metrics(r.time()), id, bytes(d), topic, partition, offset);
    }

    /**
     * Metric samples carry no id: the same name, tags and time are the same sample, so the id is a
     * hash of them (a replay overwrites).
     */
    static String metricId(MetricRecord r) {
        StringBuilder key = new StringBuilder(r.name()).append('\n');
        for (Map.Entry<String, String> t : new TreeMap<>(r.tags()).entrySet()) {
            key.append(t.getKey()).append('=').append(t.getValue()).append('\n');
        }
        key.append(r.time().toString());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha.digest(key.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String timestamp(Instant t) {
        return t.toString();
    }

    private static byte[] bytes(ObjectNode d) {
        try {
            return JSON.writeValueAsBytes(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write document JSON", e);
        }
    }
}
