package io.fxflink.opssink;

import io.fxflink.opssink.deadletter.DeadLetter;
import io.fxflink.opssink.deadletter.DeadLetterSerializer;
import io.fxflink.opssink.deadletter.KafkaDeadLetterPublisher;
import io.fxflink.opssink.elasticsearch.ElasticsearchSink;
import io.fxflink.opssink.elasticsearch.IndexTemplates;
import io.fxflink.opssink.input.OpsInput;
import io.fxflink.opssink.input.OpsRecordDecoder;
import io.fxflink.opssink.input.OpsRecordDeserializer;
import io.fxflink.opssink.postgres.ExecutionRow;
import io.fxflink.opssink.postgres.ExecutionUpsertStatement;
import io.fxflink.opssink.postgres.RollupUpsertStatement;
import io.fxflink.opssink.rollup.MinuteRollup;
import io.fxflink.schema.FxSchema;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the real connectors of the job from its configuration. */
public final class OpsSinkConnectors {
    private OpsSinkConnectors() {}

    /** Migrates the database and installs the index templates (both idempotent). */
    public static void prepareStores(OpsSinkConfig config) {
        if (config.migrate()) {
            FxSchema.migrate(config.pgUrl(), config.pgUser(), config.pgPassword());
        }
        if (config.installTemplates()) {
            IndexTemplates.install(
                    config.elasticsearch(),
                    config.indices(),
                    config.indexShards(),
                    config.indexReplicas());
        }
    }

    public static OpsSinkJob fromConfig(OpsSinkConfig config) {
        return new OpsSinkJob(
                source(config),
                elasticsearch(config),
                executions(config),
                rollups(config),
                deadLetters(config),
                config.outOfOrderness(),
                config.allowedLateness(),
                config.maxFuture(),
                config.idleness());
    }

    public static KafkaSource<OpsInput> source(OpsSinkConfig config) {
        KafkaSourceBuilder<OpsInput> b =
                KafkaSource.<OpsInput>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setGroupId(config.groupId())
                        .setTopics(
                                List.of(
                                        config.topics().opsLogs(),
                                        config.topics().opsExecutions(),
                                        config.topics().opsMetrics()))
                        // first start: everything retained; later: where the checkpoint (or the
                        // committed offsets) left off
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(
                                new OpsRecordDeserializer(
                                        new OpsRecordDecoder(config.topics(), config.indices())))
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .setProperty("isolation.level", "read_committed");
        if (config.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    public static ElasticsearchSink elasticsearch(OpsSinkConfig config) {
        return ElasticsearchSink.builder()
                .connection(config.elasticsearch())
                .deadLetters(
                        KafkaDeadLetterPublisher.factory(
                                config.kafkaBootstrap(), config.topics().deadLetter(), Map.of()))
                .maxBatchSize(config.bulkMaxDocuments())
                .maxBatchSizeInBytes(config.bulkMaxBytes())
                .maxInFlightRequests(config.bulkMaxInFlight())
                .maxTimeInBufferMs(config.bulkFlushIntervalMs())
                .maxBufferedRequests(config.bufferMaxDocuments())
                .retryBackoff(config.retryBackoff())
                .build();
    }

    public static JdbcSink<ExecutionRow> executions(OpsSinkConfig config) {
        return JdbcSink.<ExecutionRow>builder()
                .withQueryStatement(new ExecutionUpsertStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    public static JdbcSink<MinuteRollup> rollups(OpsSinkConfig config) {
        return JdbcSink.<MinuteRollup>builder()
                .withQueryStatement(new RollupUpsertStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    public static KafkaSink<DeadLetter> deadLetters(OpsSinkConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setRecordSerializer(new DeadLetterSerializer(config.topics().deadLetter()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static JdbcExecutionOptions executionOptions(OpsSinkConfig config) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(config.pgBatchSize())
                .withBatchIntervalMs(config.pgBatchIntervalMs())
                .withMaxRetries(config.pgMaxRetries())
                .build();
    }

    private static JdbcConnectionOptions connectionOptions(OpsSinkConfig config) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(config.pgUrl())
                        .withDriverName("org.postgresql.Driver")
                        .withUsername(config.pgUser());
        if (config.pgPassword() != null) {
            b.withPassword(config.pgPassword());
        }
        return b.build();
    }
}
