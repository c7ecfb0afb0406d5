package io.fxflink.config.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretKeysTest {
    @Test
    void usesTheConfiguredKey() {
        byte[] key = new byte[32];
        key[0] = 1;
        SecretCipher cipher =
                SecretKeys.fromEnvironment(
                        Map.of(SecretKeys.KEY_ENV, Base64.getEncoder().encodeToString(key)));
        assertThat(cipher.keyId()).isEqualTo(new SecretCipher(key).keyId());
    }

    @Test
    void productionWithoutAKeyRefusesToStartAndSaysHowToFixIt() {
        assertThatThrownBy(
                        () -> SecretKeys.fromEnvironment(Map.of(SecretKeys.MODE_ENV, "production")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FX_SECRETS_KEY is not set")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void localModeWithoutAKeyUsesTheDocumentedDevelopmentKey() {
        SecretCipher cipher = SecretKeys.fromEnvironment(Map.of());
        assertThat(cipher.keyId())
                .isEqualTo(new SecretCipher(SecretKeys.localDefaultKey()).keyId());
    }

    @Test
    void brokenKeysGiveClearErrors() {
        assertThatThrownBy(() -> SecretKeys.fromEnvironment(Map.of(SecretKeys.KEY_ENV, "%%%")))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(
                        () ->
                                SecretKeys.fromEnvironment(
                                        Map.of(
                                                SecretKeys.KEY_ENV,
                                                Base64.getEncoder().encodeToString(new byte[7]))))
                .hasMessageContaining("got 7 bytes");
    }
}
