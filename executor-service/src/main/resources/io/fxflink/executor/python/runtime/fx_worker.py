"""FX executor Python worker: a supervisor and a warm "zygote" that forks the children steps run in.

Started once by the executor and reused. Steps run in a child forked from the zygote, with its own
process group, resource limits and a clean module state; it runs the step's script and talks to the
executor over the framed protocol.

A child serves one package only. With a ``reuse_key`` (the package's content hash) in the request,
a child whose step succeeded cleanly stays warm for the next step of the same package: no fork per
step. Before it reports the step's end it kills every process the step left behind (it is their
subreaper, so even daemonized ones) and restores what a script may change: ``sys.modules`` (the
package's own modules are imported afresh each run), ``__main__``, ``sys.path``, ``sys.argv``,
``sys.stdout``/``sys.stderr``, the environment, signal handlers, timers and umask. It is not kept
when the step failed, timed out, left a thread running or a file open: then its whole process
group is killed, and the next step gets a fresh child. A worker keeps up to ``max_warm`` warm
children, one per package, the least recently used going first; the 'done' message lists the
packages it keeps warm. Without a ``reuse_key`` every step gets a fresh child. So nothing of one
service's state reaches another's.

Two processes, because on this kind of machine a copy-on-write page fault costs 20-50 us of CPU
(a TLB flush through the hypervisor), so every page touched after a fork counts:
- the supervisor (this process, the one the executor started) speaks the protocol, hands each
  request to a child, relays the child's stdout/stderr, enforces the timeout and kills the group.
  It never forks after start-up, so none of that work hits a copy-on-write fault.
- the zygote (forked once at start-up, after the runtime is imported) does nothing but fork a
  child on request and reap it; a fork costs it a few pages.
- the next fresh child is forked ahead, while the current step runs or the worker is idle, and warms
  itself up (it touches the pages a step needs) before it waits for its request on a pipe. Forking
  still costs ~10 ms of CPU here, which is why a warm child is reused for its own package.
- neither process imports ``threading`` or ``random``: their after-fork hooks alone copy ~150
  pages in every child. The step's output goes to pipes the supervisor reads with select().

Protocol v1: frames of a 4-byte big-endian length and a UTF-8 JSON object with "v": 1,
stdin = executor -> worker, the original stdout = worker -> executor. The supervisor and the
current child both write frames; a POSIX record lock (per process) keeps each frame whole.
"""

import fcntl
import gc
import json
import os
import resource
import select
import signal
import socket
import struct
import sys
import time
import traceback

PROTOCOL_VERSION = 1
fx_ef_child = None  # fx_ef._child, imported in main()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
MAX_FRAME_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 32 * 1024
# FX_WORKER_TRACE=1: per-step page faults of each phase on the worker's stderr (profiling)
TRACE = bool(os.environ.get("FX_WORKER_TRACE"))
# set by the executor on the command line (not in the environment, which a step can read)
LIMITS = {}  # --limits nproc=N,fsize=BYTES,nofile=N,cpu=SECONDS: every step child's rlimits
SANDBOXED = False  # --sandboxed: this worker has a PID namespace of its own (bubblewrap)
_RLIMITS = {"nproc": resource.RLIMIT_NPROC, "fsize": resource.RLIMIT_FSIZE,
            "nofile": resource.RLIMIT_NOFILE, "cpu": resource.RLIMIT_CPU}


def _parse_args(argv):
    global SANDBOXED
    i = 0
    while i < len(argv):
        if argv[i] == "--sandboxed":
            SANDBOXED = True
        elif argv[i] == "--limits" and i + 1 < len(argv):
            i += 1
            for item in argv[i].split(","):
                name, _, value = item.partition("=")
                if name in _RLIMITS and int(value) > 0:
                    LIMITS[name] = int(value)
        i += 1


def _apply_limits():
    """In the zygote, before its first fork: every step child inherits these as soft = hard limits,
    so a step cannot raise them (and its warm child's end-of-step check sees any lowering)."""
    for name, value in LIMITS.items():
        soft, hard = resource.getrlimit(_RLIMITS[name])
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(_RLIMITS[name], (value, value))


