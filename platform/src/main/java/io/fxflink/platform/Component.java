package io.fxflink.platform;

import io.fxflink.stack.internal.ChildProcess;
import io.fxflink.stack.internal.Probes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the platform's own processes (Flink session, executor, manager), started as a child JVM.
 */
final class Component {
    private final String name;
    private final String mainClass;
    private final String classpath;
    private final List<String> jvmFlags;
    private final Map<String, String> env;
    private final String healthUrl;
    private ChildProcess process;

    Component(
            String name,
            String mainClass,
            String classpath,
            List<String> jvmFlags,
            Map<String, String> env,
            String healthUrl) {
        this.name = name;
        this.mainClass = mainClass;
        this.classpath = classpath;
        this.jvmFlags = jvmFlags;
        this.env = env;
        this.healthUrl = healthUrl;
    }

    String name() {
        return name;
    }

    String healthUrl() {
        return healthUrl;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    Path log() {
        return process.log();
    }

    /** Starts the process and waits until its health URL answers 200. */
    void start(Path logDir, Duration timeout) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.javaExecutable());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classpath, mainClass));
        process =
                ChildProcess.start(
                        name,
                        cmd,
                        env,
                        Path.of("").toAbsolutePath(),
                        logDir.resolve(name + ".log"));
        Probes.await(name, timeout, () -> Probes.httpStatus(healthUrl) == 200, process::checkAlive);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    void stop() {
        if (process != null) {
            process.stop(30);
            process = null;
        }
    }
}
