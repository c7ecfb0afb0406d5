package io.fxflink.stack;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the stack's servers answer: the one shape both the launcher and its clients (tests, the
 * platform's processes) use. Keys are stable: they are written to files and sent over the control
 * port.
 */
public final class Endpoints {
    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap-servers";
    public static final String ES_URL = "elasticsearch.url";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";
    public static final String PG_URL = "postgres.url";
    public static final String PG_USER = "postgres.user";
    public static final String PG_PASSWORD = "postgres.password";

    private final TreeMap<String, String> values = new TreeMap<>();

    public Endpoints() {}

    public Endpoints with(String key, String value) {
        Endpoints copy = new Endpoints();
        copy.values.putAll(values);
        copy.values.put(key, value);
        return copy;
    }

    public Endpoints merge(Endpoints other) {
        Endpoints copy = new Endpoints();
        copy.values.putAll(values);
        copy.values.putAll(other.values);
        return copy;
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException(
                    "no endpoint '" + key + "' is known; have " + values.keySet());
        }
        return v;
    }

    public String kafkaBootstrap() {
        return get(KAFKA_BOOTSTRAP);
    }

    public String elasticsearchUrl() {
        return get(ES_URL);
    }

    public String s3Endpoint() {
        return get(S3_ENDPOINT);
    }

    public String s3AccessKey() {
        return get(S3_ACCESS_KEY);
    }

    public String s3SecretKey() {
        return get(S3_SECRET_KEY);
    }

    public String postgresUrl() {
        return get(PG_URL);
    }

    public String postgresUser() {
        return get(PG_USER);
    }

    public String postgresPassword() {
        return get(PG_PASSWORD);
    }

    /** Visits every endpoint in key order, with secrets masked (for printing). */
    public void forEach(java.util.function.BiConsumer<String, String> visitor) {
        values.forEach(
                (k, v) ->
                        visitor.accept(
                                k, k.equals(S3_SECRET_KEY) || k.equals(PG_PASSWORD) ? "***" : v));
    }

    public String toPropertiesText() {
        Properties p = new Properties();
        p.putAll(values);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "FX local stack endpoints");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static Endpoints fromPropertiesText(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Endpoints e = new Endpoints();
        p.stringPropertyNames().forEach(k -> e.values.put(k, p.getProperty(k)));
        return e;
    }

    @Override
    public String toString() {
        TreeMap<String, String> shown = new TreeMap<>(values);
        shown.computeIfPresent(S3_SECRET_KEY, (k, v) -> "***");
        shown.computeIfPresent(PG_PASSWORD, (k, v) -> "***");
        return shown.toString();
    }
}
