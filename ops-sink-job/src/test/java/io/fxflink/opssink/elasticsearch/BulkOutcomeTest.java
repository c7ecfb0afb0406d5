package io.fxflink.opssink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkOutcomeTest {

    @Test
    void busyAndUnavailableItemsAreRetriedMappingErrorsRejectedTheRestDone() {
        List<EsDocument> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(new EsDocument("idx", "d" + i, new byte[] {'{', '}'}, "t", 0, i));
        }
        BulkResponse response =
                BulkResponse.of(
                        b ->
                                b.errors(true)
                                        .took(1)
                                        .items(
                                                ok("d0"),
                                                failed(
                                                        "d1",
                                                        429,
                                                        "es_rejected_execution_exception"),
                                                failed("d2", 503, "unavailable_shards_exception"),
                                                failed("d3", 400, "document_parsing_exception"),
                                                ok("d4")));

        BulkOutcome outcome = BulkOutcome.of(sent, response);

        assertThat(outcome.retry()).extracting(d -> d.id).containsExactly("d1", "d2");
        assertThat(outcome.retryReason()).contains("429", "es_rejected_execution_exception");
        assertThat(outcome.rejected())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.document().id).isEqualTo("d3");
                            assertThat(r.reason())
                                    .contains(
                                            "d3",
                                            "idx",
                                            "status 400",
                                            "document_parsing_exception",
                                            "bad field");
                        });
    }

    @Test
    void aResponseWithoutErrorsIsDone() {
        List<EsDocument> sent =
                List.of(new EsDocument("idx", "d0", new byte[] {'{', '}'}, null, 0, 0));
        BulkOutcome outcome =
                BulkOutcome.of(sent, BulkResponse.of(b -> b.errors(false).took(1).items(ok("d0"))));
        assertThat(outcome.retry()).isEmpty();
        assertThat(outcome.rejected()).isEmpty();
    }

    @Test
    void aResponseThatDoesNotMatchTheRequestIsAnError() {
        List<EsDocument> sent =
                List.of(new EsDocument("idx", "d0", new byte[] {'{', '}'}, null, 0, 0));
        assertThatThrownBy(
                        () ->
                                BulkOutcome.of(
                                        sent,
                                        BulkResponse.of(
                                                b -> b.errors(false).took(1).items(List.of()))))
                .hasMessageContaining("0 bulk items for 1 documents");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        RetryBackoff b = new RetryBackoff(100, 1000);
        assertThat(List.of(b.delayMillis(1), b.delayMillis(2), b.delayMillis(4), b.delayMillis(40)))
                .containsExactly(100L, 200L, 800L, 1000L);
        assertThatThrownBy(() -> new RetryBackoff(0, 10))
                .hasMessageContaining("0 < initial <= max");
    }

    private static BulkResponseItem ok(String id) {
        return BulkResponseItem.of(
                i -> i.operationType(OperationType.Index).index("idx").id(id).status(201));
    }

    private static BulkResponseItem failed(String id, int status, String type) {
        return BulkResponseItem.of(
                i ->
                        i.operationType(OperationType.Index)
                                .index("idx")
                                .id(id)
                                .status(status)
                                .error(e -> e.type(type).reason("bad field")));
    }
}
