"""The FX service context, as FX's ``fx_ef`` library offers it: ``from fx_ef import context``.

Every call that needs the platform (events, config, secrets, state, storage, scheduler) goes to
the executor over the worker's framed protocol. Calls the platform does not support fail with an
error that names them.
"""

import itertools
import json as _json

__all__ = ["context", "UnsupportedCallError", "PlatformCallError"]
PROTOCOL_VERSION = 1


class UnsupportedCallError(NotImplementedError):
    """An fx_ef call that this platform does not support."""


class PlatformCallError(RuntimeError):
    """The executor refused or failed a call (the message says why)."""


_state = {"channel": None, "request": None, "ids": itertools.count(1)}


def _bind(channel, request):
    _state["channel"] = channel
    _state["request"] = request
    context._bind(request)


def _reset():
    """Between two steps in one warm child: a fresh context, unbound, and nothing a step added to
    this module (the step's own names on ``fx_ef`` or ``context`` are gone)."""
    global context
    for name in [n for n in globals() if n not in _MODULE_NAMES]:
        del globals()[name]
    context = _Context()
    _state["channel"] = None
    _state["request"] = None


def _call(method, **args):
    channel = _state["channel"]
    if channel is None:
        raise PlatformCallError("fx_ef is not running inside the FX executor (%s)" % method)
    call_id = next(_state["ids"])
    channel.send({"op": "call", "id": call_id, "method": method, "args": args})
    while True:
        reply = channel.receive()
        if reply.get("op") == "reply" and reply.get("id") == call_id:
            break
    if not reply.get("ok"):
        raise PlatformCallError("%s failed: %s" % (method, reply.get("error")))
    return reply.get("result")


class _Namespace:
    _name = "context"

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        raise UnsupportedCallError(
            "fx_ef: %s.%s is not supported by the FX on Flink executor" % (self._name, item))


class _Events(_Namespace):
    _name = "context.events"

    def send(self, event_type, *args, data=None, reference_id=None, event_source=None,
             subject=None):
        """send(type, data) as the seed writes it, or send(type, source, data=..., reference_id=...)."""
        source = event_source
        if args:
            if isinstance(args[0], str):
                # FX's library: a string second argument is the event source
                source = args[0]
                if len(args) > 1:
                    data = args[1]
            else:
                data = args[0]
            if len(args) > 2:
                raise TypeError("send() takes at most 3 positional arguments")
        if not isinstance(event_type, str) or not event_type:
            raise ValueError("event_type must be a non-empty string")
        return _call("events.send", type=event_type, source=source, data=data,
                     reference_id=reference_id, subject=subject)


class _Config(_Namespace):
    _name = "context.config"

    def get(self, key, default=None):
        value = _call("config.get", key=key)
        return default if value is None else value


class _Secrets(_Namespace):
    _name = "context.secrets"

    def get(self, name, default=None):
        value = _call("secrets.get", name=name)
        return default if value is None else value

    def set(self, name, value):
        _call("secrets.set", name=name, value=value)


class _State(_Namespace):
    _name = "context.state"

    def get(self, key, default=None):
        value = _call("state.get", key=key)
        return default if value is None else _json.loads(value)

    def put(self, key, value):
        _call("state.put", key=key, value=_json.dumps(value))

    set = put

    def delete(self, key):
        return _call("state.delete", key=key)


class _Logging(_Namespace):
    _name = "context.logging"

    def _log(self, level, message, *args):
        text = str(message) % args if args else str(message)
        _state["channel"].send({"op": "log", "level": level, "stream": "logging",
                                "message": text})

    def debug(self, message, *args):
        self._log("DEBUG", message, *args)

    def info(self, message, *args):
        self._log("INFO", message, *args)

    def warning(self, message, *args):
        self._log("WARN", message, *args)

    warn = warning

    def error(self, message, *args):
        self._log("ERROR", message, *args)

    def exception(self, message, *args):
        import traceback
        self._log("ERROR", str(message) + "\n" + traceback.format_exc(), *args)

    critical = error


class _Package(_Namespace):
    _name = "context.package"

    def __init__(self):
        self.name = None
        self.id = None
        self.version = None


# objects cross the worker protocol's 8 MiB frames as base64; the executor may set a lower limit
# (FX_STORAGE_MAX_OBJECT_BYTES). Keep in step with ExecutorOptions.MAX_STORAGE_OBJECT_BYTES.
MAX_STORAGE_OBJECT_BYTES = 6 * 1024 * 1024 - 64 * 1024


class _Storage(_Namespace):
    _name = "context.storage"

    def create_bucket(self, bucket):
        return _call("storage.create_bucket", bucket=bucket)

    def upload(self, bucket, object_name, file_path):
        import os
        size = os.path.getsize(file_path)
        if size > MAX_STORAGE_OBJECT_BYTES:
            raise PlatformCallError(
                "storage.upload failed: %s is %d bytes; objects are limited to %d bytes"
                % (file_path, size, MAX_STORAGE_OBJECT_BYTES))
        with open(file_path, "rb") as f:
            import base64
            payload = base64.b64encode(f.read()).decode("ascii")
        return _call("storage.upload", bucket=bucket, object=object_name, data=payload)

    def download(self, bucket, object_name, file_path):
        import base64
        payload = _call("storage.download", bucket=bucket, object=object_name)
        with open(file_path, "wb") as f:
            f.write(base64.b64decode(payload))
        return file_path

    def get_public_url(self, bucket, object_name, expires_seconds=3600):
        return _call("storage.url", bucket=bucket, object=object_name, expires=expires_seconds)


class _Scheduler(_Namespace):
    _name = "context.scheduler"

    def retry(self, minutes=None, hours=None, days=None, cron_expression=None, parameters=None):
        return _call("scheduler.retry", minutes=minutes, hours=hours, days=days,
                     cron_expression=cron_expression, parameters=parameters)


class _Context(_Namespace):
    _name = "context"

    def __init__(self):
        self.events = _Events()
        self.config = _Config()
        self.secrets = _Secrets()
        self.state = _State()
        self.logging = _Logging()
        self.log = self.logging
        self.package = _Package()
        self.storage = _Storage()
        self.scheduler = _Scheduler()
        self.params = {}
        self.execution_id = None
        self.trigger_event = None
        self.attempt = None
        self.step = None

    def _bind(self, request):
        self.params = request.get("params") if request.get("params") is not None else {}
        self.execution_id = request.get("execution_id")
        self.trigger_event = request.get("trigger_event")
        self.attempt = request.get("attempt")
        self.step = request.get("step")
        self.package.name = request.get("service")
        self.package.id = request.get("package_id")
        self.package.version = request.get("service_version")


context = _Context()

_MODULE_NAMES = set(globals()) | {"_MODULE_NAMES"}