def _sweep(keep):
    """Kills every process of this sandbox but pid 1 (bubblewrap's reaper) and ``keep``: what a
    step left behind that escaped its process group (a daemon: double fork and setsid). Only in a
    PID namespace of the worker's own, where /proc lists nothing else."""
    killed = set()
    for _ in range(100):  # a fork bomb refills; bounded by RLIMIT_NPROC, so few rounds do
        found = False
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid == 1 or pid in keep:
                continue
            try:
                os.kill(pid, signal.SIGKILL)
                found = True
                killed.add(pid)
            except ProcessLookupError:
                pass
            except PermissionError:
                pass
        if not found:
            break
    # a killed orphan stays in /proc until pid 1 reaps it: the next step must not find it, so
    # wait (bounded) until bubblewrap's reaper has
    deadline = time.monotonic() + 2.0
    while killed and time.monotonic() < deadline:
        killed = {pid for pid in killed if os.path.exists("/proc/%d" % pid)}
        if killed:
            time.sleep(0.001)


def trace(what, since=None):
    """With TRACE: prints the page faults and CPU ms since ``since``; returns the new mark."""
    usage = time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    if since is not None:
        cpu = (usage[0] - since[0]) * 1000
        os.write(trace.fd, ("fx-trace %d %s: %d faults, %.1f ms cpu\n"
                     % (os.getpid(), what, usage[1] - since[1], cpu)).encode())
    return usage


trace.fd = 2


class Channel:
    """Framed JSON over two file descriptors; a frame is written whole under a process lock."""

    def __init__(self, in_fd, out_fd, lock_fd):
        self.in_fd = in_fd
        self.out_fd = out_fd
        self.lock_fd = lock_fd

    def send(self, message):
        message["v"] = PROTOCOL_VERSION
        data = json.dumps(message, default=str, ensure_ascii=False).encode("utf-8")
        view = memoryview(struct.pack(">I", len(data)) + data)
        fcntl.lockf(self.lock_fd, fcntl.LOCK_EX)
        try:
            while view:
                n = os.write(self.out_fd, view)
                view = view[n:]
        finally:
            fcntl.lockf(self.lock_fd, fcntl.LOCK_UN)

    def _read_exact(self, n):
        chunks = []
        while n > 0:
            chunk = os.read(self.in_fd, n)
            if not chunk:
                raise EOFError("executor closed the channel")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def receive_bytes(self):
        (length,) = struct.unpack(">I", self._read_exact(4))
        if length > MAX_FRAME_BYTES:
            raise ValueError("frame of %d bytes exceeds the limit" % length)
        return self._read_exact(length)

    def receive(self):
        return decode(self.receive_bytes())


def decode(data):
    message = json.loads(data.decode("utf-8"))
    if message.get("v") != PROTOCOL_VERSION:
        raise ValueError("unsupported protocol version %r" % message.get("v"))
    return message


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


# ---------------------------------------------------------------------------------------------
# zygote


def zygote_main(sock, channel):
    """Forks a child per request on ``sock`` (its pipes come with the request), reports its pid,
    and reaps it when it ends, reporting the wait status. Exits when the supervisor goes away."""
    live = {}  # pidfd -> pid
    _apply_limits()
    try:
        while True:
            ready, _, _ = select.select([sock.fileno()] + list(live), [], [])
            for fd in ready:
                if fd != sock.fileno():
                    pid = live.pop(fd)
                    os.close(fd)
                    _, status = os.waitpid(pid, 0)
                    if not _tell(sock, b"E" + struct.pack("<ii", pid, status)):
                        return
                    continue
                try:
                    msg, fds, _, _ = socket.recv_fds(sock, 16, 4)
                except ConnectionError:
                    msg = b""
                if not msg:
                    return  # the supervisor is gone
                pid = os.fork()
                if pid == 0:
                    _child_main(sock, channel, fds, live)
                try:
                    os.setpgid(pid, pid)  # before the supervisor can kill the group
                except OSError:
                    pass
                for f in fds:
                    os.close(f)
                live[os.pidfd_open(pid)] = pid
                if not _tell(sock, b"P" + struct.pack("<i", pid)):
                    return
    finally:
        for pid in live.values():
            _kill_group(pid)
            os.waitpid(pid, 0)
        if TRACE:
            c = resource.getrusage(resource.RUSAGE_CHILDREN)
            s = resource.getrusage(resource.RUSAGE_SELF)
            os.write(2, ("fx-trace zygote: %d faults %.1f ms cpu; its children: %d faults %.1f ms"
                         " cpu\n" % (s.ru_minflt, (s.ru_utime + s.ru_stime) * 1000, c.ru_minflt,
                                     (c.ru_utime + c.ru_stime) * 1000)).encode())


