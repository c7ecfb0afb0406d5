package io.fxflink.executor.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Python side the executor ships: {@code fx_worker.py} and the {@code fx_ef} module, copied
 * from the jar's resources into a runtime folder at start-up, and the worker's command line and
 * environment (pure functions, unit-tested).
 */
public final class PythonRuntime {
    static final String RESOURCE_ROOT = "/io/fxflink/executor/python/runtime/";
    static final List<String> FILES =
            List.of("fx_worker.py", "fx_ef/__init__.py", "fx_ef/_child.py");

    private final String python;
    private final Path workDir;
    private final Path runtimeDir;
    private final Path homeDir;
    private final PythonSandbox sandbox;

    private PythonRuntime(
            String python, Path workDir, Path runtimeDir, Path homeDir, PythonSandbox sandbox) {
        this.python = python;
        this.workDir = workDir;
        this.runtimeDir = runtimeDir;
        this.homeDir = homeDir;
        this.sandbox = sandbox;
    }

    /** {@link #install(String, Path, PythonSandbox)} in the default sandbox (bubblewrap). */
    public static PythonRuntime install(String python, Path workDir) throws IOException {
        return install(
                python, workDir, PythonSandbox.detect("bwrap", PythonSandbox.Limits.defaults()));
    }

    /**
     * Copies the runtime into {@code workDir/python-runtime}. With a sandbox that runs as another
     * uid, {@code workDir} is made traversable (not listable) by it, and the runtime readable.
     */
    public static PythonRuntime install(String python, Path workDir, PythonSandbox sandbox)
            throws IOException {
        Path dir = workDir.resolve("python-runtime");
        Files.createDirectories(dir.resolve("fx_ef"));
        for (String file : FILES) {
            try (InputStream in = PythonRuntime.class.getResourceAsStream(RESOURCE_ROOT + file)) {
                if (in == null) {
                    throw new IOException("resource " + RESOURCE_ROOT + file + " is missing");
                }
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path home = workDir.resolve("python-home");
        Files.createDirectories(home);
        if (sandbox.setpriv() != null) {
            addPermissions(workDir, PosixFilePermission.OTHERS_EXECUTE);
            for (Path p : List.of(dir, dir.resolve("fx_ef"), home)) {
                addPermissions(
                        p, PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_READ);
            }
            for (String file : FILES) {
                addPermissions(dir.resolve(file), PosixFilePermission.OTHERS_READ);
            }
        }
        return new PythonRuntime(python, workDir, dir, home, sandbox);
    }

    private static void addPermissions(Path p, PosixFilePermission... add) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
        perms.addAll(List.of(add));
        Files.setPosixFilePermissions(p, perms);
    }

    public PythonSandbox sandbox() {
        return sandbox;
    }

    /** HOME/TMPDIR of the workers: each makes its own directory in it ({@code w<pid>}). */
    public Path homeDir() {
        return homeDir;
    }

    /**
     * The worker's command line: in the sandbox (with the host's network only when {@code
     * network}), with its rlimits.
     */
    public List<String> command(boolean network) {
        List<String> worker = new ArrayList<>(workerCommand());
        worker.add("--limits");
        worker.add(sandbox.limits().argument());
        if (sandbox.enabled()) {
            worker.add("--sandboxed");
        }
        return sandbox.command(worker, workDir, homeDir, Path.of(python), network);
    }

    List<String> workerCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(python);
        cmd.add("-E"); // ignore PYTHON* variables of whoever started the executor
        cmd.add("-s"); // no user site-packages
        cmd.add("-B"); // no .pyc files written into packages
        cmd.add(runtimeDir.resolve("fx_worker.py").toString());
        return cmd;
    }

    /**
     * A clean environment: nothing of the executor's own (no FX_* endpoints, no credentials), only
     * what a Python process needs.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", homeDir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("TMPDIR", homeDir.toString());
        // resolve every symbol when the worker starts: lazily bound symbols would be resolved
        // again in every forked step child, each write to the symbol table copying a page
        env.put("LD_BIND_NOW", "1");
        return env;
    }

    public String python() {
        return python;
    }
}
