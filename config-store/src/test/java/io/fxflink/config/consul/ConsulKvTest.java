package io.fxflink.config.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.config.ConfigScope;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What can be checked without a Consul agent: key layout and the error when none answers. */
class ConsulKvTest {
    @Test
    void keysAreLaidOutByKindLevelAndScope() {
        try (ConsulKv kv = ConsulKv.connect("127.0.0.1:8500", null, "fx/")) {
            assertThat(kv.path("config", ConfigScope.service("billing"), "db.host"))
                    .isEqualTo("fx/config/service/billing/db.host");
            assertThat(kv.path("secrets", ConfigScope.PLATFORM, "token"))
                    .isEqualTo("fx/secrets/platform/_/token");
        }
    }

    @Test
    void anAgentThatDoesNotAnswerGivesAClearError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (ConsulKv kv = ConsulKv.connect("http://127.0.0.1:" + port, null, "fx");
                ConsulConfigStore store = new ConsulConfigStore(kv, false)) {
            assertThatThrownBy(() -> store.get(ConfigScope.service("s"), "k"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Consul at http://127.0.0.1:" + port)
                    .hasMessageContaining("cannot read fx/config/service/s/k");
        }
    }
}