def _tell(sock, message):
    """Sends to the supervisor; False when it is gone (it stopped the worker): time to exit."""
    try:
        sock.send(message)
        return True
    except (BrokenPipeError, ConnectionError):
        return False


def _child_main(sock, channel, fds, live):
    code = 70
    try:
        os.setpgid(0, 0)
        sock.close()
        for fd in live:  # the zygote's handles on its other children
            os.close(fd)
        import fx_ef._child as child

        code = child.serve(channel, *fds, trace=trace if TRACE else None)
    except BaseException:  # noqa: BLE001 - last resort, the child must exit
        try:
            channel.send({"op": "error", "message": traceback.format_exc()})
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


# ---------------------------------------------------------------------------------------------
# supervisor


class Zygote:
    """The supervisor's handle on the zygote: asks for children, collects pids and exit statuses."""

    def __init__(self, sock, pid):
        self.sock = sock
        self.pid = pid
        self.statuses = {}  # pid -> wait status of ended children not yet asked for
        self.finished = set()  # children whose step ended before the zygote reported their end
        self.pending = []  # children asked for, in order, whose pid has not arrived yet

    def fileno(self):
        return self.sock.fileno()

    def spawn(self):
        """Asks for a child; returns it at once (its pid arrives later)."""
        child = StepChild()
        socket.send_fds(self.sock, [b"F"], child.child_fds)
        child.child_fds_sent()
        self.pending.append(child)
        return child

    def read_message(self):
        msg = self.sock.recv(16)
        if not msg:
            raise EOFError("the zygote is gone")
        if msg[:1] == b"P":
            self.pending.pop(0).pid = struct.unpack("<i", msg[1:5])[0]
        else:
            pid, status = struct.unpack("<ii", msg[1:9])
            if pid in self.finished:
                self.finished.discard(pid)
            else:
                self.statuses[pid] = status

    def wait_pid(self, child):
        while child.pid is None:
            self.read_message()

    def ended(self, child):
        """The child's step is over: its exit status is not needed any more."""
        if self.statuses.pop(child.pid, None) is None:
            self.finished.add(child.pid)

    def drain(self):
        """Reads what the zygote has sent so far."""
        while select.select([self.sock], [], [], 0)[0]:
            self.read_message()


