package io.fxflink.executor.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a Python worker is confined: bubblewrap ({@code bwrap}, Debian package {@code bubblewrap})
 * puts the worker (supervisor, zygote, every step child) into new user, PID, network, IPC, UTS and
 * cgroup namespaces with its own {@code /proc}, the system's {@code /usr} and the executor's work
 * directory read-only, a private tmpfs for HOME/TMPDIR, no network unless the package's manifest
 * asks for it, and uid/gid 65534. An executor running as root first drops to 65534 with util-linux
 * {@code setpriv}, so the sandbox is not root outside its namespace either (the kernel does not
 * apply {@code RLIMIT_NPROC} to root's processes). {@link #command} is a pure function of its
 * inputs (unit-tested).
 *
 * @param bwrap the bwrap binary; null: no sandbox ({@code FX_PYTHON_SANDBOX=none})
 * @param setpriv the setpriv binary when the executor is root (bwrap then runs as 65534), else null
 */
public record PythonSandbox(String bwrap, String setpriv, Limits limits) {
    public static final int SANDBOX_UID = 65534;

    /** The rlimits every process of a worker runs under (set by its zygote, see fx_worker.py). */
    public record Limits(int maxProcs, long maxFileBytes, int maxOpenFiles, int maxCpuSeconds) {
        public static Limits defaults() {
            return new Limits(128, 256L * 1024 * 1024, 256, 900);
        }

        /** The worker's {@code --limits} argument. */
        String argument() {
            return "nproc="
                    + maxProcs
                    + ",fsize="
                    + maxFileBytes
                    + ",nofile="
                    + maxOpenFiles
                    + ",cpu="
                    + maxCpuSeconds;
        }
    }

    /** No confinement beyond the scrubbed environment: for machines without user namespaces. */
    public static PythonSandbox none(Limits limits) {
        return new PythonSandbox(null, null, limits);
    }

    /**
     * The sandbox of this machine: {@code mode} "bwrap" (the default) needs bwrap on the PATH and
     * fails fast naming the package when it is missing; "none" turns the sandbox off.
     */
    public static PythonSandbox detect(String mode, Limits limits) throws IOException {
        if ("none".equals(mode)) {
            return none(limits);
        }
        if (mode != null && !mode.isEmpty() && !"bwrap".equals(mode)) {
            throw new IllegalArgumentException(
                    "FX_PYTHON_SANDBOX must be 'bwrap' or 'none', was '"
                            + mode.substring(0, Math.min(mode.length(), 32))
                            + "'");
        }
        String bwrap = onPath("bwrap");
        if (bwrap == null) {
            throw new IOException(
                    "the Python sandbox needs bubblewrap: bwrap is not on the PATH. Install the"
                            + " Debian package bubblewrap (apt-get install -y bubblewrap), or set"
                            + " FX_PYTHON_SANDBOX=none to run Python services unconfined");
        }
        String setpriv = null;
        if ("root".equals(System.getProperty("user.name"))) {
            setpriv = onPath("setpriv");
            if (setpriv == null) {
                throw new IOException(
                        "the Python sandbox of an executor running as root needs setpriv (Debian"
                                + " package util-linux) to drop to uid "
                                + SANDBOX_UID);
            }
        }
        return new PythonSandbox(bwrap, setpriv, limits);
    }

    public boolean enabled() {
        return bwrap != null;
    }

    /**
     * The command line that runs {@code worker} (the interpreter and its arguments) in the sandbox.
     *
     * @param workDir the executor's work directory (runtime and packages): read-only inside
     * @param homeDir where the workers' HOME/TMPDIR are: a private tmpfs inside
     * @param python the interpreter: its installation is bound read-only when not under /usr
     * @param network whether the worker shares the host's network (manifest {@code network})
     */
    public List<String> command(
            List<String> worker, Path workDir, Path homeDir, Path python, boolean network) {
        List<String> cmd = new ArrayList<>();
        if (bwrap == null) {
            cmd.addAll(worker);
            return cmd;
        }
        if (setpriv != null) {
            String id = String.valueOf(SANDBOX_UID);
            cmd.addAll(
                    List.of(
                            setpriv,
                            "--reuid=" + id,
                            "--regid=" + id,
                            "--clear-groups",
                            "--inh-caps=-all",
                            "--bounding-set=-all",
                            "--"));
        }
        cmd.add(bwrap);
        cmd.add("--unshare-all"); // user, pid, net, ipc, uts, cgroup
        if (network) {
            cmd.add("--share-net");
        }
        cmd.addAll(List.of("--uid", String.valueOf(SANDBOX_UID)));
        cmd.addAll(List.of("--gid", String.valueOf(SANDBOX_UID)));
        cmd.add("--die-with-parent");
        cmd.add("--new-session");
        cmd.add("--cap-drop");
        cmd.add("ALL");
        roBind(cmd, "/usr");
        for (String merged : List.of("/bin", "/sbin", "/lib", "/lib64", "/lib32")) {
            cmd.addAll(List.of("--ro-bind-try", merged, merged));
        }
        if (network) {
            // name resolution and TLS roots, nothing else of /etc
            for (String etc :
                    List.of(
                            "/etc/resolv.conf",
                            "/etc/hosts",
                            "/etc/nsswitch.conf",
                            "/etc/ssl",
                            "/etc/ca-certificates")) {
                cmd.addAll(List.of("--ro-bind-try", etc, etc));
            }
        }
        Path prefix = python.toAbsolutePath().normalize();
        if (!prefix.startsWith("/usr") && prefix.getParent() != null) {
            Path install =
                    prefix.getParent().getParent() != null
                            ? prefix.getParent().getParent()
                            : prefix.getParent();
            roBind(cmd, install.toString());
        }
        cmd.addAll(List.of("--proc", "/proc"));
        cmd.addAll(List.of("--dev", "/dev"));
        cmd.addAll(List.of("--tmpfs", "/tmp"));
        roBind(cmd, workDir.toString());
        cmd.addAll(List.of("--tmpfs", homeDir.toString())); // over the read-only work dir
        cmd.addAll(List.of("--chdir", homeDir.toString()));
        cmd.add("--");
        cmd.addAll(worker);
        return cmd;
    }

    private static void roBind(List<String> cmd, String path) {
        cmd.addAll(List.of("--ro-bind", path, path));
    }

    private static String onPath(String name) {
        for (String dir :
                System.getenv()
                        .getOrDefault("PATH", "/usr/bin:/bin")
                        .split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
