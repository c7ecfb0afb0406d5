package io.fxflink.opssink.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the composable index templates of the daily ops indices (explicit mappings, see {@code
 * resources/elasticsearch/*.json}). Idempotent: a PUT replaces the template with the same content,
 * so every job start may run it. Works on the reduced integ-test server (no ILM, no data streams,
 * no ingest pipelines are used).
 */
public final class IndexTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KINDS =
            List.of(OpsIndices.LOGS, OpsIndices.EXECUTIONS, OpsIndices.METRICS);

    private IndexTemplates() {}

    /**
     * @param shards primary shards per daily index
     * @param replicas replicas per daily index, or null for the cluster default
     */
    public static void install(
            ElasticsearchConnection connection, OpsIndices indices, int shards, Integer replicas) {
        try (RestClient client = connection.restClient()) {
            for (String kind : KINDS) {
                ObjectNode body = template(kind, indices, shards, replicas);
                Request put = new Request("PUT", "/_index_template/" + indices.templateName(kind));
                put.setEntity(new NStringEntity(body.toString(), ContentType.APPLICATION_JSON));
                Response response = client.performRequest(put);
                LOG.info(
                        "Index template {} for {} installed (HTTP {})",
                        indices.templateName(kind),
                        indices.pattern(kind),
                        response.getStatusLine().getStatusCode());
            }
        } catch (ResponseException e) {
            throw new IllegalStateException(
                    "Elasticsearch refused the ops index templates at "
                            + connection
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot install the ops index templates: Elasticsearch at "
                            + connection
                            + " is not reachable ("
                            + e
                            + ")",
                    e);
        }
    }

    static ObjectNode template(String kind, OpsIndices indices, int shards, Integer replicas)
            throws IOException {
        String resource = "/elasticsearch/" + kind + ".json";
        try (InputStream in = IndexTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            ObjectNode body = (ObjectNode) JSON.readTree(in);
            body.putArray("index_patterns").add(indices.pattern(kind));
            ObjectNode index = (ObjectNode) body.at("/template/settings/index");
            index.put("number_of_shards", shards);
            if (replicas != null) {
                index.put("number_of_replicas", replicas);
            }
            return body;
        }
    }
}
