package io.fxflink.opssink.elasticsearch;

import io.fxflink.opssink.deadletter.DeadLetterPublisher;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Elasticsearch sink on Flink's async sink base (the Flink Elasticsearch connector has no Flink 2
 * release): bulk requests with the official {@code elasticsearch-java} client, documents buffered
 * in checkpointed state, back-pressure when the buffer is full, item-level retries and dead letters
 * (see {@link ElasticsearchSinkWriter}). At-least-once; document ids make replays idempotent.
 */
public final class ElasticsearchSink extends AsyncSinkBase<EsDocument, EsDocument> {
    private static final long serialVersionUID = 1L;

    private final ElasticsearchConnection connection;
    private final DeadLetterPublisher.Factory deadLetters;
    private final RetryBackoff backoff;

    private ElasticsearchSink(Builder b) {
        super(
                identity(),
                b.maxBatchSize,
                b.maxInFlightRequests,
                b.maxBufferedRequests,
                b.maxBatchSizeInBytes,
                b.maxTimeInBufferMs,
                b.maxRecordSizeInBytes);
        this.connection = b.connection;
        this.deadLetters = b.deadLetters;
        this.backoff = b.backoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static ElementConverter<EsDocument, EsDocument> identity() {
        return (document, context) -> document;
    }

    @Override
    public StatefulSinkWriter<EsDocument, BufferedRequestState<EsDocument>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<EsDocument, BufferedRequestState<EsDocument>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<EsDocument>> states) {
        AsyncSinkWriterConfiguration config =
                AsyncSinkWriterConfiguration.builder()
                        .setMaxBatchSize(getMaxBatchSize())
                        .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                        .setMaxInFlightRequests(getMaxInFlightRequests())
                        .setMaxBufferedRequests(getMaxBufferedRequests())
                        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                        .build();
        return new ElasticsearchSinkWriter(
                getElementConverter(), context, config, states, connection, deadLetters, backoff);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<EsDocument>> getWriterStateSerializer() {
        return new EsDocumentStateSerializer();
    }

    /** Builder; every limit has a default that suits a small cluster. */
    public static final class Builder {
        private ElasticsearchConnection connection;
        private DeadLetterPublisher.Factory deadLetters;
        private int maxBatchSize = 1000;
        private int maxInFlightRequests = 2;
        private int maxBufferedRequests = 10_000;
        private long maxBatchSizeInBytes = 5L * 1024 * 1024;
        private long maxTimeInBufferMs = 1000;
        private long maxRecordSizeInBytes = 1024 * 1024;
        private RetryBackoff backoff = new RetryBackoff(100, 10_000);

        public Builder connection(ElasticsearchConnection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        public Builder deadLetters(DeadLetterPublisher.Factory deadLetters) {
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            return this;
        }

        public Builder maxBatchSize(int documents) {
            this.maxBatchSize = positive(documents, "maxBatchSize");
            return this;
        }

        public Builder maxInFlightRequests(int requests) {
            this.maxInFlightRequests = positive(requests, "maxInFlightRequests");
            return this;
        }

        public Builder maxBufferedRequests(int documents) {
            this.maxBufferedRequests = positive(documents, "maxBufferedRequests");
            return this;
        }

        public Builder maxBatchSizeInBytes(long bytes) {
            this.maxBatchSizeInBytes = positive(bytes, "maxBatchSizeInBytes");
            return this;
        }

        public Builder maxTimeInBufferMs(long millis) {
            this.maxTimeInBufferMs = positive(millis, "maxTimeInBufferMs");
            return this;
        }

        public Builder maxRecordSizeInBytes(long bytes) {
            this.maxRecordSizeInBytes = positive(bytes, "maxRecordSizeInBytes");
            return this;
        }

        public Builder retryBackoff(RetryBackoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public ElasticsearchSink build() {
            if (connection == null) {
                throw new IllegalStateException("ElasticsearchSink needs a connection()");
            }
            if (deadLetters == null) {
                throw new IllegalStateException(
                        "ElasticsearchSink needs deadLetters(): rejected documents must go"
                                + " somewhere");
            }
            if (maxBufferedRequests < maxBatchSize) {
                throw new IllegalStateException(
                        "maxBufferedRequests ("
                                + maxBufferedRequests
                                + ") must be at least maxBatchSize ("
                                + maxBatchSize
                                + ")");
            }
            if (maxRecordSizeInBytes > maxBatchSizeInBytes) {
                throw new IllegalStateException(
                        "maxRecordSizeInBytes ("
                                + maxRecordSizeInBytes
                                + ") must not exceed maxBatchSizeInBytes ("
                                + maxBatchSizeInBytes
                                + ")");
            }
            return new ElasticsearchSink(this);
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + v);
            }
            return v;
        }

        private static long positive(long v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + v);
            }
            return v;
        }
    }
}
