"""Runs one step inside the forked child of the worker (see fx_worker.py)."""

import io
import os
import runpy
import sys
import threading
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


class _OutputPump(threading.Thread):
    """Reads the step's stdout/stderr pipe and forwards lines as log frames, within a budget."""

    MAX_LINE_CHARS = 32 * 1024

    def __init__(self, channel, fd, stream, budget):
        super().__init__(daemon=True)
        self.channel = channel
        self.fd = fd
        self.stream = stream
        self.budget = budget

    def run(self):
        level = "INFO" if self.stream == "stdout" else "WARN"
        with io.open(self.fd, "rb", buffering=0) as raw:
            buffered = io.BufferedReader(raw, 65536)
            while True:
                line = buffered.readline(self.MAX_LINE_CHARS * 4 + 1)
                if not line:
                    return
                text = line.decode("utf-8", errors="replace").rstrip("\n")
                if not self.budget.take(len(line)):
                    continue
                truncated = len(text) > self.MAX_LINE_CHARS
                if truncated:
                    text = text[: self.MAX_LINE_CHARS] + " [...line truncated by fx]"
                self.channel.send({"op": "log", "level": level, "stream": self.stream,
                                   "message": text, "truncated": truncated})


class _Budget:
    """Total output bytes a step may produce; the first overflow sends one explicit marker."""

    def __init__(self, channel, limit):
        self.channel = channel
        self.limit = limit
        self.used = 0
        self.lock = threading.Lock()
        self.exceeded = False

    def take(self, n):
        with self.lock:
            if self.exceeded:
                return False
            if self.used + n > self.limit:
                self.exceeded = True
                self.channel.send({"op": "log", "level": "WARN", "stream": "fx",
                                   "truncated": True,
                                   "message": "[fx] output truncated: the step wrote more than"
                                              " %d bytes; the rest was discarded" % self.limit})
                return False
            self.used += n
            return True


def _redirect_output(channel, request):
    budget = _Budget(channel, request.get("max_output_bytes", 1024 * 1024))
    pumps = []
    for fd, stream in ((1, "stdout"), (2, "stderr")):
        r, w = os.pipe()
        os.dup2(w, fd)
        os.close(w)
        pump = _OutputPump(channel, r, stream, budget)
        pump.start()
        pumps.append(pump)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                  line_buffering=True, errors="replace")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                  line_buffering=True, errors="replace")
    return pumps


def _close_output(pumps):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    for pump in pumps:
        # a process the step left behind may still hold the pipe: do not wait for it forever
        pump.join(0.5)


def run(channel, request):
    _limit_resources(request)
    pumps = _redirect_output(channel, request)
    fx_ef._bind(channel, request)
    directory = request["dir"]
    script = os.path.join(directory, request["step"])
    os.chdir(directory)
    sys.path.insert(0, directory)
    sys.argv = [script]
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
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
    _close_output(pumps)
    return code
