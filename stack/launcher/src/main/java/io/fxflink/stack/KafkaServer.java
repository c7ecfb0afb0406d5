package io.fxflink.stack;

import io.fxflink.stack.internal.ChildProcess;
import io.fxflink.stack.internal.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single-node Kafka broker in KRaft mode (broker + controller), in its own JVM. */
final class KafkaServer implements ManagedServer {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

    private final StackSettings settings;
    private final Path dir;
    private ChildProcess process;

    KafkaServer(StackSettings settings) {
        this.settings = settings;
        this.dir = settings.serverDir(ServerKind.KAFKA);
    }

    @Override
    public ServerKind kind() {
        return ServerKind.KAFKA;
    }

    @Override
    public Endpoints endpoints() {
        return new Endpoints().with(Endpoints.KAFKA_BOOTSTRAP, "127.0.0.1:" + settings.kafkaPort());
    }

    @Override
    public boolean answers() {
        if (!Probes.tcp("127.0.0.1", settings.kafkaPort())) {
            return false;
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints().kafkaBootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(p)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public Endpoints start(Duration timeout) throws Exception {
        Path libs = settings.requireDist("kafka/lib");
        Path data = dir.resolve("data");
        Path config = dir.resolve("server.properties");
        Files.createDirectories(data);
        Files.writeString(config, serverProperties(data));
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J);
        String classpath = libs + "/*";
        String log4jFlag = "-Dlog4j2.configurationFile=" + log4j;

        if (!Files.exists(data.resolve("meta.properties"))) {
            // KRaft storage is formatted once per data folder (what bin/kafka-storage.sh format
            // does)
            List<String> format =
                    List.of(
                            ChildProcess.javaExecutable(),
                            "-Xmx256m",
                            log4jFlag,
                            "-cp",
                            classpath,
                            "kafka.tools.StorageTool",
                            "format",
                            "--standalone",
                            "-t",
                            clusterId(),
                            "-c",
                            config.toString());
            ChildProcess fmt =
                    ChildProcess.start(
                            "kafka-format", format, Map.of(), dir, dir.resolve("format.log"));
            Probes.await(
                    "kafka storage format", Duration.ofSeconds(60), () -> !fmt.isAlive(), () -> {});
            if (!Files.exists(data.resolve("meta.properties"))) {
                throw new IllegalStateException(
                        "formatting Kafka storage failed:\n" + ChildProcess.tail(fmt.log(), 30));
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.javaExecutable());
        cmd.addAll(Arrays.asList(settings.kafkaHeap().trim().split("\\s+")));
        cmd.addAll(
                List.of(
                        "-XX:+UseG1GC",
                        "-XX:MaxGCPauseMillis=20",
                        "-Djava.awt.headless=true",
                        log4jFlag,
                        "-cp",
                        classpath,
                        "kafka.Kafka",
                        config.toString()));
        Path logFile = dir.resolve("kafka.log");
        Files.deleteIfExists(logFile);
        process = ChildProcess.start("kafka", cmd, Map.of(), dir, logFile);
        Probes.await(
                "Kafka on port " + settings.kafkaPort(),
                timeout,
                () -> logContains(logFile, "Kafka Server started"),
                process::checkAlive);
        LOG.debug("kafka pid {} up", process.pid());
        return endpoints();
    }

    private String serverProperties(Path data) {
        int port = settings.kafkaPort();
        int controller = settings.kafkaControllerPort();
        return String.join(
                "\n",
                "# written by the FX local stack at each start",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:"
                        + port
                        + ",CONTROLLER://127.0.0.1:"
                        + controller,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "share.coordinator.state.topic.num.partitions=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "delete.topic.enable=true",
                "log.retention.hours=168",
                "log.segment.bytes=67108864",
                "");
    }

    private static String clusterId() {
        // Kafka cluster ids are 22-character url-safe base64 of a UUID
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void stop() {
        if (process != null) {
            // a controlled shutdown of a single node takes a few seconds
            process.stop(30);
            process = null;
        }
    }

    private static final String LOG4J =
            String.join(
                    "\n",
                    "status = warn",
                    "appender.console.type = Console",
                    "appender.console.name = STDOUT",
                    "appender.console.layout.type = PatternLayout",
                    "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                    "rootLogger.level = WARN",
                    "rootLogger.appenderRef.stdout.ref = STDOUT",
                    "logger.server.name = kafka.server.KafkaRaftServer",
                    "logger.server.level = INFO",
                    "");
}
