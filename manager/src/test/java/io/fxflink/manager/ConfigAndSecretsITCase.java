package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.crypto.SecretKeys;
import io.fxflink.config.postgres.PostgresConfigStore;
import io.fxflink.config.postgres.PostgresSecretStore;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Config and secrets routes on the three scopes against the real PostgreSQL stores: fallback
 * service → project → platform as the executor resolves it, roles and cross-project refusals,
 * hostile input, and secrets that go in and never come out (answers, errors, logs).
 */
class ConfigAndSecretsITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    static final String SECRETS_KEY = randomKey();

    /** Unique so that finding it anywhere means it leaked. */
    static final String SECRET = "s3cr3t-" + HexFormat.of().formatHex(random(12));

    static ManagerFixture fx;
    static LogCapture logs;
    static ManagerApp app;
    static TestApi api;
    static String admin;
    static String alphaAdmin;
    static String alphaDev;
    static String alphaViewer;
    static String betaDev;

    @BeforeAll
    static void start() {
        fx = new ManagerFixture(SERVERS);
        logs = new LogCapture();
        app = fx.start(Map.of("FX_SECRETS_KEY", SECRETS_KEY));
        api = new TestApi(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        for (String p : List.of("alpha", "beta")) {
            assertThat(api.post(admin, "/api/v1/projects", Map.of("name", p)).status())
                    .isEqualTo(201);
        }
        alphaAdmin = AccessITCaseTokens.create(api, admin, "alpha-admin", Map.of("alpha", "admin"));
        alphaDev = AccessITCaseTokens.create(api, admin, "alpha-dev", Map.of("alpha", "developer"));
        alphaViewer =
                AccessITCaseTokens.create(api, admin, "alpha-viewer", Map.of("alpha", "viewer"));
        betaDev = AccessITCaseTokens.create(api, admin, "beta-dev", Map.of("beta", "developer"));
        assertThat(
                        api.upload(
                                        alphaDev,
                                        Packages.python("a-svc", "1", null),
                                        Map.of("project", "alpha"))
                                .status())
                .isEqualTo(201);
        assertThat(
                        api.upload(
                                        betaDev,
                                        Packages.python("b-svc", "1", null),
                                        Map.of("project", "beta"))
                                .status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void valuesFallBackServiceProjectPlatformAsTheExecutorSeesThem() {
        // a service of its own, in a project no other test writes config to
        assertThat(
                        api.upload(
                                        betaDev,
                                        Packages.python("fb-svc", "1", null),
                                        Map.of("project", "beta"))
                                .status())
                .isEqualTo(201);
        assertThat(put(admin, "/api/v1/config/region", "eu").status()).isEqualTo(200);
        assertThat(put(admin, "/api/v1/config/log-level", "info").status()).isEqualTo(200);
        assertThat(put(betaDev, "/api/v1/projects/beta/config/region", "eu-west").status())
                .isEqualTo(200);
        TestApi.Res own = put(betaDev, "/api/v1/services/fb-svc/config/batch.size", "500");
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.json().get("key").asText()).isEqualTo("batch.size");
        assertThat(own.json().get("level").asText()).isEqualTo("service");
        assertThat(own.json().get("scope").asText()).isEqualTo("fb-svc");

        JsonNode serviceOnly = api.get(betaDev, "/api/v1/services/fb-svc/config").json();
        assertThat(keys(serviceOnly)).containsExactly("batch.size");
        JsonNode effective =
                api.get(betaDev, "/api/v1/services/fb-svc/config?effective=true").json();
        assertThat(keys(effective)).containsExactly("batch.size", "log-level", "region");
        for (JsonNode e : effective) {
            String expectedLevel =
                    switch (e.get("key").asText()) {
                        case "batch.size" -> "service";
                        case "region" -> "project";
                        default -> "platform";
                    };
            assertThat(e.get("level").asText()).as(e.toString()).isEqualTo(expectedLevel);
        }
        // the executor resolves through the same store and tables
        PostgresConfigStore executorView = new PostgresConfigStore(dataSource());
        assertThat(executorView.resolve("beta", "fb-svc", "region")).contains("eu-west");
        assertThat(executorView.resolve("alpha", "a-svc", "region")).contains("eu");
        assertThat(executorView.resolve("beta", "fb-svc", "batch.size")).contains("500");

        TestApi.Res one = api.get(betaDev, "/api/v1/projects/beta/config/region");
        assertThat(one.json().get("value").asText()).isEqualTo("eu-west");
        assertThat(put(betaDev, "/api/v1/projects/beta/config/region", "eu-north").status())
                .isEqualTo(200);
        assertThat(executorView.resolve("beta", "fb-svc", "region")).contains("eu-north");
        assertThat(api.delete(betaDev, "/api/v1/projects/beta/config/region").status())
                .isEqualTo(204);
        assertThat(api.delete(betaDev, "/api/v1/projects/beta/config/region").status())
                .isEqualTo(404);
        assertThat(api.get(betaDev, "/api/v1/projects/beta/config/region").status()).isEqualTo(404);
        assertThat(executorView.resolve("beta", "fb-svc", "region")).contains("eu");
    }

    @Test
    void rolesDecideWhoReadsAndWrites() {
        put(alphaDev, "/api/v1/services/a-svc/config/mode", "fast");
        // viewer reads, cannot write
        assertThat(api.get(alphaViewer, "/api/v1/services/a-svc/config/mode").status())
                .isEqualTo(200);
        TestApi.Res viewerWrite = put(alphaViewer, "/api/v1/services/a-svc/config/mode", "slow");
        assertThat(viewerWrite.status()).isEqualTo(403);
        assertThat(viewerWrite.json().get("message").asText()).contains("developer", "alpha");
        assertThat(put(alphaViewer, "/api/v1/services/a-svc/secrets/token", "x").status())
                .isEqualTo(403);
        assertThat(api.delete(alphaViewer, "/api/v1/services/a-svc/config/mode").status())
                .isEqualTo(403);
        // cross-project: beta's developer neither reads nor writes alpha's config or secrets
        for (String path :
                List.of(
                        "/api/v1/services/a-svc/config",
                        "/api/v1/services/a-svc/config/mode",
                        "/api/v1/services/a-svc/secrets",
                        "/api/v1/projects/alpha/config",
                        "/api/v1/projects/alpha/secrets")) {
            assertThat(api.get(betaDev, path).status()).as(path).isEqualTo(403);
        }
        assertThat(put(betaDev, "/api/v1/services/a-svc/config/mode", "evil").status())
                .isEqualTo(403);
        assertThat(put(betaDev, "/api/v1/projects/alpha/secrets/x", "evil").status())
                .isEqualTo(403);
        assertThat(api.get(alphaDev, "/api/v1/services/a-svc/config/mode").json().get("value"))
                .hasToString("\"fast\"");
        // the platform scope: a role on '*' to read, admin on '*' to write
        assertThat(api.get(alphaDev, "/api/v1/config").status()).isEqualTo(403);
        assertThat(put(alphaAdmin, "/api/v1/config/x", "1").status()).isEqualTo(403);
        assertThat(put(alphaAdmin, "/api/v1/secrets/x", "1").status()).isEqualTo(403);
        assertThat(api.get(admin, "/api/v1/config").status()).isEqualTo(200);
        // developers of a project may set the project's own config and secrets
        assertThat(put(alphaDev, "/api/v1/projects/alpha/config/owner", "team-a").status())
                .isEqualTo(200);
        assertThat(put(alphaDev, "/api/v1/projects/alpha/secrets/api-key", "k").status())
                .isEqualTo(201);
        // unknown things are 404 for those who may ask, never a 500
        assertThat(api.get(admin, "/api/v1/services/nope/config").status()).isEqualTo(404);
        assertThat(api.get(admin, "/api/v1/projects/nope/config").status()).isEqualTo(404);
        assertThat(put(admin, "/api/v1/projects/nope/secrets/x", "1").status()).isEqualTo(404);
    }

    @Test
    void secretsGoInAndNeverComeOut() throws Exception {
        List<TestApi.Res> answers = new ArrayList<>();
        TestApi.Res created = put(alphaDev, "/api/v1/services/a-svc/secrets/db-password", SECRET);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("created").asBoolean()).isTrue();
        TestApi.Res replaced = put(alphaDev, "/api/v1/services/a-svc/secrets/db-password", SECRET);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("created").asBoolean()).isFalse();
        assertThat(put(admin, "/api/v1/secrets/smtp-password", SECRET).status()).isEqualTo(201);
        answers.add(created);
        answers.add(replaced);

        TestApi.Res names = api.get(alphaViewer, "/api/v1/services/a-svc/secrets");
        assertThat(names.status()).isEqualTo(200);
        assertThat(names.json().get(0).get("name").asText()).isEqualTo("db-password");
        assertThat(names.json().get(0).has("value")).isFalse();
        answers.add(names);
        answers.add(api.get(admin, "/api/v1/secrets"));
        // there is no route that reads a value
        TestApi.Res read = api.get(admin, "/api/v1/services/a-svc/secrets/db-password");
        assertThat(read.status()).isIn(404, 405);
        answers.add(read);
        answers.add(api.get(admin, "/api/v1/services/a-svc/config?effective=true"));
        answers.add(api.get(admin, "/api/v1/services/a-svc/config/db-password"));
        // broken requests carrying the secret: the errors do not quote it
        String base = "/api/v1/services/a-svc/secrets/db-password";
        answers.add(api.put(alphaDev, base, "{\"value\": " + SECRET + "}"));
        answers.add(api.put(alphaDev, base, "{\"value\": \"" + SECRET));
        answers.add(api.put(alphaDev, base, "{\"" + SECRET + "\": \"x\"}"));
        answers.add(api.put(alphaDev, base, "[\"" + SECRET + "\"]"));
        answers.add(api.put(alphaDev, base, Map.of("value", SECRET + "\u0000")));
        answers.add(api.put(alphaDev, base, Map.of("value", SECRET.repeat(6000))));
        answers.add(put(alphaViewer, base, SECRET));
        answers.add(put(betaDev, base, SECRET));
        answers.add(put(alphaDev, "/api/v1/services/a-svc/secrets/bad%2Fname", SECRET));
        for (TestApi.Res r : answers.subList(7, answers.size())) {
            assertThat(r.status()).as(r.toString()).isBetween(400, 499);
        }
        for (TestApi.Res r : answers) {
            assertThat(r.body()).as("answer %s", r.status()).doesNotContain(SECRET);
        }

        // at rest: ciphertext only, and the executor reads the value back with the same key
        try (Connection c = fx.db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ciphertext FROM secrets")) {
            while (rs.next()) {
                assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1))
                        .doesNotContain(SECRET);
            }
        }
        PostgresSecretStore executorView =
                new PostgresSecretStore(
                        dataSource(),
                        SecretKeys.fromEnvironment(Map.of("FX_SECRETS_KEY", SECRETS_KEY)));
        assertThat(executorView.resolve("alpha", "a-svc", "db-password")).contains(SECRET);
        assertThat(executorView.get(ConfigScope.PLATFORM, "smtp-password")).contains(SECRET);

        assertThat(api.delete(alphaDev, base).status()).isEqualTo(204);
        assertThat(api.delete(alphaDev, base).status()).isEqualTo(404);
        assertThat(executorView.resolve("alpha", "a-svc", "db-password")).isEmpty();

        assertThat(logs.text()).contains("Secret db-password created").doesNotContain(SECRET);
    }

    @Test
    void aDeletedServicesConfigAndSecretsDoNotPassToTheNextOwnerOfItsName() {
        assertThat(
                        api.upload(
                                        alphaDev,
                                        Packages.python("reused-svc", "1", null),
                                        Map.of("project", "alpha"))
                                .status())
                .isEqualTo(201);
        assertThat(put(alphaDev, "/api/v1/services/reused-svc/config/endpoint", "alpha").status())
                .isEqualTo(200);
        assertThat(put(alphaDev, "/api/v1/services/reused-svc/secrets/token", SECRET).status())
                .isEqualTo(201);
        assertThat(api.delete(alphaDev, "/api/v1/services/reused-svc").status()).isEqualTo(204);

        // the name is free: another project takes it and finds nothing of alpha's
        assertThat(
                        api.upload(
                                        betaDev,
                                        Packages.python("reused-svc", "1", null),
                                        Map.of("project", "beta"))
                                .status())
                .isEqualTo(201);
        assertThat(api.get(betaDev, "/api/v1/services/reused-svc/config").json()).isEmpty();
        assertThat(api.get(betaDev, "/api/v1/services/reused-svc/secrets").json()).isEmpty();
        PostgresSecretStore executorView =
                new PostgresSecretStore(
                        dataSource(),
                        SecretKeys.fromEnvironment(Map.of("FX_SECRETS_KEY", SECRETS_KEY)));
        assertThat(executorView.resolve("beta", "reused-svc", "token")).isEmpty();
    }

    @Test
    void hostileInputGetsAClearError() {
        String path = "/api/v1/services/a-svc/config/";
        assertBad(put(alphaDev, path + "bad%2Fkey", "v"), 400, "invalid");
        assertBad(put(alphaDev, path + "k".repeat(300), "v"), 400, "invalid");
        assertBad(put(alphaDev, path + ".hidden", "v"), 400, "invalid");
        assertBad(api.put(alphaDev, path + "k", ""), 400, "empty");
        assertBad(api.put(alphaDev, path + "k", "{oops"), 400, "malformed JSON");
        assertBad(api.put(alphaDev, path + "k", "[1,2]"), 400, "JSON object");
        assertBad(api.put(alphaDev, path + "k", "{\"value\": null}"), 400, "DELETE");
        assertBad(api.put(alphaDev, path + "k", "{\"value\": 42}"), 400, "JSON string");
        assertBad(api.put(alphaDev, path + "k", Map.of("value", "v", "extra", 1)), 400, "'value'");
        assertBad(api.put(alphaDev, path + "k", Map.of("value", "a\u0000b")), 400, "NUL");
        assertBad(api.put(alphaDev, path + "k", Map.of("value", "x".repeat(70_000))), 400, "long");
        assertBad(
                api.put(alphaDev, path + "k", "{\"value\":\"" + "x".repeat(500_000) + "\"}"),
                413,
                "at most");
        assertBad(put(admin, "/api/v1/projects/Bad%20Name/config/k", "v"), 400, "invalid");
        assertThat(api.get(alphaDev, path + "k").status()).isEqualTo(404);
        assertThat(logs.text()).doesNotContain("internal error");
    }

    private static void assertBad(TestApi.Res r, int status, String reason) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("message").asText()).as(r.toString()).contains(reason);
    }

    private static TestApi.Res put(String token, String path, String value) {
        return api.put(token, path, Map.of("value", value));
    }

    private static List<String> keys(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("key").asText()));
        return out;
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(fx.db.url());
        ds.setUser(fx.db.user());
        ds.setPassword(fx.db.password());
        return ds;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String randomKey() {
        return Base64.getEncoder().encodeToString(random(32));
    }
}
