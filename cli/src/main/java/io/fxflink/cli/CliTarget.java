package io.fxflink.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Which manager the CLI talks to and with which token: FX_URL / FX_TOKEN when set, otherwise what
 * {@code fx up} left in the local platform's working folder.
 */
record CliTarget(String url, String token, String origin) {

    static CliTarget resolve(Map<String, String> env, Path localHome) {
        Properties local = new Properties();
        Path file = localHome.resolve("cli.properties");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                local.load(r);
            } catch (IOException e) {
                throw new CliException(
                        ExitCodes.REJECTED, "cannot read " + file + ": " + e.getMessage());
            }
        }
        Optional<String> url = nonBlank(env.get("FX_URL"));
        Optional<String> token = nonBlank(env.get("FX_TOKEN"));
        String origin =
                url.isPresent() ? "FX_URL" : Files.exists(file) ? file.toString() : "default";
        return new CliTarget(
                stripSlash(url.orElse(local.getProperty("url", "http://127.0.0.1:18080"))),
                token.orElse(local.getProperty("token", "")),
                origin);
    }

    private static Optional<String> nonBlank(String v) {
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }

    private static String stripSlash(String u) {
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
