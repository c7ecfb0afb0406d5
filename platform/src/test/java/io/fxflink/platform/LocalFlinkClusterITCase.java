package io.fxflink.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.stack.ProjectRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFlinkClusterITCase {
    @TempDir Path home;

    @Test
    void servesTheRestApiWithJarSubmission() throws Exception {
        Path conf = ProjectRoot.find().resolve("flink-conf");
        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(conf, home, 28081, 2)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> overview =
                    http.send(
                            HttpRequest.newBuilder(URI.create(cluster.restUrl() + "/overview"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("\"slots-total\":2");
            HttpResponse<String> jars =
                    http.send(
                            HttpRequest.newBuilder(URI.create(cluster.restUrl() + "/jars")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(jars.statusCode()).as("jar submission is enabled").isEqualTo(200);
        }
    }
}
