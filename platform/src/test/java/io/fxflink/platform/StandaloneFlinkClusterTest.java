package io.fxflink.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fxflink.stack.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneFlinkClusterTest {
    @TempDir Path home;

    @Test
    void generatedConfigurationHasTheLocalPortsCheckpointsUnderHomeAndFastHeartbeats()
            throws Exception {
        FlinkClusterConf conf =
                FlinkClusterConf.write(
                        ProjectRoot.find().resolve("flink-conf"),
                        home,
                        home.resolve("flink-cluster"),
                        28081,
                        28123,
                        Map.of("taskmanager.numberOfTaskSlots", "3"));
        Configuration c = conf.config();
        assertThat(c.get(RestOptions.PORT)).isEqualTo(28081);
        assertThat(c.get(JobManagerOptions.PORT)).isEqualTo(28123);
        assertThat(c.get(BlobServerOptions.PORT)).isEqualTo("0");
        assertThat(c.get(WebOptions.SUBMIT_ENABLE)).isTrue();
        assertThat(c.get(HeartbeatManagerOptions.HEARTBEAT_INTERVAL))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file://" + home.toAbsolutePath() + "/flink/checkpoints");
        assertThat(c.get(TaskManagerOptions.NUM_TASK_SLOTS)).as("override").isEqualTo(3);
        assertThat(conf.javaOptions()).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
        assertThat(Files.readString(conf.dir().resolve("config.yaml"))).doesNotContain("<FX_HOME>");
        assertThat(conf.log4jFile()).exists();
    }

    @Test
    void commandLineIsComposedAsFlinkDistScriptsDo() {
        List<String> cmd =
                StandaloneFlinkCluster.command(
                        "/jdk/bin/java",
                        List.of("-Xmx100m", "-Xms100m"),
                        List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"),
                        Path.of("/h/log/taskmanager-0.log"),
                        Path.of("/h/conf/log4j2.properties"),
                        "a.jar:b.jar",
                        StandaloneFlinkCluster.TASK_MANAGER_MAIN,
                        List.of("-D", "taskmanager.memory.network.min=1b"),
                        Path.of("/h/conf"));
        assertThat(cmd)
                .containsExactly(
                        "/jdk/bin/java",
                        "-Xmx100m",
                        "-Xms100m",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "-Dlog.file=/h/log/taskmanager-0.log",
                        "-Dlog4j.configurationFile=file:/h/conf/log4j2.properties",
                        "-classpath",
                        "a.jar:b.jar",
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        "-D",
                        "taskmanager.memory.network.min=1b",
                        "--configDir",
                        "/h/conf");
    }

    @Test
    void aClusterWithoutTaskManagersIsRefused() {
        assertThatThrownBy(
                        () -> new StandaloneFlinkCluster.Spec(home, home, 1, 2, 0, "cp", Map.of()))
                .hasMessageContaining("at least one TaskManager");
    }

    @Test
    void anUnknownFlinkModeIsAClearError() {
        assertThatThrownBy(() -> FlinkMode.parse("cluster"))
                .hasMessageContaining("use mini, standalone or remote");
        assertThat(FlinkMode.parse(" Standalone ")).isEqualTo(FlinkMode.STANDALONE);
    }
}
