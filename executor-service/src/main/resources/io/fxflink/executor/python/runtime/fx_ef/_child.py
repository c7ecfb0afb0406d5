"""Runs steps inside a child forked by the worker (see fx_worker.py): one step, or, when the
worker asks for reuse, the next steps of the same package after a clean-up that leaves nothing of
the previous step behind."""

import io
import json
import os
import signal
import struct
import sys
import traceback

import fx_ef


def _limit_resources(request):
    try:
        import resource
    except ImportError:
        return
    memory_mb = request.get("memory_mb") or 0
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu_s = request.get("cpu_seconds") or 0
    if cpu_s > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))


def _read_exact(fd, n):
    chunks = []
    while n > 0:
        chunk = os.read(fd, n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def serve(channel, request_fd, status_fd, out_fd, err_fd, trace=None):
    """Prepares this child (forked ahead of its first step), then runs the steps it is given until
    one leaves it unfit for another (or the worker asks for none: the request pipe closes)."""
    if trace:
        trace.fd = os.dup(2)  # fd 2 becomes the step's stderr
    mark = trace and trace("child", None)
    # fd 1/2 are the pipes the worker reads: output of the script and of anything it starts.
    # sys.stdout/sys.stderr already write through to fd 1/2 (PYTHONUNBUFFERED)
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    os.close(out_fd)
    os.close(err_fd)
    _warm_up(channel)
    _use_scratch()  # while it waits: the pages this touches are copied off the step's path
    mark = trace and trace("child set-up", mark)
    clean = last_dir = None
    while True:
        header = _read_exact(request_fd, 4)
        mark = trace and trace("child wait", mark)
        if header is None:
            return 0  # the worker wants no (further) step from this child
        data = _read_exact(request_fd, struct.unpack(">I", header)[0])
        if data is None:
            return 70
        request = json.loads(data.decode("utf-8"))
        if clean is None and request.get("reuse_key"):
            clean = CleanState()
            mark = trace and trace("child clean state", mark)
        elif clean is not None:
            clean.restore(last_dir)
            mark = trace and trace("child restore", mark)
        code = run(channel, request)
        mark = trace and trace("child run", mark)
        reusable = code == 0 and clean is not None and clean.step_ended()
        last_dir = request["dir"]
        mark = trace and trace("child step end", mark)
        # the end first: the worker ends the step on it, so this process's own teardown (freeing
        # its memory) happens off the executor's critical path
        os.write(status_fd, struct.pack(">ii", code, 1 if reusable else 0))
        if not reusable:
            return code


class CleanState:
    """What a warm child looks like between steps: ``step_ended()`` says whether it can be reused
    (no thread or open file the step left), ``restore()`` brings it back before its next step.
    Most of it is taken once in the worker before the zygote forks (``prepare()``): taken in every
    child, it would copy pages (copy-on-write) that cost more CPU than a trivial step."""

    def __init__(self):
        if _BASE is None:
            raise RuntimeError("fx_ef._child.prepare() was not called before the fork")
        if _BASE["prctl"](36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
            raise OSError("prctl(PR_SET_CHILD_SUBREAPER) failed")
        self.fds = _open_files()
        self.process = _process_settings()

    def step_ended(self):
        """Right after a step: kills what it left running and says whether this child may run
        another step (no thread of the step still runs, its files are as before the step)."""
        _kill_leftovers()
        if len(os.listdir("/proc/self/task")) > 1:
            return False
        # a timer the step set must not fire (and kill, or call into the step) while it waits
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        if _process_settings() != self.process:
            return False  # its process group, limits, priority or blocked signals changed
        try:
            remove_tree(_own_scratch(), keep_top=True)  # the next step starts with no files
        except OSError:
            return False
        sys.modules["__main__"] = _BASE["main"]  # the script's globals go, and files only they held
        if _open_files() != self.fds:
            import gc
            gc.collect()  # files only the step's dropped objects still held close now
            if _open_files() != self.fds:
                return False  # a file left open, or one of the child's own closed or replaced
        return True

    def restore(self, package_dir):
        """Before the next step (not at the end of this one: a warm child that is never used again
        would do it for nothing): undoes what the last step changed in the interpreter."""
        base = _BASE
        for s, handler in base["handlers"].items():
            if signal.getsignal(s) is not handler:
                signal.signal(s, handler)
        # the package's own modules run afresh each step, as a script's do; libraries it imported
        # from elsewhere stay warm (that is what the warm child is for)
        for name in [m for m in sys.modules if m not in base["modules"]]:
            if _of_package(sys.modules[name], name, package_dir):
                del sys.modules[name]
        sys.path[:] = base["path"]
        sys.argv[:] = base["argv"]
        sys.stdin, sys.stdout, sys.stderr = base["streams"]
        if os.environ != base["environ"]:
            os.environ.clear()
            os.environ.update(base["environ"])
        _use_scratch()  # the environment reset above pointed HOME/TMPDIR at the worker's dir
        os.chdir(base["cwd"])
        os.umask(base["umask"])
        fx_ef._reset()


def _process_settings():
    """What a step could change about this process that the next step would inherit and that
    cannot simply be set back: its process group (the worker kills the step's group), resource
    limits other than the memory limit each step sets, priority, blocked signals."""
    import resource

    limits = tuple(resource.getrlimit(r) for r in (
        resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC, resource.RLIMIT_STACK,
        resource.RLIMIT_CPU, resource.RLIMIT_FSIZE, resource.RLIMIT_CORE))
    return (os.getpgid(0), limits, os.getpriority(os.PRIO_PROCESS, 0),
            signal.pthread_sigmask(signal.SIG_BLOCK, []))


def _open_files():
    """This process's file descriptors and what each one is (device, inode): a step that left a
    file open, or closed or replaced (dup2) one of the child's own pipes, changes it."""
    files = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            st = os.fstat(int(name))
        except OSError:
            continue  # the descriptor listdir itself used
        files[int(name)] = (st.st_dev, st.st_ino)
    return files


def _of_package(module, name, package_dir):
    """Whether a module came from the package (or was made up by its code, with no file)."""
    inside = os.path.join(package_dir, "")
    file = getattr(module, "__file__", None)
    if file:
        return os.path.abspath(file).startswith(inside)
    paths = getattr(module, "__path__", None)
    if paths is not None:  # a namespace package: its directories say
        return any(os.path.abspath(p).startswith(inside) for p in list(paths))
    return name not in sys.builtin_module_names


def _signals():
    return [s for s in signal.valid_signals()
            if s not in (signal.SIGKILL, signal.SIGSTOP) and signal.getsignal(s) is not None]


_BASE = None


def prepare():
    """Called in the worker before the zygote forks: the state every child starts its steps from."""
    global _BASE
    import ctypes

    umask = os.umask(0o22)
    os.umask(umask)
    _BASE = {
        "prctl": ctypes.CDLL(None, use_errno=True).prctl,
        "modules": frozenset(sys.modules),
        "main": sys.modules["__main__"],
        "path": list(sys.path),
        "argv": list(sys.argv),
        "streams": (sys.stdin, sys.stdout, sys.stderr),
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "umask": umask,
        "handlers": {s: signal.getsignal(s) for s in _signals()},
        "scratch_prefix": scratch_dir(os.environ["TMPDIR"], 0)[:-1],
    }


def _kill_leftovers():
    """Kills every process the step left behind, and what they started, until none is left."""
    children = "/proc/self/task/%d/children" % os.getpid()
    own_group = os.getpgid(0)
    while True:
        with open(children) as f:
            pids = [int(p) for p in f.read().split()]
        if not pids:
            return
        for pid in pids:
            try:
                if os.getpgid(pid) != own_group:
                    os.killpg(os.getpgid(pid), signal.SIGKILL)
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in pids:
            try:
                os.waitpid(pid, 0)  # their own children are ours now, found in the next round
            except ChildProcessError:
                pass


_WARM_UP_REQUEST = json.dumps({
    "op": "run", "dir": "/", "step": "main.py", "timeout_ms": 1, "max_output_bytes": 1,
    "memory_mb": 0, "execution_id": "x", "service": "x", "service_version": "x",
    "package_id": "x", "attempt": 1, "params": {"n": 1, "s": "x", "l": [1.5, None, True]},
    "trigger_event": {"id": "x", "data": {}}, "v": 1}).encode("utf-8")


def _warm_up(channel):
    """Touches, while this child waits for its step, the memory a step's set-up writes to: on this
    kind of machine each first write to a page inherited from the zygote costs a page copy and a
    TLB flush, and they add up to milliseconds on the step's critical path."""
    request = json.loads(_WARM_UP_REQUEST.decode("utf-8"))
    fx_ef._bind(None, request)
    namespace = {"__name__": "__fx_warm_up__", "__builtins__": __builtins__}
    exec(compile(b"from fx_ef import context\nx = context.params['n'] + 1\n", "<fx-warm-up>",
                 "exec"), namespace)
    fx_ef._bind(None, {})


def _run_script(path):
    """runpy.run_path for a plain .py file, without the importer probing runpy does first (it
    reads the file a second time to check whether it is a zip)."""
    with io.open_code(path) as f:
        source = f.read()
    code = compile(source, path, "exec", dont_inherit=True)
    module = type(sys)("__main__")
    module.__dict__.update(__file__=path, __cached__=None, __loader__=None, __package__="",
                           __spec__=None)
    sys.modules["__main__"] = module
    exec(code, module.__dict__)


def scratch_dir(worker_dir, pid):
    """A child's own HOME and TMPDIR, inside its worker's directory; removed with the child."""
    return os.path.join(worker_dir, "s%d" % pid)


def _own_scratch():
    # no os.path here: every object a child touches costs it a page copy (see fx_worker)
    return _BASE["scratch_prefix"] + str(os.getpid())


def _use_scratch():
    """HOME and TMPDIR of this step: the child's own directory, empty at the start of every step,
    so no file of another service (or of this one's earlier step) is there."""
    scratch = _own_scratch()
    try:
        os.mkdir(scratch, 0o700)
    except FileExistsError:
        pass
    os.environ["HOME"] = scratch
    os.environ["TMPDIR"] = scratch
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None  # it caches the directory it found first


def remove_tree(path, keep_top=False):
    """Removes a directory tree (shutil would import threading into the worker: see fx_worker)."""
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False):
            remove_tree(entry.path)
        else:
            os.unlink(entry.path)
    if not keep_top:
        os.rmdir(path)


def run(channel, request):
    _limit_resources(request)
    fx_ef._bind(channel, request)
    directory = request["dir"]
    script = os.path.join(directory, request["step"])
    os.chdir(directory)
    sys.path.insert(0, directory)
    sys.argv = [script]
    code = 0
    try:
        _run_script(script)
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code & 0xFF
        else:
            print(e.code, file=sys.stderr)
            code = 1
        if code != 0:
            channel.send({"op": "error", "message": "the step called sys.exit(%s)" % e.code})
    except BaseException as e:  # noqa: BLE001 - report everything the script raised
        channel.send({"op": "error",
                      "message": "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc())})
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed or broken stream has nothing left to flush
        pass
    return code
