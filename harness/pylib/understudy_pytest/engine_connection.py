"""The harness's own RPyC connection to an engine: it runs code on the
engine's main thread (execute) and queries the engine on the connection's
thread (the probes in engine_side/probes.py)."""

import concurrent.futures
import functools
import textwrap
import threading
from pathlib import Path

import rpyc
import understudy_client

from .errors import UnderstudyTimeout
from .waits import CALL_TIMEOUT

EXECUTE_FILENAME = "<understudy_pytest execute>"  # engine-side code given as a string
_ENGINE_SIDE = Path(__file__).resolve().parent / "engine_side"


@functools.cache
def engine_side_script(name):
    """(path, source) of engine_side/`name`, the engine-side code the harness
    sends through execute()."""
    path = _ENGINE_SIDE / name
    return str(path), path.read_text()


class EngineConnection:
    """A plain RPyC connection without services (the engine logs that it "has
    no client_name()" and never lists it among connected_clients()), opened on
    first use and again after a reload. Nobody serves it in the background: a
    thread waiting for a reply serves it. `engine` gives the address, the auth
    token file and the failure context."""

    def __init__(self, engine):
        self._engine = engine
        self._conn = None
        self._probe_ns = None
        self._lock = threading.RLock()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=4,
                                                           thread_name_prefix=engine.label)

    def connection(self):
        with self._lock:
            if self._conn is None or self._conn.closed:
                self._engine.check_alive("connecting to it")
                config = {"sync_request_timeout": CALL_TIMEOUT, "allow_public_attrs": True}
                self._conn = understudy_client.open_connection(
                    self._engine.address, config=config,
                    auth_token_file=self._engine.auth_token_file)
                self._probe_ns = None
            return self._conn

    def probes(self):
        """The namespace of engine_side/probes.py, executed once per
        connection on the main thread; calling its functions later runs on the
        connection's thread, so queries work while the main thread is busy."""
        with self._lock:
            self.connection()
            if self._probe_ns is None:
                filename, source = engine_side_script("probes.py")
                self._probe_ns = self.execute(source, self.namespace(), filename=filename)
            return self._probe_ns

    def drop(self):
        """Closes the connection; the next use opens a new one."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:
                    pass
            self._conn = None
            self._probe_ns = None

    def shutdown(self):
        """Closes the connection for good and cancels background executes."""
        self.drop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def query(self, fn):
        """Runs an idempotent query, once more on a fresh connection if the
        engine closed ours (a reload does)."""
        try:
            return fn()
        except (EOFError, ConnectionError):
            self.drop()
            return fn()

    def namespace(self, **names):
        """A fresh dict in the engine holding `names` (passed by value when
        they are numbers, strings or tuples of them)."""
        return self.connection().root.dict(**names)

    def execute(self, code, ns, timeout=CALL_TIMEOUT, filename=EXECUTE_FILENAME):
        """Runs `code` (dedented) on the engine's main thread through the root
        service's execute(), in the engine-side dict `ns`, which it returns.
        `filename` names the code in engine-side tracebacks and stacks."""
        conn = self.connection()
        request = rpyc.async_(conn.root.execute)(textwrap.dedent(code), ns, filename)
        request.set_expiry(timeout)
        try:
            request.wait()
        except rpyc.AsyncResultTimeout:
            what = (textwrap.indent(textwrap.dedent(code).strip(), "    ")
                    if filename == EXECUTE_FILENAME else f"    {filename}")
            raise UnderstudyTimeout(
                f"Timed out after {timeout} s waiting for {self._engine.label} to execute:\n"
                f"{what}\n(the main thread is busy or blocked?)\n"
                f"{self._engine.failure_context()}") from None
        except EOFError:
            self._engine.check_alive("executing code")
            raise
        try:
            request.value
        except Exception as exc:
            try:
                exc.add_note(self._engine.failure_context())
            except Exception:
                pass  # RPyC's copy of a remote exception may shadow add_note
            raise
        return ns

    def submit(self, fn, *args, **kwargs):
        """Runs fn(*args, **kwargs) on a harness thread; a concurrent.futures.Future."""
        return self._pool.submit(fn, *args, **kwargs)
