package io.fxflink.config.postgres;

import io.fxflink.config.ConfigKeys;
import io.fxflink.config.ConfigScope;
import io.fxflink.config.SecretStore;
import io.fxflink.config.crypto.SecretCipher;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Secrets in table {@code secrets} (migration V200), AES-GCM encrypted before they leave the JVM:
 * the database (and its backups) only ever hold ciphertext. Error messages name the secret, never
 * its value.
 */
public final class PostgresSecretStore implements SecretStore {
    private final DataSource dataSource;
    private final SecretCipher cipher;

    public PostgresSecretStore(DataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    @Override
    public Optional<String> get(ConfigScope scope, String name) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(name, "secret name");
        return PostgresConfigStore.Sql.query(
                dataSource,
                "read secret '" + name + "'",
                "SELECT ciphertext, key_id FROM secrets WHERE scope_level = ? AND scope_name = ?"
                        + " AND name = ?",
                ps -> {
                    PostgresConfigStore.bindScope(ps, scope);
                    ps.setString(3, name);
                },
                rs ->
                        rs.next()
                                ? Optional.of(
                                        cipher.decrypt(
                                                scope, name, rs.getBytes(1), rs.getString(2)))
                                : Optional.empty());
    }

    @Override
    public Set<String> names(ConfigScope scope) {
        ConfigKeys.scope(scope);
        return PostgresConfigStore.Sql.query(
                dataSource,
                "list secrets",
                "SELECT name FROM secrets WHERE scope_level = ? AND scope_name = ?",
                ps -> PostgresConfigStore.bindScope(ps, scope),
                rs -> {
                    Set<String> out = new TreeSet<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                });
    }

    @Override
    public void put(ConfigScope scope, String name, String value) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(name, "secret name");
        ConfigKeys.value(value, "secret value");
        byte[] sealed = cipher.encrypt(scope, name, value);
        PostgresConfigStore.Sql.update(
                dataSource,
                "write secret '" + name + "'",
                "INSERT INTO secrets (scope_level, scope_name, name, ciphertext, key_id,"
                        + " updated_at) VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (scope_level,"
                        + " scope_name, name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext,"
                        + " key_id = EXCLUDED.key_id, updated_at = now()",
                ps -> {
                    PostgresConfigStore.bindScope(ps, scope);
                    ps.setString(3, name);
                    ps.setBytes(4, sealed);
                    ps.setString(5, cipher.keyId());
                });
    }

    @Override
    public boolean delete(ConfigScope scope, String name) {
        ConfigKeys.scope(scope);
        ConfigKeys.key(name, "secret name");
        return PostgresConfigStore.Sql.update(
                        dataSource,
                        "delete secret '" + name + "'",
                        "DELETE FROM secrets WHERE scope_level = ? AND scope_name = ? AND name = ?",
                        ps -> {
                            PostgresConfigStore.bindScope(ps, scope);
                            ps.setString(3, name);
                        })
                > 0;
    }
}
