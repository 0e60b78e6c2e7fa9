"""The Python half of the engine's control channel: the operations the
harness asks for that run Python on the main thread (engine-side code, calls
to clients on each of the three paths). The C++ ControlServer calls these
with a `respond(ok, json_text)` callable that answers the request."""

import ast
import builtins
import json
import math
import time
import traceback

import _understudy_engine as native
import unreal_engine as ue

from . import errors

# The namespace the harness's python steps run in: shared, so that a
# scenario's python steps see each other's names. A reload starts a new one.
# (Clients' `execute` gets a new namespace per call, as in PfU.)
engine_globals = {"__name__": "__understudy__", "__builtins__": builtins}

_KINDS = [
    (errors.ClientNotFoundError, "no_client"),
    (errors.ServiceCallTimeout, "timeout"),
    (errors.ClientDisconnectedError, "disconnected"),
    (errors.DeadlockError, "deadlock"),
]  # anything else, what a client's service raised included, is an "error"


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def _first_non_finite(value):
    """Where in `value` the first NaN or infinity is, as an index path
    ("[2]['x']", "" for the value itself), with the number; None if none is.
    Iterative: the value may be nested as deep as json.dumps allows."""
    pending = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return path, item
        if isinstance(item, dict):
            for key in item:
                if isinstance(key, float) and not math.isfinite(key):
                    return f"{path} (a key)", key
            children = [(f"{path}[{key!r}]", child) for key, child in item.items()]
        elif isinstance(item, (list, tuple)):
            children = [(f"{path}[{index}]", child) for index, child in enumerate(item)]
        else:
            continue
        pending.extend(reversed(children))
    return None


def _encode(payload, what):
    """(True, payload as JSON), or (False, an error naming the NaN or
    infinity `payload` holds and where; `what` names the payload). JSON has
    none of them: Python's json writes them anyway, as text that no JSON
    parser takes, which left a request unanswered."""
    try:
        return True, json.dumps(payload, allow_nan=False)
    except ValueError:
        found = _first_non_finite(payload)
        if found is None:
            raise
    path, number = found
    return False, json.dumps({
        "type": "NonFiniteNumber", "kind": "error",
        "message": f"{what}{path} is {number!r}, which JSON cannot carry (it has no NaN or "
                   f"Infinity): answer a string, such as repr() of it, to see it"})


def _error_payload(exc):
    kind = next((k for cls, k in _KINDS if isinstance(exc, cls)), "error")
    return {"type": type(exc).__name__, "kind": kind, "message": str(exc),
            "traceback": "".join(traceback.format_exception(exc)).rstrip()}


def handle_python(params, respond):
    """Main thread. Runs code in the engine's shared namespace; answers the
    value of its last statement when that is an expression, else null."""
    code = params.get("code", "")
    try:
        # Like an interactive prompt: statements run, and the value of a
        # final expression is the answer.
        tree = ast.parse(code, "<control>", "exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<control>", "exec"), engine_globals)
        value = None
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<control>", "eval"), engine_globals)
        value = _jsonable(value)
    except Exception as exc:
        respond(False, json.dumps(_error_payload(exc)))
        return
    respond(*_encode(value, "the code's value"))


def handle_call(params, respond):
    """Main thread. Calls a client service on the path asked for ("sync",
    "coroutine" or "async") and answers when the call completes. A failed call
    is also logged to the console, as the engine logs its failed calls."""
    from . import call_async_service_on_client, call_coroutine_service_on_client
    from . import call_service_on_client

    path = params.get("path", "sync")
    client, service = params["client"], params["service"]
    args = params.get("args", [])
    timeout = params.get("timeout")
    started, frame = time.monotonic(), native.frame_number()

    def finish(value=None, exc=None):
        outcome = {"path": path, "client": client, "service": service,
                   "elapsed_s": time.monotonic() - started,
                   "started_frame": frame, "finished_frame": native.frame_number()}
        if exc is None:
            outcome["value"] = _jsonable(value)
            ok, text = _encode(outcome, "the call's outcome")
            if not ok:  # the call's details stay, as for any failed call
                outcome.pop("value")
                text = json.dumps({**outcome, **json.loads(text)})
            respond(ok, text)
        else:
            outcome.update(_error_payload(exc))
            ue.log_error(f"{path} call to {service!r} on client {client!r} failed: "
                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
            respond(False, json.dumps(outcome))

    def settle(outcome):
        exc = outcome.exception()
        finish(None if exc else outcome.result(), exc)

    try:
        if path == "sync":
            finish(call_service_on_client(client, service, *args, timeout=timeout))
        elif path == "coroutine":
            call_coroutine_service_on_client(client, service, *args,
                                             timeout=timeout).add_done_callback(settle)
        elif path == "async":
            call_async_service_on_client(client, service, *args,
                                         timeout=timeout).add_done_callback(settle)
        else:
            raise ValueError(f"unknown call path {path!r} (sync, coroutine or async)")
    except Exception as exc:
        finish(exc=exc)


def rpc_address():
    """Where the RPC server listens ("tcp://HOST:PORT", "unix://PATH"), None
    when it does not (--no-rpc): the `hello` op's rpc_address."""
    from . import rpc_server

    return rpc_server.address


def handle_registry(params, respond):
    from . import registry

    respond(True, json.dumps(registry.names()))
