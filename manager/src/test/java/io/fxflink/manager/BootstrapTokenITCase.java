package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FX_BOOTSTRAP_ADMIN_TOKEN: the first admin token is the given value (hash stored only), restarts
 * with the same value change nothing, and a value given once tokens exist is not added.
 */
class BootstrapTokenITCase {
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.S3);

    private static final String PRESET = "fx_launcher-kept-token-0123456789abcdef";

    @Test
    void thePresetTokenBecomesTheFirstAdminTokenAndSurvivesRestarts() throws Exception {
        ManagerFixture fx = new ManagerFixture(SERVERS);
        Map<String, String> preset = Map.of("FX_BOOTSTRAP_ADMIN_TOKEN", PRESET);
        String firstId;
        try (ManagerApp app = fx.start(preset)) {
            assertThat(app.bootstrapToken()).isPresent();
            assertThat(app.bootstrapToken().get().token()).isEqualTo(PRESET);
            firstId = app.bootstrapToken().get().id();
            TestApi api = new TestApi(app.port());
            TestApi.Res me = api.get(PRESET, "/api/v1/whoami");
            assertThat(me.status()).as(me.toString()).isEqualTo(200);
            assertThat(me.json().get("roles").get("*").asText()).isEqualTo("ADMIN");
        }
        assertThat(storedHashes(fx)).hasSize(1).doesNotContain(PRESET);
        assertThat(storedHashes(fx).get(0)).matches("[0-9a-f]{64}");

        // a restart with the same value (fx up again): nothing new, the token still works
        try (ManagerApp again = fx.start(preset)) {
            assertThat(again.bootstrapToken()).isEmpty();
            TestApi.Res me = new TestApi(again.port()).get(PRESET, "/api/v1/whoami");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("tokenId").asText()).isEqualTo(firstId);
        }
        assertThat(storedHashes(fx)).hasSize(1);
    }

    @Test
    void anotherPresetIsIgnoredOnceTokensExist() throws Exception {
        ManagerFixture fx = new ManagerFixture(SERVERS);
        Optional<String> random;
        try (ManagerApp first = fx.start()) {
            random = first.bootstrapToken().map(t -> t.token());
        }
        assertThat(random).isPresent();
        assertThat(random.get()).isNotEqualTo(PRESET).startsWith("fx_");
        try (ManagerApp second = fx.start(Map.of("FX_BOOTSTRAP_ADMIN_TOKEN", PRESET))) {
            assertThat(second.bootstrapToken()).isEmpty();
            TestApi api = new TestApi(second.port());
            assertThat(api.get(PRESET, "/api/v1/whoami").status()).isEqualTo(401);
            assertThat(api.get(random.get(), "/api/v1/whoami").status()).isEqualTo(200);
        }
        assertThat(storedHashes(fx)).hasSize(1);
    }

    @Test
    void aRevokedPresetTokenIsNotRevived() throws Exception {
        ManagerFixture fx = new ManagerFixture(SERVERS);
        Map<String, String> preset = Map.of("FX_BOOTSTRAP_ADMIN_TOKEN", PRESET);
        try (ManagerApp app = fx.start(preset)) {
            TestApi api = new TestApi(app.port());
            String other =
                    AccessITCaseTokens.create(api, PRESET, "second-admin", Map.of("*", "admin"));
            String id = app.bootstrapToken().orElseThrow().id();
            assertThat(api.delete(other, "/api/v1/tokens/" + id).status()).isEqualTo(204);
            assertThat(api.get(PRESET, "/api/v1/whoami").status()).isEqualTo(401);
        }
        try (ManagerApp again = fx.start(preset)) {
            assertThat(again.bootstrapToken()).isEmpty();
            assertThat(new TestApi(again.port()).get(PRESET, "/api/v1/whoami").status())
                    .isEqualTo(401);
        }
    }

    private static List<String> storedHashes(ManagerFixture fx) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = fx.db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT token_sha256 FROM api_tokens")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
