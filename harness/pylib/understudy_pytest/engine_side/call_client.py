"""Engine-side: calls a client's service on the engine's main thread, for
EngineProcess.start_call(). Sent through the root service's execute() with
the call `start_call(_call_id, _client, _service, _args, _path, _timeout)`
after it, those names in the namespace it runs in.

It logs a console record as the call starts and one as it ends, which
PendingCall waits for, and leaves `outcome` = (value, the engine-side
error's class name or None, its text or None, elapsed seconds) in that
namespace once the call ended."""

import time

import understudy_engine
import unreal_engine


def start_call(call_id, client, service, args, path, timeout):
    """Calls `service` on `client` with `args` through call_service_on_client
    (path "sync", returning when the call ends), or its coroutine or async
    variant (returning at once); `timeout` is the call's timeout in seconds,
    None for the engine's default."""
    call = f"call #{call_id} {client}.{service} ({path})"

    def finish(value=None, error=None):
        global outcome
        elapsed = time.monotonic() - started
        error_type = None if error is None else type(error).__name__
        unreal_engine.log(f"understudy_pytest: {call} ended after {elapsed:.3f} s: "
                          f"{error_type or 'returned'}")
        outcome = (value, error_type, None if error is None else str(error), elapsed)

    def finish_with(done_handle):
        try:
            finish(value=done_handle.result())
        except Exception as exc:
            finish(error=exc)

    unreal_engine.log(f"understudy_pytest: {call} starts")
    started = time.monotonic()
    try:
        if path == "sync":
            finish(value=understudy_engine.call_service_on_client(client, service, *args,
                                                                   timeout=timeout))
        else:
            start = {"coroutine": understudy_engine.call_coroutine_service_on_client,
                     "async": understudy_engine.call_async_service_on_client}[path]
            start(client, service, *args, timeout=timeout).add_done_callback(finish_with)
    except Exception as exc:
        finish(error=exc)