class StepChild:
    """The supervisor's side of one child: its request, status and output pipes. A child may run
    several steps of one package (``key``); each step's end is a status frame on its pipe."""

    def __init__(self):
        request_r, self.request_w = os.pipe()
        self.status_r, status_w = os.pipe()
        self.out_r, out_w = os.pipe()
        self.err_r, err_w = os.pipe()
        self.child_fds = [request_r, status_w, out_w, err_w]
        os.set_blocking(self.out_r, False)  # read after select(), and drained, without waiting
        os.set_blocking(self.err_r, False)
        self.pid = None
        self.key = None

    def child_fds_sent(self):
        for fd in self.child_fds:
            os.close(fd)
        self.child_fds = []

    def start(self, request_bytes):
        """Hands the step's request to the child (the pipe holds it until the child reads)."""
        try:
            _write_all(self.request_w, struct.pack(">I", len(request_bytes)) + request_bytes)
        except BrokenPipeError:
            pass  # the child is gone; its exit status says why

    def finish(self, channel, zygote, timeout_ms, max_output_bytes):
        """Relays the step's output until the child reports the step's end (or dies, or its time is
        up); returns the 'done' message, with "reusable" when the child may run another step."""
        budget = OutputBudget(channel, max_output_bytes)
        streams = {self.out_r: OutputStream(self.out_r, "stdout", budget, channel),
                   self.err_r: OutputStream(self.err_r, "stderr", budget, channel)}
        deadline = time.monotonic() + max(0.001, timeout_ms / 1000.0)
        end = status = None
        watched = [self.status_r, zygote]
        while end is None and status is None:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select(watched + list(streams), [], [], left)
            if self.status_r in ready:
                end = _read_end(self.status_r)
                if end is None:
                    watched.remove(self.status_r)  # ended without a code: the zygote says how
            if zygote in ready:
                zygote.read_message()
                if self.pid is not None and self.pid in zygote.statuses:
                    status = zygote.statuses.pop(self.pid)
                    if self.status_r in watched:
                        end = _read_end(self.status_r, block=False)
            for fd in ready:
                if fd in streams and streams[fd].read() is False:
                    del streams[fd]  # closed: only the exit is left to wait for
        zygote.wait_pid(self)
        if end is None or status is not None or not end[1]:
            # the step is over (or out of time): it and whatever it left behind die now
            _kill_group(self.pid)
        # what the step wrote is in the pipes before its end was reported: relay it all now
        for stream in streams.values():
            stream.drain()
        if end is not None:
            code, reusable = end
            return {"op": "done", "status": "ok" if code == 0 else "failed", "exit_code": code,
                    "reusable": bool(reusable) and status is None}
        if status is None:
            return {"op": "done", "status": "timeout", "exit_code": -9}
        if os.WIFSIGNALED(status):
            return {"op": "done", "status": "killed", "exit_code": -os.WTERMSIG(status)}
        code = os.WEXITSTATUS(status)
        return {"op": "done", "status": "ok" if code == 0 else "failed", "exit_code": code}

    def end(self, zygote):
        """The child runs no more steps: its process group dies, its pipes close, its files go."""
        zygote.wait_pid(self)
        _kill_group(self.pid)
        zygote.ended(self)
        self.close()
        scratch = fx_ef_child.scratch_dir(os.environ["TMPDIR"], self.pid)
        try:
            fx_ef_child.remove_tree(scratch)
        except OSError:
            pass  # none yet, or a killed process of the step still wrote: the worker's dir goes
            # with the worker

    def close(self):
        for fd in [self.request_w, self.status_r, self.out_r, self.err_r] + self.child_fds:
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.request_w = self.status_r = self.out_r = self.err_r = None
        self.child_fds = []


def _read_end(fd, block=True):
    """A step's end as the child reports it: (exit code, whether it may run another step)."""
    if not block and not select.select([fd], [], [], 0)[0]:
        return None
    data = os.read(fd, 8)
    return struct.unpack(">ii", data) if len(data) == 8 else None


class OutputBudget:
    """Total output bytes a step may produce; the first overflow sends one explicit marker."""

    def __init__(self, channel, limit):
        self.channel = channel
        self.limit = limit
        self.used = 0
        self.exceeded = False

    def take(self, n):
        if self.exceeded:
            return False
        if self.used + n > self.limit:
            self.exceeded = True
            self.channel.send({"op": "log", "level": "WARN", "stream": "fx", "truncated": True,
                               "message": "[fx] output truncated: the step wrote more than"
                                          " %d bytes; the rest was discarded" % self.limit})
            return False
        self.used += n
        return True


class OutputStream:
    """One of the step's output pipes: complete lines become log frames, within the budget."""

    def __init__(self, fd, stream, budget, channel):
        self.fd = fd
        self.stream = stream
        self.level = "INFO" if stream == "stdout" else "WARN"
        self.budget = budget
        self.channel = channel
        self.pending = b""
        self.in_long_line = False  # the start of the current line was already sent, cut

    def read(self):
        """Reads what the pipe holds; False at end of file, None when it is empty for now."""
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return None
        if not data:
            return False
        self.pending += data
        start = 0
        while True:
            end = self.pending.find(b"\n", start)
            if end < 0:
                break
            self._line(self.pending[start:end], complete=True)
            start = end + 1
        self.pending = self.pending[start:]
        if len(self.pending) > MAX_LINE_CHARS * 4:
            self._line(self.pending, complete=False)
            self.pending = b""
        return True

    def drain(self):
        """After the step: whatever is left in the pipe, then an unterminated last line."""
        while self.read():
            pass  # non-blocking: a warm child, or a process of the step, holds the pipe open
        if self.pending:
            self._line(self.pending, complete=True)
            self.pending = b""

    def _line(self, raw, complete):
        skip = self.in_long_line  # the rest of a line that was already cut
        self.in_long_line = not complete
        if skip or not self.budget.take(len(raw) + 1):
            return
        text = raw.decode("utf-8", errors="replace")
        truncated = len(text) > MAX_LINE_CHARS or not complete
        if truncated:
            text = text[:MAX_LINE_CHARS] + " [...line truncated by fx]"
        self.channel.send({"op": "log", "level": self.level, "stream": self.stream,
                           "message": text, "truncated": truncated})


