"""FX executor Python worker (a warm "zygote").

Started once by the executor and reused: it imports the runtime up front, then forks one child per
step. The child gets its own process group, resource limits and a clean module state, runs the
step's script, and talks to the executor over the same framed protocol. When the step ends (or its
time is up) the worker kills the child's whole process group, so processes a script leaves behind
die with the step, and nothing of one service's state survives into the next execution.

Protocol v1: frames of a 4-byte big-endian length and a UTF-8 JSON object with "v": 1,
stdin = executor -> worker, the original stdout = worker -> executor.
"""

import json
import os
import select
import signal
import struct
import sys
import threading
import traceback

PROTOCOL_VERSION = 1
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
MAX_FRAME_BYTES = 8 * 1024 * 1024


class Channel:
    """Framed JSON over two file descriptors; writes are serialised by a lock."""

    def __init__(self, in_fd, out_fd):
        self.in_fd = in_fd
        self.out_fd = out_fd
        self.lock = threading.Lock()

    def send(self, message):
        message["v"] = PROTOCOL_VERSION
        data = json.dumps(message, default=str, ensure_ascii=False).encode("utf-8")
        frame = struct.pack(">I", len(data)) + data
        with self.lock:
            view = memoryview(frame)
            while view:
                n = os.write(self.out_fd, view)
                view = view[n:]

    def _read_exact(self, n):
        chunks = []
        while n > 0:
            chunk = os.read(self.in_fd, n)
            if not chunk:
                raise EOFError("executor closed the channel")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def receive(self):
        (length,) = struct.unpack(">I", self._read_exact(4))
        if length > MAX_FRAME_BYTES:
            raise ValueError("frame of %d bytes exceeds the limit" % length)
        message = json.loads(self._read_exact(length).decode("utf-8"))
        if message.get("v") != PROTOCOL_VERSION:
            raise ValueError("unsupported protocol version %r" % message.get("v"))
        return message


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_step(channel, request):
    """Forks the step; returns the 'done' message."""
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.setpgid(0, 0)
            import fx_ef._child as child

            code = child.run(channel, request)
        except BaseException:  # noqa: BLE001 - last resort, the child must exit
            try:
                channel.send({"op": "error", "message": traceback.format_exc()})
            except BaseException:
                pass
        finally:
            os._exit(code)
    # parent: also set the group here, so killpg works even if the child has not run yet
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    timeout_s = max(0.001, request.get("timeout_ms", 60000) / 1000.0)
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout_s)
    finally:
        os.close(pidfd)
    timed_out = not ready
    if timed_out:
        _kill_group(pid)
    _, status = os.waitpid(pid, 0)
    _kill_group(pid)  # whatever the step left behind dies with it
    if timed_out:
        return {"op": "done", "status": "timeout", "exit_code": -9}
    if os.WIFSIGNALED(status):
        return {"op": "done", "status": "killed", "exit_code": -os.WTERMSIG(status)}
    code = os.WEXITSTATUS(status)
    return {"op": "done", "status": "ok" if code == 0 else "failed", "exit_code": code}


def main():
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
    channel = Channel(in_fd, out_fd)
    import fx_ef  # noqa: F401 - warm the runtime before the first fork
    import fx_ef._child  # noqa: F401
    # modules a step imports lazily (runpy.run_path imports pkgutil on every call): imported once
    # here, every forked step inherits them instead of importing them again
    import pkgutil  # noqa: F401
    import resource  # noqa: F401
    channel.send({"op": "hello", "pid": os.getpid(), "protocol": PROTOCOL_VERSION})
    while True:
        try:
            request = channel.receive()
        except EOFError:
            return 0
        op = request.get("op")
        if op == "run":
            channel.send(_run_step(channel, request))
        elif op == "ping":
            channel.send({"op": "pong"})
        elif op == "exit":
            return 0
        else:
            channel.send({"op": "done", "status": "failed", "exit_code": 70,
                          "error": "unknown op %r" % op})


if __name__ == "__main__":
    sys.exit(main())
