package io.fxflink.stack.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A server process with its output in a log file, stopped politely and then forcibly. */
public final class ChildProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(
            String name, List<String> command, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        LOG.debug("starting {}: {}", name, command);
        return new ChildProcess(name, pb.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Fails with the log's tail when the process died while we waited for it. */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name
                            + " exited with code "
                            + process.exitValue()
                            + "; last log lines:\n"
                            + tail(log, 40));
        }
    }

    /** SIGTERM to the process and its descendants, a bounded wait, then SIGKILL with a warning. */
    public void stop(long graceSeconds) {
        stopTree(name, process.toHandle(), graceSeconds);
    }

    public static void stopTree(String name, ProcessHandle root, long graceSeconds) {
        List<ProcessHandle> all =
                java.util.stream.Stream.concat(root.descendants(), java.util.stream.Stream.of(root))
                        .toList();
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(graceSeconds, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn(
                        "{} (pid {}) did not stop within {} s; killing it",
                        name,
                        h.pid(),
                        graceSeconds);
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    LOG.warn("{} (pid {}) survived SIGKILL for 10 s", name, h.pid());
                }
            }
        }
    }

    /** Resident memory of a process in bytes, from /proc (0 where unknown). */
    public static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Resident memory of a process and all its descendants. */
    public static long residentBytesOfTree(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return 0;
        }
        return residentBytes(pid)
                + h.get().descendants().mapToLong(d -> residentBytes(d.pid())).sum();
    }

    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
