"""EngineService: the root service clients see, as Unity's out-of-process
server offers it: execute, import_module, log, list, dict.

Requests that touch engine state (execute, import_module, and everything of
the unreal_engine module reached through netrefs) run on the main thread.
Cheap ones stay on the connection thread, as in the original: attribute
reads on the root, log, and the plain containers."""

import builtins
import functools
import importlib

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


_LEVELS = {"log": ue.log, "info": ue.log, "warning": ue.log_warning, "error": ue.log_error}


class EngineService(rpyc.Service):
    def __init__(self, engine_globals):
        super().__init__()
        self._globals = engine_globals

    @main_thread("execute")
    def exposed_execute(self, code, globals=None, filename=None):
        """Runs Python source in the engine. Without `globals`, in the engine's
        shared namespace, so that successive calls see each other's names."""
        namespace = self._globals if globals is None else globals
        builtins.exec(_compiled(code, filename or "<understudy execute>"), namespace)

    @main_thread("import_module")
    def exposed_import_module(self, name):
        return importlib.import_module(name)

    def exposed_log(self, message, level="log", traceback=None):
        write = _LEVELS.get(str(level).lower(), ue.log)
        write(f"{message}\n{traceback}" if traceback else message)

    def exposed_list(self, *args):
        return builtins.list(*args)

    def exposed_dict(self, *args, **kwargs):
        return builtins.dict(*args, **kwargs)
