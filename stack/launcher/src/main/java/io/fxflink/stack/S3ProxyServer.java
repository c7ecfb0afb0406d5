package io.fxflink.stack;

import io.fxflink.stack.internal.ChildProcess;
import io.fxflink.stack.internal.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** S3Proxy with its filesystem backend: the S3 API that the MinIO SDK talks to locally. */
final class S3ProxyServer implements ManagedServer {
    private final StackSettings settings;
    private final Path dir;
    private ChildProcess process;

    S3ProxyServer(StackSettings settings) {
        this.settings = settings;
        this.dir = settings.serverDir(ServerKind.S3);
    }

    @Override
    public ServerKind kind() {
        return ServerKind.S3;
    }

    @Override
    public Endpoints endpoints() {
        return new Endpoints()
                .with(Endpoints.S3_ENDPOINT, "http://127.0.0.1:" + settings.s3Port())
                .with(Endpoints.S3_ACCESS_KEY, settings.s3AccessKey())
                .with(Endpoints.S3_SECRET_KEY, settings.s3SecretKey());
    }

    @Override
    public boolean answers() {
        // an unauthenticated GET / answers 403 once Jetty is up
        return Probes.httpStatus(endpoints().s3Endpoint() + "/") > 0;
    }

    @Override
    public Endpoints start(Duration timeout) throws Exception {
        Path jar = settings.requireDist("s3proxy.jar");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "# written by the FX local stack at each start",
                        "s3proxy.endpoint=http://127.0.0.1:" + settings.s3Port(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + settings.s3AccessKey(),
                        "s3proxy.credential=" + settings.s3SecretKey(),
                        "jclouds.provider=filesystem-nio2",
                        "jclouds.identity=unused",
                        "jclouds.credential=unused",
                        "jclouds.filesystem.basedir=" + data,
                        ""));
        List<String> cmd =
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xms64m",
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--properties",
                        conf.toString());
        Path logFile = dir.resolve("s3proxy.log");
        Files.deleteIfExists(logFile);
        process = ChildProcess.start("s3proxy", cmd, Map.of("LOG_LEVEL", "warn"), dir, logFile);
        Probes.await(
                "S3Proxy on port " + settings.s3Port(),
                timeout,
                this::answers,
                process::checkAlive);
        return endpoints();
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop(15);
            process = null;
        }
    }
}
