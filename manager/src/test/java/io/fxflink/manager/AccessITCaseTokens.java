package io.fxflink.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** Creates tokens through the API for tests. */
final class AccessITCaseTokens {
    private AccessITCaseTokens() {}

    static String create(TestApi api, String creator, String name, Map<String, String> roles) {
        TestApi.Res r = api.post(creator, "/api/v1/tokens", Map.of("name", name, "roles", roles));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }
}
