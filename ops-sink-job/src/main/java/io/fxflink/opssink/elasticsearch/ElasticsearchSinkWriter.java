package io.fxflink.opssink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import io.fxflink.contracts.ops.DeadLetterRecord;
import io.fxflink.contracts.ops.DeadLetterStage;
import io.fxflink.opssink.deadletter.DeadLetterPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends buffered documents as bulk requests. Per item: success is done, 429/5xx is retried after a
 * bounded exponential backoff, any other rejection (mapping errors) goes to the dead-letter topic
 * before the request is acknowledged. A failed request (connection refused, timeout, 5xx) is
 * retried whole with the same backoff, so an Elasticsearch outage stalls the writer (back-pressure
 * on the job) instead of losing documents; while requests wait, they stay in flight and are covered
 * by checkpoints. Authentication and malformed-request errors fail the job with the cause.
 */
final class ElasticsearchSinkWriter extends AsyncSinkWriter<EsDocument, EsDocument> {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    private final RestClient restClient;
    private final ElasticsearchAsyncClient client;
    private final DeadLetterPublisher deadLetters;
    private final RetryBackoff backoff;
    private final ScheduledExecutorService callbacks;
    private final String writerName;
    private final Counter retriedDocuments;
    private final Counter rejectedDocuments;
    private final Counter failedRequests;

    /** Touched only on the callbacks thread. */
    private int failuresInARow;

    ElasticsearchSinkWriter(
            ElementConverter<EsDocument, EsDocument> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<EsDocument>> states,
            ElasticsearchConnection connection,
            DeadLetterPublisher.Factory deadLetterFactory,
            RetryBackoff backoff) {
        super(converter, context, configuration, states);
        this.writerName = "es-sink-" + context.getTaskInfo().getIndexOfThisSubtask();
        this.restClient = connection.restClient();
        this.client =
                new ElasticsearchAsyncClient(
                        new RestClientTransport(restClient, new JacksonJsonpMapper()));
        this.deadLetters = deadLetterFactory.open();
        this.backoff = backoff;
        this.callbacks =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "fx-" + writerName + "-callbacks");
                            t.setDaemon(true);
                            return t;
                        });
        this.retriedDocuments = context.metricGroup().counter("esRetriedDocuments");
        this.rejectedDocuments = context.metricGroup().counter("esRejectedDocuments");
        this.failedRequests = context.metricGroup().counter("esFailedRequests");
    }

    @Override
    protected void submitRequestEntries(
            List<EsDocument> entries, ResultHandler<EsDocument> handler) {
        BulkRequest request;
        try {
            request = bulkRequest(entries);
        } catch (RuntimeException e) {
            handler.completeExceptionally(
                    new IllegalStateException("cannot build a bulk request in " + writerName, e));
            return;
        }
        client.bulk(request)
                .whenCompleteAsync(
                        (response, error) -> onResponse(entries, handler, response, error),
                        callbacks);
    }

    static BulkRequest bulkRequest(List<EsDocument> entries) {
        BulkRequest.Builder b = new BulkRequest.Builder();
        for (EsDocument d : entries) {
            BinaryData source = BinaryData.of(d.source, ContentType.APPLICATION_JSON);
            b.operations(op -> op.index(i -> i.index(d.index).id(d.id).document(source)));
        }
        return b.build();
    }

    private void onResponse(
            List<EsDocument> entries,
            ResultHandler<EsDocument> handler,
            BulkResponse response,
            Throwable error) {
        try {
            if (error != null) {
                onRequestFailure(entries, handler, unwrap(error));
                return;
            }
            BulkOutcome outcome = BulkOutcome.of(entries, response);
            List<EsDocument> retry = new ArrayList<>(outcome.retry());
            if (!outcome.rejected().isEmpty()) {
                try {
                    deadLetters.publish(deadLetterRecords(outcome.rejected()));
                    rejectedDocuments.inc(outcome.rejected().size());
                } catch (RuntimeException e) {
                    // not acknowledged: send them again later (they will be rejected again and
                    // their dead letters retried) rather than drop them
                    LOG.warn(
                            "{}: could not publish {} dead letters, will retry",
                            writerName,
                            outcome.rejected().size(),
                            e);
                    outcome.rejected().forEach(r -> retry.add(r.document()));
                }
            }
            if (retry.isEmpty()) {
                failuresInARow = 0;
                handler.complete();
            } else {
                retriedDocuments.inc(retry.size());
                retryLater(
                        retry,
                        handler,
                        retry.size()
                                + " of "
                                + entries.size()
                                + " documents not stored: "
                                + (outcome.retryReason() == null
                                        ? "dead letters not published"
                                        : outcome.retryReason()));
            }
        } catch (RuntimeException e) {
            handler.completeExceptionally(
                    new IllegalStateException(
                            "unexpected failure handling a bulk response in " + writerName, e));
        }
    }

    private void onRequestFailure(
            List<EsDocument> entries, ResultHandler<EsDocument> handler, Throwable cause) {
        failedRequests.inc();
        int status = httpStatus(cause);
        if (status == 401 || status == 403) {
            handler.completeExceptionally(
                    new IllegalStateException(
                            "Elasticsearch refused the credentials of "
                                    + writerName
                                    + " (HTTP "
                                    + status
                                    + "): check es.username/es.password or es.api-key and the"
                                    + " user's index privileges",
                            cause));
            return;
        }
        if (status == 400 || status == 404 || status == 413) {
            handler.completeExceptionally(
                    new IllegalStateException(
                            "Elasticsearch rejected a whole bulk request of "
                                    + writerName
                                    + " (HTTP "
                                    + status
                                    + "); lower es.bulk.max-bytes if it is too large",
                            cause));
            return;
        }
        retryLater(entries, handler, "request failed: " + cause);
    }

    private void retryLater(
            List<EsDocument> documents, ResultHandler<EsDocument> handler, String reason) {
        failuresInARow++;
        long delay = backoff.delayMillis(failuresInARow);
        LOG.warn(
                "{}: retrying {} documents in {} ms (failure {} in a row): {}",
                writerName,
                documents.size(),
                delay,
                failuresInARow,
                reason);
        callbacks.schedule(() -> handler.retryForEntries(documents), delay, TimeUnit.MILLISECONDS);
    }

    private static List<DeadLetterRecord> deadLetterRecords(List<BulkOutcome.Rejected> rejected) {
        Instant now = Instant.now();
        List<DeadLetterRecord> out = new ArrayList<>();
        for (BulkOutcome.Rejected r : rejected) {
            EsDocument d = r.document();
            out.add(
                    DeadLetterRecord.ofConsumed(
                            DeadLetterStage.OPS_SINK,
                            r.reason(),
                            d.originTopic,
                            d.originTopic == null ? -1 : d.originPartition,
                            d.originTopic == null ? -1 : d.originOffset,
                            now,
                            d.id.getBytes(StandardCharsets.UTF_8),
                            d.source,
                            Map.of()));
        }
        return out;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** The HTTP status of a failed request, or -1 (connection problems). */
    static int httpStatus(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ElasticsearchException e) {
                return e.status();
            }
            if (c instanceof ResponseException e) {
                return e.getResponse().getStatusLine().getStatusCode();
            }
            if (c instanceof TransportException e && e.statusCode() > 0) {
                return e.statusCode();
            }
        }
        return -1;
    }

    @Override
    protected long getSizeInBytes(EsDocument entry) {
        return entry.sizeInBytes();
    }

    @Override
    public void close() {
        super.close();
        callbacks.shutdownNow();
        try {
            restClient.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the Elasticsearch client failed", writerName, e);
        }
        deadLetters.close();
    }
}
