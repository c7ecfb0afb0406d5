package io.fxflink.executor.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox's command line, composed without running anything. */
class PythonSandboxTest {
    static final List<String> WORKER = List.of("/usr/bin/python3", "-E", "fx_worker.py");
    static final Path WORK = Path.of("/var/lib/fx/work");
    static final Path HOME = WORK.resolve("python-home");
    static final PythonSandbox.Limits LIMITS = new PythonSandbox.Limits(64, 1 << 20, 128, 60);

    static List<String> cmd(PythonSandbox s, boolean network) {
        return s.command(WORKER, WORK, HOME, Path.of("/usr/bin/python3"), network);
    }

    /** {@code flag} followed by {@code args} somewhere in {@code cmd}. */
    static boolean has(List<String> cmd, String... flagAndArgs) {
        return Collections.indexOfSubList(cmd, List.of(flagAndArgs)) >= 0;
    }

    @Test
    void asRootBwrapRunsAsUid65534WithEveryNamespaceAndNoNetwork() {
        List<String> c =
                cmd(new PythonSandbox("/usr/bin/bwrap", "/usr/bin/setpriv", LIMITS), false);
        assertThat(c.subList(0, 7))
                .containsExactly(
                        "/usr/bin/setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        "--inh-caps=-all",
                        "--bounding-set=-all",
                        "--");
        assertThat(c.get(7)).isEqualTo("/usr/bin/bwrap");
        assertThat(c).contains("--unshare-all", "--die-with-parent", "--new-session");
        assertThat(c).doesNotContain("--share-net");
        assertThat(has(c, "--uid", "65534")).isTrue();
        assertThat(has(c, "--gid", "65534")).isTrue();
        assertThat(has(c, "--proc", "/proc")).as("a /proc of its own PID namespace").isTrue();
        assertThat(has(c, "--ro-bind", "/usr", "/usr")).isTrue();
        assertThat(has(c, "--ro-bind", WORK.toString(), WORK.toString()))
                .as("runtime and packages read-only")
                .isTrue();
        assertThat(has(c, "--tmpfs", HOME.toString())).as("private writable HOME").isTrue();
        assertThat(Collections.indexOfSubList(c, List.of("--tmpfs", HOME.toString())))
                .as("the tmpfs over the read-only work directory, not under it")
                .isGreaterThan(
                        Collections.indexOfSubList(
                                c, List.of("--ro-bind", WORK.toString(), WORK.toString())));
        assertThat(c.stream().filter(a -> a.startsWith("/etc"))).as("nothing of /etc").isEmpty();
        assertThat(c.subList(c.lastIndexOf("--") + 1, c.size())).isEqualTo(WORKER);
    }

    @Test
    void networkOnlyWhenTheManifestAsksAndThenNameResolution() {
        List<String> c = cmd(new PythonSandbox("/usr/bin/bwrap", null, LIMITS), true);
        assertThat(c.get(0)).as("not root: no setpriv").isEqualTo("/usr/bin/bwrap");
        assertThat(c.indexOf("--share-net")).isGreaterThan(c.indexOf("--unshare-all"));
        assertThat(has(c, "--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf")).isTrue();
    }

    @Test
    void anInterpreterOutsideUsrIsBoundReadOnly() {
        List<String> c =
                new PythonSandbox("/usr/bin/bwrap", null, LIMITS)
                        .command(WORKER, WORK, HOME, Path.of("/opt/py/bin/python3"), false);
        assertThat(has(c, "--ro-bind", "/opt/py", "/opt/py")).isTrue();
    }

    @Test
    void withoutSandboxTheWorkerRunsAsIs() {
        assertThat(cmd(PythonSandbox.none(LIMITS), false)).isEqualTo(WORKER);
    }

    @Test
    void limitsReachTheWorkerOnItsCommandLineNotItsEnvironment() {
        assertThat(LIMITS.argument()).isEqualTo("nproc=64,fsize=1048576,nofile=128,cpu=60");
    }

    @Test
    void anUnknownModeIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> PythonSandbox.detect("chroot", LIMITS))
                .hasMessageContaining("'bwrap' or 'none'");
    }
}