def main():
    os.environ.pop("PWD", None)  # bubblewrap sets it: the environment is the executor's only
    # own session and process group: killing the group takes everything the worker started
    try:
        os.setsid()
    except OSError:
        pass
    # keep the protocol channel away from fd 0/1 so nothing a script prints can corrupt it
    in_fd = os.dup(0)
    out_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    # this worker's directory: its children's HOME/TMPDIR live in it (the executor removes it
    # when the worker is gone, whatever way it went)
    worker_dir = os.path.join(os.environ.get("TMPDIR", "/tmp"), "w%d" % os.getpid())
    os.mkdir(worker_dir, 0o700)
    os.environ["TMPDIR"] = worker_dir
    os.environ["HOME"] = worker_dir
    lock_path = os.path.join(worker_dir, ".fx-worker.lock")
    lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    os.unlink(lock_path)  # the open descriptor is all the lock needs
    channel = Channel(in_fd, out_fd, lock_fd)
    import fx_ef  # noqa: F401 - warm the runtime before the zygote is forked
    global fx_ef_child
    import fx_ef._child as fx_ef_child

    fx_ef_child.prepare()
    # the warm runtime's objects are never collected: a collection in a child would otherwise
    # write to (and so copy) every page that holds one
    gc.collect()
    gc.freeze()
    sup_sock, zyg_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    zygote_pid = os.fork()
    if zygote_pid == 0:
        code = 0
        try:
            sup_sock.close()
            zygote_main(zyg_sock, channel)
        except BaseException:  # noqa: BLE001 - the supervisor sees the socket close
            code = 70
            traceback.print_exc()
        finally:
            os._exit(code)
    zyg_sock.close()
    zygote = Zygote(sup_sock, zygote_pid)
    spare = zygote.spawn()
    warm = {}  # reuse_key -> the child kept warm for that package, least recently used first
    mark = trace("start") if TRACE else None
    channel.send({"op": "hello", "pid": os.getpid(), "protocol": PROTOCOL_VERSION})
    try:
        while True:
            try:
                data = channel.receive_bytes()
            except EOFError:
                return 0
            request = decode(data)
            op = request.get("op")
            if op == "run":
                key = request.get("reuse_key")
                zygote.drain()
                child = warm.pop(key, None) if key is not None else None
                if child is not None and child.pid in zygote.statuses:
                    child.end(zygote)  # it died while it waited
                    child = None
                if child is None:
                    child, spare = spare, None
                    child.key = key
                    child.start(data)
                    spare = zygote.spawn()  # forked while this step runs
                else:
                    child.start(data)
                done = child.finish(channel, zygote, request.get("timeout_ms", 60000),
                                    request.get("max_output_bytes", 1024 * 1024))
                if done.pop("reusable", False) and key is not None:
                    warm[key] = child
                else:
                    child.end(zygote)
                    if SANDBOXED:
                        zygote.wait_pid(spare)
                        _sweep({os.getpid(), zygote.pid, spare.pid}
                               | {c.pid for c in warm.values()})
                while len(warm) > max(0, request.get("max_warm", 1)):
                    warm.pop(next(iter(warm))).end(zygote)  # the least recently used goes
                done["warm"] = list(warm)
                channel.send(done)
                zygote.drain()
                if TRACE:
                    mark = trace("supervisor step", mark)
            elif op == "ping":
                channel.send({"op": "pong"})
            elif op == "exit":
                return 0
            else:
                channel.send({"op": "done", "status": "failed", "exit_code": 70,
                              "error": "unknown op %r" % op})
    finally:
        for child in warm.values():
            child.close()
        sup_sock.close()  # the zygote kills its children and exits
        if spare is not None:
            spare.close()
        os.waitpid(zygote_pid, 0)

if __name__ == "__main__":
    _parse_args(sys.argv[1:])
    sys.exit(main())
