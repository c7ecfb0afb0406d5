package io.fxflink.config.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.config.ConfigScope;
import io.fxflink.config.SecretStore;
import io.fxflink.config.SecretStoreContract;
import io.fxflink.config.crypto.SecretCipher;
import io.fxflink.config.crypto.SecretDecryptionException;
import io.fxflink.stack.ServerKind;
import io.fxflink.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The secret store contract against a real PostgreSQL, plus key and tampering checks. */
class PostgresSecretStoreITCase extends SecretStoreContract {
    @RegisterExtension static final RealServers SERVERS = RealServers.of(ServerKind.POSTGRES);

    static final SecretCipher CIPHER = new SecretCipher(randomKey());
    static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = PgFixture.migratedDatabase(SERVERS, "secretstore");
    }

    @Override
    protected SecretStore store() {
        return new PostgresSecretStore(dataSource, CIPHER);
    }

    @Override
    protected String unique(String prefix) {
        return RealServers.uniqueName(prefix);
    }

    @Override
    protected String rawStoredForm(ConfigScope scope, String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT ciphertext FROM secrets WHERE scope_level = ? AND"
                                        + " scope_name = ? AND name = ?")) {
            ps.setString(1, scope.level().name());
            ps.setString(2, scope.name());
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSecretWrittenWithAnotherKeyFailsWithAMessageNamingBothKeys() {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        store().put(scope, "token", "the-value");
        SecretCipher other = new SecretCipher(randomKey());
        assertThatThrownBy(() -> new PostgresSecretStore(dataSource, other).get(scope, "token"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining(CIPHER.keyId())
                .hasMessageContaining(other.keyId())
                .hasMessageNotContaining("the-value");
    }

    @Test
    void aCiphertextMovedToAnotherRowDoesNotDecrypt() throws SQLException {
        ConfigScope scope = ConfigScope.service(unique("svc"));
        store().put(scope, "a", "value-of-a");
        store().put(scope, "b", "value-of-b");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets"
                                        + " WHERE scope_name = ? AND name = 'a') WHERE scope_name"
                                        + " = ? AND name = 'b'")) {
            ps.setString(1, scope.name());
            ps.setString(2, scope.name());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThatThrownBy(() -> store().get(scope, "b"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("failed authentication");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
