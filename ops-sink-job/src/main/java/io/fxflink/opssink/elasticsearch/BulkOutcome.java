package io.fxflink.opssink.elasticsearch;

import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do with each document of one bulk request, from its item in the response: done, retry
 * (429 and 5xx: the cluster is busy or a shard is not available), or rejected (any other 4xx, e.g.
 * a mapping error: retrying cannot help, so it goes to the dead-letter topic with the reason).
 */
public record BulkOutcome(List<EsDocument> retry, List<Rejected> rejected, String retryReason) {

    /** A document Elasticsearch refused, with the reason it gave. */
    public record Rejected(EsDocument document, int status, String reason) {}

    public static BulkOutcome of(List<EsDocument> sent, BulkResponse response) {
        List<BulkResponseItem> items = response.items();
        if (items.size() != sent.size()) {
            throw new IllegalStateException(
                    "Elasticsearch answered "
                            + items.size()
                            + " bulk items for "
                            + sent.size()
                            + " documents");
        }
        List<EsDocument> retry = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        String retryReason = null;
        if (response.errors()) {
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                if (item.error() == null && item.status() < 300) {
                    continue;
                }
                if (isRetryable(item.status())) {
                    retry.add(sent.get(i));
                    if (retryReason == null) {
                        retryReason = item.status() + " " + describe(item.error());
                    }
                } else {
                    rejected.add(
                            new Rejected(
                                    sent.get(i),
                                    item.status(),
                                    "Elasticsearch rejected document "
                                            + item.id()
                                            + " in index "
                                            + item.index()
                                            + " (status "
                                            + item.status()
                                            + "): "
                                            + describe(item.error())));
                }
            }
        }
        return new BulkOutcome(List.copyOf(retry), List.copyOf(rejected), retryReason);
    }

    public static boolean isRetryable(int status) {
        return status == 429 || status >= 500;
    }

    static String describe(ErrorCause error) {
        if (error == null) {
            return "no error detail";
        }
        StringBuilder s = new StringBuilder(String.valueOf(error.type()));
        if (error.reason() != null) {
            s.append(": ").append(error.reason());
        }
        if (error.causedBy() != null) {
            s.append(" (caused by ").append(describe(error.causedBy())).append(')');
        }
        return s.toString();
    }
}
