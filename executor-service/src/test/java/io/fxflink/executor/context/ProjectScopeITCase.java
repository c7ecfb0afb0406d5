package io.fxflink.executor.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.ConfigStores;
import io.fxflink.contracts.execution.ExecutionRequest;
import io.fxflink.contracts.execution.PackageRef;
import io.fxflink.contracts.execution.TriggerEvent;
import io.fxflink.contracts.link.ServiceRuntime;
import io.fxflink.schema.FxSchema;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two projects on one executor (real PostgreSQL, the stores the executor uses): a service's config,
 * secrets and state calls resolve in the project its request names, whatever the executor was
 * started with.
 */
class ProjectScopeITCase {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.POSTGRES);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfigStores stores;
    private static PlatformServices services;

    @BeforeAll
    static void stores() {
        RealServers.PgDatabase db = SERVERS.newDatabase("scope");
        FxSchema.migrate(db.url(), db.user(), db.password());
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        stores =
                ConfigStores.fromEnvironment(
                        Map.of("FX_SECRETS_KEY", Base64.getEncoder().encodeToString(key)),
                        () -> ds);
        services =
                new PlatformServices(
                        stores.config(), stores.secrets(), new ServiceState(ds), null, null);
        stores.secrets().put(ConfigScope.project("alpha"), "api_key", "alpha-secret");
        stores.config().put(ConfigScope.project("alpha"), "greeting", "hello from alpha");
        stores.config().put(ConfigScope.project("beta"), "greeting", "hello from beta");
        stores.secrets().put(ConfigScope.project("beta"), "beta_only", "beta-secret");
    }

    @AfterAll
    static void close() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void aServiceOfProjectBetaSeesBetasValuesAndNothingOfAlpha() throws Exception {
        ExecutionCalls alpha = calls("svc-alpha", "alpha");
        ExecutionCalls beta = calls("svc-beta", "beta");

        assertThat(alpha.call("secrets.get", args("name", "api_key"))).isEqualTo("alpha-secret");
        assertThat(beta.call("secrets.get", args("name", "api_key")))
                .as("alpha's project secret from a beta service")
                .isNull();
        assertThat(beta.call("secrets.get", args("name", "beta_only"))).isEqualTo("beta-secret");
        assertThat(alpha.call("secrets.get", args("name", "beta_only"))).isNull();

        assertThat(alpha.call("config.get", args("key", "greeting"))).isEqualTo("hello from alpha");
        assertThat(beta.call("config.get", args("key", "greeting")))
                .as("beta's own project value, not alpha's")
                .isEqualTo("hello from beta");

        ObjectNode put = args("key", "counter");
        put.put("value", "{\"n\":7}");
        alpha.call("state.put", put);
        assertThat(alpha.call("state.get", args("key", "counter"))).isEqualTo("{\"n\":7}");
        assertThat(beta.call("state.get", args("key", "counter")))
                .as("alpha's state from a beta service")
                .isNull();
    }

    @Test
    void aRequestWithoutAProjectIsInTheDefaultProjectNotAnotherOne() throws Exception {
        stores.config().put(ConfigScope.project("default"), "greeting", "hello from default");
        ExecutionCalls legacy = calls("svc-legacy", null);
        assertThat(legacy.call("config.get", args("key", "greeting")))
                .isEqualTo("hello from default");
        assertThat(legacy.call("secrets.get", args("name", "api_key"))).isNull();
    }

    private static ObjectNode args(String field, String value) {
        return JSON.createObjectNode().put(field, value);
    }

    private static ExecutionCalls calls(String service, String project) {
        Instant now = Instant.now();
        TriggerEvent trigger =
                new TriggerEvent(
                        UUID.randomUUID().toString(),
                        "urn:test",
                        "order.created",
                        null,
                        null,
                        "application/json",
                        null,
                        "{}".getBytes(StandardCharsets.UTF_8),
                        Map.of());
        ExecutionRequest req =
                new ExecutionRequest(
                                UUID.randomUUID().toString().replace("-", ""),
                                "link-1",
                                service,
                                "1.0.0",
                                new PackageRef("pkg/" + service + ".zip", "0".repeat(64)),
                                ServiceRuntime.PYTHON,
                                trigger,
                                1,
                                now.plusSeconds(60),
                                0,
                                null,
                                5,
                                60_000,
                                0,
                                50,
                                now)
                        .withProject(project);
        return new ExecutionCalls(req, 1, Map.of(), null, services, JSON, Clock.systemUTC());
    }
}
