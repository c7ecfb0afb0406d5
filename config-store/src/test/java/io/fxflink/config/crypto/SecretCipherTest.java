package io.fxflink.config.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.config.ConfigScope;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private final SecretCipher cipher = new SecretCipher(new byte[32]);
    private final ConfigScope scope = ConfigScope.service("billing");

    @Test
    void roundTripsAndUsesAFreshNonceEachTime() {
        byte[] a = cipher.encrypt(scope, "token", "hunter2");
        byte[] b = cipher.encrypt(scope, "token", "hunter2");
        assertThat(a).isNotEqualTo(b);
        assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThat(cipher.decrypt(scope, "token", a, cipher.keyId())).isEqualTo("hunter2");
        assertThat(cipher.decrypt(scope, "token", b, null)).isEqualTo("hunter2");
    }

    @Test
    void aFlippedBitIsDetected() {
        byte[] sealed = cipher.encrypt(scope, "token", "hunter2");
        sealed[sealed.length - 3] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(scope, "token", sealed, cipher.keyId()))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void aCiphertextIsBoundToItsScopeAndName() {
        byte[] sealed = cipher.encrypt(scope, "token", "hunter2");
        assertThatThrownBy(() -> cipher.decrypt(scope, "other", sealed, null))
                .isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(
                        () -> cipher.decrypt(ConfigScope.project("billing"), "token", sealed, null))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void truncatedOrForeignBytesGiveAClearError() {
        assertThatThrownBy(() -> cipher.decrypt(scope, "t", new byte[5], null))
                .hasMessageContaining("not a valid ciphertext");
        byte[] sealed = cipher.encrypt(scope, "t", "v");
        sealed[0] = 9;
        assertThatThrownBy(() -> cipher.decrypt(scope, "t", sealed, null))
                .hasMessageContaining("unknown format version 9");
    }

    @Test
    void aWrongKeyIsNamedByItsIdNeverByItsBytes() {
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);
        SecretCipher other = new SecretCipher(otherKey);
        byte[] sealed = cipher.encrypt(scope, "t", "v");
        assertThatThrownBy(() -> other.decrypt(scope, "t", sealed, cipher.keyId()))
                .hasMessageContaining(cipher.keyId())
                .hasMessageContaining(other.keyId());
        assertThat(other.keyId()).hasSize(16).isNotEqualTo(cipher.keyId());
    }

    @Test
    void rejectsKeysOfTheWrongSize() {
        assertThatThrownBy(() -> new SecretCipher(new byte[10]))
                .hasMessageContaining("16, 24 or 32 bytes, got 10");
    }
}
