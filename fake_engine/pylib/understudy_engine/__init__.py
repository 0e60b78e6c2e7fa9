"""understudy_engine: the engine side of Understudy's out-of-process API.

Engine-side scripts use it to call services on connected clients, on the
three paths Unity's PythonRunner offers:

    call_service_on_client(client, service, *args, timeout=None, kwargs=None)
        synchronous, on the calling thread; returns the result or raises
    call_coroutine_service_on_client(client, service, *args, timeout=None, kwargs=None)
        an EngineCoroutine resumed once per frame until the reply is ready
    call_async_service_on_client(client, service, *args, timeout=None, kwargs=None)
        an EngineFuture completed on the main thread (awaitable from asyncio)

The three take the same keywords and no others (call_keywords.py):
`timeout` is the call's deadline in seconds, counted from its start, after
which it raises ServiceCallTimeout (None: the connection's
sync_request_timeout for the synchronous call, no deadline for the other two,
as in PfU); `kwargs` is a dict of the service's keyword arguments. Any other
keyword is a TypeError naming it, never an argument for the client's service.

and `connected_clients()`, `start_coroutine(generator)`, `reload()`.
Errors are in understudy_engine.errors. PfU 2.x's own engine-side API is
here too: `PythonRunner` (C#'s names, python_runner.py) and the module
`unity_python.server.server` (PfU's functions and arguments). The engine starts the RPyC server
itself (see server.py); `settings` holds its command-line settings.
"""

import json
import time

import _understudy_engine as native
import unreal_engine as ue

from .call_keywords import reject_unknown_keywords, service_kwargs
from .calls import ClientCalls
from .deadlocks import EVENT_FIELDS, DeadlockMonitor
from . import outbox, python_runner
from .errors import (ClientDisconnectedError, ClientIndexError, ClientNotFoundError,
                     DeadlockError, EngineCallError, ServiceCallTimeout)
from .python_runner import PythonRunner, PythonTask
from .registry import ClientRegistry
from .scheduler import CoroutineScheduler, EngineCoroutine, EngineFuture
from .server import STOP_BUDGET_S, RpcServer, ServerStartError

settings = dict(native.settings)

registry = ClientRegistry()
monitor = DeadlockMonitor(settings["on_deadlock"], settings["long_wait"])
monitor.only_nested_cycles = settings["faithful"] != "rpyc5"
monitor.add_listener(lambda report: native.emit_event("deadlock", json.dumps(
    {k: report[k] for k in EVENT_FIELDS})))
scheduler = CoroutineScheduler()
rpc_server = RpcServer(settings, monitor, registry)
monitor.pid_of_node = rpc_server.pid_of_node
_calls = ClientCalls(rpc_server, scheduler, settings["call_timeout"])


def call_service_on_client(client, service, *args, timeout=None, kwargs=None, **unknown):
    reject_unknown_keywords("call_service_on_client", unknown)
    return _calls.call(client, service, args, service_kwargs(kwargs), timeout=timeout)


def call_coroutine_service_on_client(client, service, *args, timeout=None, kwargs=None,
                                     **unknown):
    reject_unknown_keywords("call_coroutine_service_on_client", unknown)
    return _calls.coroutine(client, service, args, service_kwargs(kwargs), expiry=timeout)


def call_async_service_on_client(client, service, *args, timeout=None, kwargs=None, **unknown):
    reject_unknown_keywords("call_async_service_on_client", unknown)
    return _calls.async_(client, service, args, service_kwargs(kwargs), expiry=timeout)


def connected_clients():
    """{client name: number of live connections with that name}"""
    return registry.names()


def start_coroutine(generator, name="coroutine"):
    """Resumes `generator` once per frame on the main thread until it returns."""
    return scheduler.start(generator, name)


def reload():
    """Asks for a domain reload at the start of the next frame: the server
    stops (clients are invited to retry), the Python state scripts created is
    thrown away, the startup scripts run again and the server restarts."""
    native.request_reload()


def deadlock_reports():
    return list(monitor.reports)


def wait_edges():
    return native.wait_edges()


def _on_frame(delta_time):
    scheduler.step(delta_time)


def _start():
    """Called by the engine on the main thread at start-up and after a reload."""
    native.set_frame_hook(_on_frame)
    if settings["enabled"]:
        rpc_server.start()


def _stop(invite_retry):
    """Called by the engine on the main thread when it stops or reloads."""
    deadline = time.monotonic() + STOP_BUDGET_S  # one budget for all of it
    rpc_server.stop(invite_retry, deadline)
    # Also after a script's StopServer: no writer may be left running Python
    # when the interpreter finalizes.
    outbox.join_writers(max(0.0, deadline - time.monotonic()))
    for task in python_runner.join_tasks(max(0.0, deadline - time.monotonic())):
        ue.log_error(f"{task.name} did not end within the engine's stop budget of"
                     f" {STOP_BUDGET_S} s")
    scheduler.cancel_all()


__all__ = [
    "ClientDisconnectedError", "ClientIndexError", "ClientNotFoundError", "DeadlockError",
    "EngineCallError", "EngineCoroutine", "EngineFuture", "PythonRunner", "PythonTask",
    "ServerStartError",
    "ServiceCallTimeout", "call_async_service_on_client", "call_coroutine_service_on_client",
    "call_service_on_client", "connected_clients", "deadlock_reports", "reload", "settings",
    "start_coroutine", "wait_edges",
]
