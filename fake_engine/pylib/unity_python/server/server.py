"""PfU 2.x's unity_python.server.server for engine-side code, on
Understudy's RPyC server: the functions C#'s PythonRunner calls, with PfU's
names, arguments and errors.

    start_server(), close_server(is_rebooting=False), is_server_active()
    call_service_on_client(client_name, index, service_name, args=(), kwargs={})
    call_service_on_client_async(...)      an rpyc AsyncResult
    num_clients_connected(client_name), get_connected_clients(),
    get_total_connected_clients(), get_rpyc_version()
    spawn_subpython(args, wantLogging=True, python_executable=None, env_override={})
    clients                                {name: [entry with ._conn, ...]}, live
    process_jobs(batch_time)               runs the main-thread jobs queued now

Index 0 is a name's oldest connection, -1 its newest. A missing client is a
KeyError ("No client '...' is connected"), an index past the connections an
IndexError, and what the client's service raised re-raises as RPyC's class
derived from the original type. Synchronous calls wait at most the
connection's sync_request_timeout (--call-timeout; PfU's own timeout test
lowers it per connection through `clients[name][0]._conn._config`) and take
part in deadlock detection like understudy_engine.call_service_on_client.
"""

import collections.abc
import logging
import os
import shutil
import subprocess
import sys

import rpyc

import _understudy_engine as native
import understudy_engine
from understudy_engine.service import log_at_level


def start_server():
    """Starts the server; False if it was running already."""
    if understudy_engine.rpc_server.running():
        return False
    understudy_engine.rpc_server.start()
    return True


def is_server_active():
    return understudy_engine.rpc_server.running()


def close_server(is_rebooting=False):
    """Tells every client on_server_shutdown(is_rebooting) (asynchronously,
    0.5 s to answer), closes the listener and the connections, runs the
    main-thread jobs they wait for and joins their threads. False if the
    server was not running."""
    if not understudy_engine.rpc_server.running():
        return False
    understudy_engine.rpc_server.stop(bool(is_rebooting))
    return True


def process_jobs(batch_time=1 / 90):
    """The engine drains its main-thread queue every frame itself; this runs
    what is queued now, for engine-side code that waits on the main thread."""
    if not isinstance(batch_time, (int, float)):
        raise TypeError("'batch_time' argument must be numeric")
    native.drain_main_thread_queue()


def num_clients_connected(client_name):
    return understudy_engine.registry.names().get(client_name, 0)


def get_connected_clients():
    return list(understudy_engine.registry.names())


def get_total_connected_clients():
    return sum(understudy_engine.registry.names().values())


def get_rpyc_version():
    return str(rpyc.__version__)


def call_service_on_client(client_name, index, service_name, args=(), kwargs={}):
    """Calls the service and waits for its reply on this thread."""
    return understudy_engine._calls.call(client_name, service_name, tuple(args or ()),
                                         dict(kwargs or {}), index=index)


def call_service_on_client_async(client_name, index, service_name, args=(), kwargs={}):
    """Sends the call and returns its rpyc AsyncResult at once (ready, value,
    error, expired, set_expiry, add_callback, wait). No expiry, as in PfU."""
    _, result = understudy_engine._calls._send(client_name, service_name, tuple(args or ()),
                                               dict(kwargs or {}), index=index)
    return result


class _ClientEntry:
    """One connection of a client, as PfU's UnityService shows it: `_conn`
    is the RPyC connection, `_client_name` its name."""

    __slots__ = ("_conn", "_client_name")

    def __init__(self, conn, name):
        self._conn = conn
        self._client_name = name

    def __repr__(self):
        return f"<client {self._client_name!r} connection>"


class _ConnectedClients(collections.abc.Mapping):
    """PfU's module-level `clients`: name to the list of its connections,
    oldest first, read live from the registry."""

    def __getitem__(self, name):
        conns = understudy_engine.registry.connections_of(name)
        if not conns:
            raise KeyError(name)
        return [_ClientEntry(conn, name) for conn in conns]

    def __iter__(self):
        return iter(list(understudy_engine.registry.names()))

    def __len__(self):
        return len(understudy_engine.registry.names())


clients = _ConnectedClients()


def client_python():
    """The interpreter clients run on (C#'s PythonSettings.PythonInterpreter):
    $UNDERSTUDY_CLIENT_PYTHON, else Debian's /usr/bin/python3 (whose RPyC
    is the engine's), else python3 on PATH. Not sys.executable: in the
    engine that is the engine itself."""
    configured = os.environ.get("UNDERSTUDY_CLIENT_PYTHON")
    if configured:
        return configured
    if os.access("/usr/bin/python3", os.X_OK):
        return "/usr/bin/python3"
    return shutil.which("python3") or "python3"


PFU_SITE_PACKAGES_ENV = "UNDERSTUDY_PFU_SITE_PACKAGES"


def spawn_subpython(args, wantLogging=True, python_executable=None, env_override={}):
    """Starts `python_executable args...` as a client process and returns its
    Popen, or None if it cannot start (logged as an error).

    As in PfU, the client's PYTHONPATH starts with the folder holding PfU's
    `unity_python` package: here $UNDERSTUDY_PFU_SITE_PACKAGES (PfU's
    Python~/site-packages), which Understudy does not ship. The client
    inherits the engine's environment, TMPDIR included, so that
    unity_client.connect() finds this engine's socket. Its output goes to
    the engine's log (Unity: the editor log). A value of None in
    env_override removes that variable."""
    args = [python_executable or client_python(), *[str(a) for a in args]]
    env = dict(os.environ)
    site_packages = env.get(PFU_SITE_PACKAGES_ENV)
    paths = [p for p in (site_packages, env.get("PYTHONPATH")) if p]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    for key, value in dict(env_override or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    if wantLogging:
        if not site_packages:
            log_at_level(f"spawn_subpython: ${PFU_SITE_PACKAGES_ENV} is not set, so the client "
                         "finds PfU's unity_python.client only if its own PYTHONPATH has it",
                         logging.WARNING)
        log_at_level(f"Python for Unity: Creating client process: {' '.join(args)} with "
                     f"PYTHONPATH={env.get('PYTHONPATH', '')}", logging.INFO)
    try:
        return subprocess.Popen(args, env=env, close_fds=True, stdin=subprocess.DEVNULL,
                                stdout=sys.__stderr__.fileno(), stderr=sys.__stderr__.fileno())
    except OSError as exc:
        if wantLogging:
            log_at_level(f"Could not launch the Python interpreter for the client process "
                         f"{args[0]}: {exc}", logging.ERROR)
        return None
