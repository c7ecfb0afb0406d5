package io.fxflink.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.contracts.topic.TopicNames;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RouterTopicsITCase {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.KAFKA);

    @Test
    void missingTopicsAreCreatedOnceWithACompactedLinksTopic() throws Exception {
        String prefix = RealServers.uniqueName("router-topics") + ".";
        TopicNames names = TopicNames.withPrefix(prefix);
        RouterOptions options =
                RouterOptions.defaults()
                        .withKafkaBootstrap(SERVERS.kafkaBootstrap())
                        .withTopics(names);
        List<String> mine =
                List.of(names.events(), names.links(), names.executions(), names.deadLetter());
        try {
            RouterJob.provisionTopics(options);
            RouterJob.provisionTopics(options); // existing topics are fine

            assertThat(SERVERS.kafkaAdmin().listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(mine)
                    .doesNotContain(names.opsLogs());
            ConfigResource links = new ConfigResource(ConfigResource.Type.TOPIC, names.links());
            Map<ConfigResource, Config> configs =
                    SERVERS.kafkaAdmin()
                            .describeConfigs(List.of(links))
                            .all()
                            .get(30, TimeUnit.SECONDS);
            assertThat(configs.get(links).get("cleanup.policy").value()).isEqualTo("compact");
        } finally {
            SERVERS.kafkaAdmin().deleteTopics(mine).all().get(30, TimeUnit.SECONDS);
        }
    }
}
