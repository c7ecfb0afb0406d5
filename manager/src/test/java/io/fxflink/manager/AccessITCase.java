package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens and roles per project: every role, missing/invalid tokens, cross-project access. */
class AccessITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    static ManagerFixture fx;
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
        app = fx.start();
        api = new TestApi(app.port());
        admin = app.bootstrapToken().orElseThrow().token();
        assertThat(api.post(admin, "/api/v1/projects", Map.of("name", "alpha")).status())
                .isEqualTo(201);
        assertThat(api.post(admin, "/api/v1/projects", Map.of("name", "beta")).status())
                .isEqualTo(201);
        alphaAdmin = token(admin, "alpha-admin", Map.of("alpha", "admin"));
        alphaDev = token(alphaAdmin, "alpha-dev", Map.of("alpha", "developer"));
        alphaViewer = token(alphaAdmin, "alpha-viewer", Map.of("alpha", "viewer"));
        betaDev = token(admin, "beta-dev", Map.of("beta", "developer"));
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
    }

    static String token(String creator, String name, Map<String, String> roles) {
        TestApi.Res r = api.post(creator, "/api/v1/tokens", Map.of("name", name, "roles", roles));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    @Test
    void everyApiRouteNeedsAToken() {
        for (String path :
                List.of(
                        "/api/v1/services",
                        "/api/v1/links",
                        "/api/v1/tokens",
                        "/api/v1/projects",
                        "/api/v1/openapi.json",
                        "/metrics",
                        "/api/v1/services/a-svc")) {
            TestApi.Res none = api.get(null, path);
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(none.json().get("code").asText()).isEqualTo("unauthorized");
            assertThat(api.get("fx_not-a-real-token", path).status()).as(path).isEqualTo(401);
        }
        TestApi.Res basic =
                api.postRaw(
                        null,
                        "/api/v1/links",
                        Map.of("Authorization", "Basic YWRtaW46YWRtaW4="),
                        new byte[0]);
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().get("message").asText()).contains("Bearer");
        assertThat(api.get(null, "/health/live").status()).isEqualTo(200);
    }

    @Test
    void tokensAreStoredHashedOnly() throws Exception {
        List<String> stored = new ArrayList<>();
        try (Connection c = fx.db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT token_sha256 FROM api_tokens")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).hasSizeGreaterThanOrEqualTo(5).allMatch(h -> h.matches("[0-9a-f]{64}"));
        assertThat(stored).doesNotContain(admin, alphaDev, betaDev);
        JsonNode listed = api.get(admin, "/api/v1/tokens").json();
        assertThat(listed.toString()).doesNotContain(alphaDev).doesNotContain("sha256");
    }

    @Test
    void viewersReadButCannotChange() {
        assertThat(api.get(alphaViewer, "/api/v1/services/a-svc").status()).isEqualTo(200);
        TestApi.Res upload =
                api.upload(
                        alphaViewer,
                        Packages.python("a-svc", "2", null),
                        Map.of("project", "alpha"));
        assertThat(upload.status()).isEqualTo(403);
        assertThat(upload.json().get("message").asText()).contains("developer").contains("alpha");
        assertThat(api.post(alphaViewer, "/api/v1/services/a-svc/deactivate", Map.of()).status())
                .isEqualTo(403);
        assertThat(
                        api.post(
                                        alphaViewer,
                                        "/api/v1/links",
                                        Map.of("eventType", "x", "service", "a-svc"))
                                .status())
                .isEqualTo(403);
        assertThat(
                        api.post(
                                        alphaViewer,
                                        "/api/v1/tokens",
                                        Map.of("name", "x", "roles", Map.of("alpha", "viewer")))
                                .status())
                .isEqualTo(403);
    }

    @Test
    void developersChangeTheirProjectOnly() {
        TestApi.Res link =
                api.post(
                        alphaDev,
                        "/api/v1/links",
                        Map.of("id", "a-link", "eventType", "x.y", "service", "a-svc"));
        assertThat(link.status()).as(link.toString()).isEqualTo(201);
        // cross-project: beta's developer can neither see nor change alpha's things
        assertThat(api.get(betaDev, "/api/v1/services/a-svc").status()).isEqualTo(403);
        assertThat(api.get(betaDev, "/api/v1/links/a-link").status()).isEqualTo(403);
        assertThat(api.delete(betaDev, "/api/v1/links/a-link").status()).isEqualTo(403);
        assertThat(
                        api.post(
                                        betaDev,
                                        "/api/v1/links",
                                        Map.of("eventType", "x", "service", "a-svc"))
                                .status())
                .isEqualTo(403);
        assertThat(
                        api.upload(
                                        betaDev,
                                        Packages.python("a-svc", "9", null),
                                        Map.of("project", "alpha"))
                                .status())
                .isEqualTo(403);
        // a service name belongs to one project
        TestApi.Res hijack =
                api.upload(betaDev, Packages.python("a-svc", "9", null), Map.of("project", "beta"));
        assertThat(hijack.status()).isEqualTo(409);
        assertThat(hijack.json().get("message").asText()).contains("belongs to project 'alpha'");
        // lists are filtered to what the caller may see
        assertThat(names(api.get(betaDev, "/api/v1/services").json())).containsExactly("b-svc");
        assertThat(names(api.get(alphaViewer, "/api/v1/services").json())).containsExactly("a-svc");
        assertThat(names(api.get(admin, "/api/v1/services").json())).contains("a-svc", "b-svc");
        assertThat(api.get(betaDev, "/api/v1/links").json().toString()).doesNotContain("a-link");
        // developers cannot mint tokens, admins of one project cannot grant another
        assertThat(
                        api.post(
                                        alphaDev,
                                        "/api/v1/tokens",
                                        Map.of("name", "x", "roles", Map.of("alpha", "viewer")))
                                .status())
                .isEqualTo(403);
        assertThat(
                        api.post(
                                        alphaAdmin,
                                        "/api/v1/tokens",
                                        Map.of("name", "x", "roles", Map.of("beta", "viewer")))
                                .status())
                .isEqualTo(403);
        assertThat(
                        api.post(
                                        alphaAdmin,
                                        "/api/v1/tokens",
                                        Map.of("name", "x", "roles", Map.of("*", "viewer")))
                                .status())
                .isEqualTo(403);
        assertThat(api.post(alphaAdmin, "/api/v1/projects", Map.of("name", "gamma")).status())
                .isEqualTo(403);
    }

    @Test
    void revokedTokensStopWorking() {
        TestApi.Res created =
                api.post(
                        alphaAdmin,
                        "/api/v1/tokens",
                        Map.of("name", "short-lived", "roles", Map.of("alpha", "viewer")));
        String token = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(api.get(token, "/api/v1/services").status()).isEqualTo(200);
        assertThat(api.delete(betaDev, "/api/v1/tokens/" + id).status()).isEqualTo(403);
        assertThat(api.delete(alphaAdmin, "/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertThat(api.get(token, "/api/v1/services").status()).isEqualTo(401);
        assertThat(api.delete(alphaAdmin, "/api/v1/tokens/tok-nope").status()).isEqualTo(404);
    }

    @Test
    void badTokenRequestsSayWhatIsWrong() {
        TestApi.Res noRoles = api.post(admin, "/api/v1/tokens", Map.of("name", "x"));
        assertThat(noRoles.status()).isEqualTo(400);
        assertThat(noRoles.json().get("message").asText()).contains("roles");
        TestApi.Res badRole =
                api.post(
                        admin,
                        "/api/v1/tokens",
                        Map.of("name", "x", "roles", Map.of("alpha", "god")));
        assertThat(badRole.json().get("message").asText()).contains("admin, developer, viewer");
        assertThat(
                        api.post(
                                        admin,
                                        "/api/v1/tokens",
                                        Map.of("name", "x", "roles", Map.of("nope", "viewer")))
                                .status())
                .isEqualTo(404);
        assertThat(api.post(admin, "/api/v1/projects", Map.of("name", "Bad Name")).status())
                .isEqualTo(400);
        assertThat(api.post(admin, "/api/v1/projects", Map.of("name", "alpha")).status())
                .isEqualTo(409);
    }

    @Test
    void theBootstrapTokenIsCreatedOnlyOnce() {
        ManagerConfig c = fx.config();
        try (ManagerApp second = new ManagerApp(c, ManagerDeps.create(c))) {
            assertThat(second.bootstrapToken()).isEmpty();
        }
        assertThat(api.get(admin, "/api/v1/whoami").json().get("roles").get("*").asText())
                .isEqualTo("ADMIN");
    }

    @Test
    void everyRouteIsInTheOpenApiDocumentAndNothingElse() {
        JsonNode paths = api.get(admin, "/api/v1/openapi.json").json().get("paths");
        java.util.Set<String> routes = new java.util.TreeSet<>();
        for (var e : app.javalinApp().unsafe.internalRouter.allHttpHandlers()) {
            String method = e.endpoint.method.name().toLowerCase(java.util.Locale.ROOT);
            if (List.of("get", "post", "put", "delete", "patch").contains(method)) {
                routes.add(method + " " + e.endpoint.path);
            }
        }
        java.util.Set<String> documented = new java.util.TreeSet<>();
        paths.fields()
                .forEachRemaining(
                        p ->
                                p.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                m -> documented.add(m + " " + p.getKey())));
        assertThat(routes).hasSizeGreaterThan(25);
        assertThat(documented).isEqualTo(routes);
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("name").asText()));
        return out;
    }
}
