package io.fxflink.manager.execution;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/** Log records from the {@code fx-logs-*} indices the ops sink writes (snake_case fields). */
public final class ElasticsearchLogSearch implements LogSearch {
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private final RestClient rest;
    private final ElasticsearchClient client;
    private final String indexPattern;

    public ElasticsearchLogSearch(String url, String indexPattern) {
        this.rest = RestClient.builder(HttpHost.create(url)).build();
        this.client =
                new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
        this.indexPattern = indexPattern;
    }

    /** The levels at or above {@code minLevel}; throws naming the allowed values. */
    static List<String> levelsFrom(String minLevel) {
        int i = LEVELS.indexOf(minLevel.toUpperCase(java.util.Locale.ROOT));
        if (i < 0) {
            throw new IllegalArgumentException(
                    "level must be one of " + LEVELS + ", was '" + minLevel + "'");
        }
        return LEVELS.subList(i, LEVELS.size());
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Page logs(String executionId, String minLevel, int from, int size) throws IOException {
        List<FieldValue> levels =
                minLevel == null
                        ? null
                        : levelsFrom(minLevel).stream().map(FieldValue::of).toList();
        SearchResponse<Map> r =
                client.search(
                        s ->
                                s.index(indexPattern)
                                        .ignoreUnavailable(true)
                                        .allowNoIndices(true)
                                        .trackTotalHits(t -> t.enabled(true))
                                        .from(from)
                                        .size(size)
                                        .query(
                                                q ->
                                                        q.bool(
                                                                b -> {
                                                                    b.filter(
                                                                            f ->
                                                                                    f.term(
                                                                                            t ->
                                                                                                    t.field(
                                                                                                                    "execution_id")
                                                                                                            .value(
                                                                                                                    executionId)));
                                                                    if (levels != null) {
                                                                        b.filter(
                                                                                f ->
                                                                                        f.terms(
                                                                                                t ->
                                                                                                        t.field(
                                                                                                                        "level")
                                                                                                                .terms(
                                                                                                                        v ->
                                                                                                                                v
                                                                                                                                        .value(
                                                                                                                                                levels))));
                                                                    }
                                                                    return b;
                                                                }))
                                        .sort(
                                                o ->
                                                        o.field(
                                                                f ->
                                                                        f.field("@timestamp")
                                                                                .order(
                                                                                        SortOrder
                                                                                                .Asc)))
                                        .sort(
                                                o ->
                                                        o.field(
                                                                f ->
                                                                        f.field("sequence")
                                                                                .order(
                                                                                        SortOrder
                                                                                                .Asc)
                                                                                .unmappedType(
                                                                                        co.elastic
                                                                                                .clients
                                                                                                .elasticsearch
                                                                                                ._types
                                                                                                .mapping
                                                                                                .FieldType
                                                                                                .Long))),
                        Map.class);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Hit<Map> h : r.hits().hits()) {
            out.add((Map<String, Object>) h.source());
        }
        long total = r.hits().total() == null ? out.size() : r.hits().total().value();
        return new Page(total, out);
    }

    @Override
    public void check() throws IOException {
        var h = client.cluster().health();
        if ("red".equalsIgnoreCase(h.status().jsonValue())) {
            throw new IllegalStateException("cluster health is red");
        }
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException e) {
            // closing; nothing left to do
        }
    }
}
