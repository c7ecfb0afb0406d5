package io.fxflink.manager;

import io.fxflink.platform.LocalFlinkCluster;
import io.fxflink.stack.ProjectRoot;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real local Flink session cluster (the platform's) for tests and the bench. */
final class TestFlink {
    private TestFlink() {}

    /**
     * Starts {@link LocalFlinkCluster} from the project's flink-conf/config.yaml with the fixed RPC
     * and blob ports set to "any free port" and the REST API on a free port, so it does not collide
     * with a local platform or another test's cluster.
     */
    static LocalFlinkCluster start(Path home, int slots) throws Exception {
        String yaml =
                Files.readString(ProjectRoot.find().resolve("flink-conf").resolve("config.yaml"));
        yaml = yaml.replace("port: 6123", "port: 0").replace("port: \"6124\"", "port: \"0\"");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        return LocalFlinkCluster.start(conf, home.resolve("fx"), freePort(), slots);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
