"""EngineService: the root service clients see, as PfU 2.x's server.py
offers it: execute, import_module, log, list, dict.

`execute` runs on the main thread, in a new namespace per call unless the
client passes one (a tool that relies on names a previous call left behind
fails in Unity, so it fails here). Everything else on the root is a fast
call on the connection thread, as in PfU: import_module (the module it
returns is a netref; calling engine API through it goes to the main thread),
log and the plain containers."""

import builtins
import functools
import importlib
import logging
import sys

import rpyc
import unreal_engine as ue

from .connection import main_thread

# Short sources are compiled once: clients tend to send the same snippet again
# and again, and compiling it was a seventh of the main thread's time per
# execute under load. Code objects are immutable; long sources (whole
# scripts, sent once) are not kept.
_CACHED_SOURCE_CHARS = 4096


@functools.lru_cache(maxsize=256)
def _compile_cached(code, filename):
    return builtins.compile(code, filename, "exec")


def _compiled(code, filename):
    if isinstance(code, str) and len(code) <= _CACHED_SOURCE_CHARS:
        return _compile_cached(code, filename)
    return builtins.compile(code, filename, "exec")


# The names this engine also accepts for log levels (its clients used them
# before PfU's numeric levels were followed).
_LEVEL_NAMES = {"debug": logging.DEBUG, "log": logging.INFO, "info": logging.INFO,
                "warning": logging.WARNING, "error": logging.ERROR,
                "critical": logging.CRITICAL}


def log_at_level(message, level):
    """PfU's utils.log: below INFO to the engine's log only (Unity's editor
    log), INFO to the console as a log, WARNING as a warning, anything above
    as an error."""
    if isinstance(level, str):
        try:
            level = _LEVEL_NAMES[level.lower()]
        except KeyError:
            raise ValueError(f"unknown log level {level!r}: a logging level number "
                             f"(logging.INFO, ...) or one of {sorted(_LEVEL_NAMES)}") from None
    if level < logging.INFO:
        # The engine's log (its stderr), outside the console: lines of the
        # engine's own, which log readers do not take for console records.
        tag = f"understudy-engine: [{logging.getLevelName(level).lower()}] "
        print("\n".join(tag + line for line in f"{message}".splitlines() or [""]),
              file=sys.__stderr__, flush=True)
    elif level == logging.INFO:
        ue.log(message)
    elif level == logging.WARNING:
        ue.log_warning(message)
    else:
        ue.log_error(message)


class EngineService(rpyc.Service):
    def __init__(self, client_name=lambda: None):
        """`client_name()`: the connected client's name once registered."""
        super().__init__()
        self._client_name = client_name

    @main_thread("execute")
    def exposed_execute(self, string, globals=None, filename=None):
        """Runs Python source in the engine, in `globals` (an engine-side
        dict, e.g. from root.dict()) or else a new dict for this call alone.
        Returns None: read values back from the dict you passed."""
        if filename is None:
            filename = self._client_name() or "<understudy execute>"
        if globals is None:
            globals = {}
        builtins.exec(_compiled(string, filename), globals)

    def exposed_import_module(self, modulename):
        return importlib.import_module(modulename)

    def exposed_log(self, string, level=logging.INFO, traceback=None):
        message = f"{string}"
        if traceback:
            message += f"\nStack on client:\n{traceback}"
        log_at_level(message, level)

    def exposed_list(self, *args):
        return builtins.list(*args)

    def exposed_dict(self, *args, **kwargs):
        return builtins.dict(*args, **kwargs)
