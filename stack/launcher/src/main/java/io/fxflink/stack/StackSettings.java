package io.fxflink.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of the local stack in one typed place. Values come from environment variables (or
 * system properties of the same name); each server may instead be given by the user, which is how a
 * production deployment is configured.
 */
public record StackSettings(
        Path home,
        Path dist,
        int controlPort,
        int kafkaPort,
        int kafkaControllerPort,
        int elasticsearchPort,
        int elasticsearchTransportPort,
        int s3Port,
        int postgresPort,
        String kafkaHeap,
        String elasticsearchHeap,
        String s3AccessKey,
        String s3SecretKey,
        Map<ServerKind, Endpoints> external) {

    /**
     * One documented option: its variable, default and meaning (shown by {@code fx-stack help}).
     */
    public record Option(String variable, String defaultValue, String description) {}

    public static final List<Option> OPTIONS =
            List.of(
                    new Option(
                            "FX_HOME",
                            "<checkout>/.stack/local",
                            "working folder: all server data; wipe it to reset"),
                    new Option(
                            "FX_DIST",
                            "<checkout>/stack/dist/target/fx-dist",
                            "server distributions laid out by the build"),
                    new Option(
                            "FX_STACK_CONTROL_PORT",
                            "19990",
                            "control port of the stack supervisor (loopback)"),
                    new Option("FX_KAFKA_PORT", "19092", "Kafka listener (controller on port+1)"),
                    new Option("FX_ES_PORT", "19200", "Elasticsearch HTTP (transport on port+100)"),
                    new Option("FX_S3_PORT", "19000", "S3Proxy S3 API"),
                    new Option("FX_PG_PORT", "15432", "PostgreSQL"),
                    new Option("FX_KAFKA_HEAP", "-Xms128m -Xmx512m", "Kafka JVM heap flags"),
                    new Option("FX_ES_HEAP", "-Xms512m -Xmx512m", "Elasticsearch JVM heap flags"),
                    new Option("FX_S3_ACCESS_KEY", "fxlocal", "S3 access key of the local S3Proxy"),
                    new Option(
                            "FX_S3_SECRET_KEY",
                            "fxlocal-secret",
                            "S3 secret key of the local S3Proxy"),
                    new Option("FX_KAFKA_BOOTSTRAP", "", "use this Kafka instead of starting one"),
                    new Option("FX_ES_URL", "", "use this Elasticsearch instead of starting one"),
                    new Option(
                            "FX_S3_ENDPOINT",
                            "",
                            "use this S3 endpoint (with FX_S3_ACCESS_KEY/SECRET_KEY)"),
                    new Option(
                            "FX_PG_URL",
                            "",
                            "use this PostgreSQL JDBC URL (with FX_PG_USER/FX_PG_PASSWORD)"));

    public StackSettings {
        external = Map.copyOf(external);
    }

    /** Settings from the process environment and system properties. */
    public static StackSettings fromEnvironment() {
        return from(
                name -> Optional.ofNullable(System.getProperty(name)).orElse(System.getenv(name)));
    }

    public static StackSettings from(Function<String, String> lookup) {
        Function<String, Optional<String>> get =
                name -> Optional.ofNullable(lookup.apply(name)).filter(v -> !v.isBlank());
        Path root = ProjectRoot.find();
        Path home =
                get.apply("FX_HOME").map(Path::of).orElse(root.resolve(".stack").resolve("local"));
        Path dist =
                get.apply("FX_DIST")
                        .or(() -> Optional.ofNullable(System.getProperty("fx.dist")))
                        .map(Path::of)
                        .orElse(root.resolve("stack/dist/target/fx-dist"));
        int kafkaPort = port(get, "FX_KAFKA_PORT", 19092);
        int esPort = port(get, "FX_ES_PORT", 19200);
        String accessKey = get.apply("FX_S3_ACCESS_KEY").orElse("fxlocal");
        String secretKey = get.apply("FX_S3_SECRET_KEY").orElse("fxlocal-secret");

        Map<ServerKind, Endpoints> external = new EnumMap<>(ServerKind.class);
        get.apply("FX_KAFKA_BOOTSTRAP")
                .ifPresent(
                        v ->
                                external.put(
                                        ServerKind.KAFKA,
                                        new Endpoints().with(Endpoints.KAFKA_BOOTSTRAP, v)));
        get.apply("FX_ES_URL")
                .ifPresent(
                        v ->
                                external.put(
                                        ServerKind.ELASTICSEARCH,
                                        new Endpoints().with(Endpoints.ES_URL, v)));
        get.apply("FX_S3_ENDPOINT")
                .ifPresent(
                        v ->
                                external.put(
                                        ServerKind.S3,
                                        new Endpoints()
                                                .with(Endpoints.S3_ENDPOINT, v)
                                                .with(Endpoints.S3_ACCESS_KEY, accessKey)
                                                .with(Endpoints.S3_SECRET_KEY, secretKey)));
        get.apply("FX_PG_URL")
                .ifPresent(
                        v ->
                                external.put(
                                        ServerKind.POSTGRES,
                                        new Endpoints()
                                                .with(Endpoints.PG_URL, v)
                                                .with(
                                                        Endpoints.PG_USER,
                                                        get.apply("FX_PG_USER").orElse("postgres"))
                                                .with(
                                                        Endpoints.PG_PASSWORD,
                                                        get.apply("FX_PG_PASSWORD").orElse(""))));
        return new StackSettings(
                home.toAbsolutePath().normalize(),
                dist.toAbsolutePath().normalize(),
                port(get, "FX_STACK_CONTROL_PORT", 19990),
                kafkaPort,
                kafkaPort + 1,
                esPort,
                esPort + 100,
                port(get, "FX_S3_PORT", 19000),
                port(get, "FX_PG_PORT", 15432),
                get.apply("FX_KAFKA_HEAP").orElse("-Xms128m -Xmx512m"),
                get.apply("FX_ES_HEAP").orElse("-Xms512m -Xmx512m"),
                accessKey,
                secretKey,
                external);
    }

    public StackSettings withHome(Path newHome) {
        return new StackSettings(
                newHome.toAbsolutePath().normalize(),
                dist,
                controlPort,
                kafkaPort,
                kafkaControllerPort,
                elasticsearchPort,
                elasticsearchTransportPort,
                s3Port,
                postgresPort,
                kafkaHeap,
                elasticsearchHeap,
                s3AccessKey,
                s3SecretKey,
                external);
    }

    public Path serverDir(ServerKind kind) {
        return home.resolve(kind.id());
    }

    /**
     * Checks that the build laid out the server distributions, with a message that says the fix.
     */
    public Path requireDist(String relative) {
        Path p = dist.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(
                    "server distribution "
                            + p
                            + " is missing: build it with './mvnw -pl stack/dist package'"
                            + " (the full build does it first), or set FX_DIST");
        }
        return p;
    }

    private static int port(Function<String, Optional<String>> get, String name, int dflt) {
        String v = get.apply(name).orElse(Integer.toString(dflt));
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be a port number (1-65535), got '" + v + "'");
        }
    }
}
