"""Runs one step inside a child forked by the worker (see fx_worker.py)."""

import io
import json
import os
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
    """Prepares this child (forked ahead of its step), waits for its one request and runs it."""
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
    mark = trace and trace("child set-up", mark)
    header = _read_exact(request_fd, 4)
    mark = trace and trace("child wait", mark)
    if header is None:
        return 0  # the worker ended without a step for this child
    data = _read_exact(request_fd, struct.unpack(">I", header)[0])
    os.close(request_fd)
    if data is None:
        return 70
    code = run(channel, json.loads(data.decode("utf-8")))
    # the code first: the worker ends the step on it, so this process's own teardown (freeing its
    # memory) happens off the executor's critical path
    os.write(status_fd, struct.pack(">i", code))
    if trace:
        trace("child step", mark)
    return code


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
