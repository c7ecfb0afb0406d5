package io.fxflink.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * The configuration folder of a local standalone cluster, generated from {@code
 * flink-conf/config.yaml}: the working folder put in for {@code <FX_HOME>}, the local ports, jar
 * submission, fast failure detection, and a log4j configuration writing to {@code -Dlog.file}.
 */
final class FlinkClusterConf {
    /** Heartbeats that notice a killed TaskManager in seconds (Flink's defaults take 20-50 s). */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);

    private static final String LOG4J =
            String.join(
                    "\n",
                    "monitorInterval = 30",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = MainAppender",
                    "appender.main.name = MainAppender",
                    "appender.main.type = RollingFile",
                    "appender.main.append = true",
                    "appender.main.fileName = ${sys:log.file}",
                    "appender.main.filePattern = ${sys:log.file}.%i",
                    "appender.main.layout.type = PatternLayout",
                    "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                    "appender.main.policies.type = Policies",
                    "appender.main.policies.size.type = SizeBasedTriggeringPolicy",
                    "appender.main.policies.size.size = 100MB",
                    "appender.main.strategy.type = DefaultRolloverStrategy",
                    "appender.main.strategy.max = 5",
                    "logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline",
                    "logger.netty.level = OFF",
                    "");

    private final Path dir;
    private final Configuration config;

    private FlinkClusterConf(Path dir, Configuration config) {
        this.dir = dir;
        this.config = config;
    }

    /**
     * Writes {@code <work>/conf} and the folders the configuration points at.
     *
     * @param overrides further {@code key: value} settings (memory sizes, slots), applied last
     */
    static FlinkClusterConf write(
            Path templateDir,
            Path home,
            Path work,
            int restPort,
            int rpcPort,
            Map<String, String> overrides)
            throws IOException {
        Path dir = work.resolve("conf");
        Files.createDirectories(dir);
        String yaml =
                Files.readString(templateDir.resolve("config.yaml"))
                        .replace("<FX_HOME>", home.toAbsolutePath().toString());
        Files.writeString(dir.resolve("config.yaml"), yaml);
        Configuration c = GlobalConfiguration.loadConfiguration(dir.toString());
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.PORT, restPort);
        c.set(JobManagerOptions.ADDRESS, "localhost");
        c.set(JobManagerOptions.PORT, rpcPort);
        // the TaskManagers learn the blob port from the JobManager: any free one will do, so
        // two local clusters (fx up and a test) never collide on it
        c.set(BlobServerOptions.PORT, "0");
        c.set(WebOptions.SUBMIT_ENABLE, true);
        c.set(WebOptions.CANCEL_ENABLE, true);
        c.set(WebOptions.UPLOAD_DIR, work.resolve("jars").toString());
        if (!c.contains(HeartbeatManagerOptions.HEARTBEAT_INTERVAL)) {
            c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL);
        }
        if (!c.contains(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT)) {
            c.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT);
        }
        overrides.forEach(c::setString);
        Files.write(
                dir.resolve("config.yaml"),
                ConfigurationUtils.convertConfigToWritableLines(c, false));
        Files.writeString(dir.resolve("log4j2.properties"), LOG4J);
        for (String sub : List.of("log", "plugins", "jars")) {
            Files.createDirectories(work.resolve(sub));
        }
        for (String sub : List.of("tmp", "web-tmp", "checkpoints", "savepoints")) {
            Files.createDirectories(home.resolve("flink").resolve(sub));
        }
        return new FlinkClusterConf(dir, GlobalConfiguration.loadConfiguration(dir.toString()));
    }

    Path dir() {
        return dir;
    }

    Path log4jFile() {
        return dir.resolve("log4j2.properties");
    }

    /** The configuration as the JobManager and TaskManagers will read it. */
    Configuration config() {
        return config;
    }

    /** {@code env.java.opts.all}: the Java 17 module opens Flink needs. */
    List<String> javaOptions() {
        return split(config.get(CoreOptions.FLINK_JVM_OPTIONS));
    }

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String part : s.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }
}
