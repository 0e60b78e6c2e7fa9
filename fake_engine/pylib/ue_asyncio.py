"""The asyncio hub of UnrealEnginePython's asyncio tutorial.

Importing this module creates an event loop and registers a ticker that runs
exactly one iteration of it per engine frame: ``stop()`` before
``run_forever()`` makes the loop poll with a zero timeout, so a frame never
blocks on a coroutine. Scripts import it and schedule coroutines with
``asyncio.ensure_future`` (or ``loop.create_task``).

Beyond the tutorial: ``cancel_all_tasks()`` is what a script calls before it
is re-run, and the engine calls ``shutdown()`` when it stops. What asyncio
would only log (a task's exception that was never retrieved, a callback that
raised) is an engine error, as is an iteration of the loop that raises: the
engine counts it and the harness fails the scenario that did not expect it.
"""

import asyncio

import _understudy_engine
import unreal_engine as ue

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)


def report_exception(event_loop, context):
    """The loop's exception handler: asyncio's message and its context (the
    task, the callback) on one line, with the exception's traceback."""
    details = ", ".join(f"{key}: {value!r}" for key, value in context.items()
                        if key not in ("message", "exception"))
    what = "asyncio: " + context.get("message", "unhandled exception in the event loop")
    if details:
        what += f" ({details})"
    try:
        _understudy_engine.report_error("asyncio", what, context.get("exception"))
    except Exception:
        event_loop.default_exception_handler(context)  # the engine has stopped


loop.set_exception_handler(report_exception)


def ticker_loop(delta_time):
    try:
        loop.stop()
        loop.run_forever()
    except Exception as e:
        _understudy_engine.report_error("asyncio", "an iteration of the asyncio loop raised", e)
    return True


ticker = ue.add_ticker(ticker_loop)


def cancel_all_tasks():
    """Cancels every task of the hub's loop; they finish cancelling next tick."""
    for task in asyncio.all_tasks(loop):
        task.cancel()


def shutdown(grace_seconds=1.0):
    """Stops ticking, cancels every task, lets them unwind, closes the loop."""
    ue.remove_ticker(ticker)
    if loop.is_closed():
        return
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.wait(tasks, timeout=grace_seconds))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
