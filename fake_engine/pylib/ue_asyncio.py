"""The asyncio hub of UnrealEnginePython's asyncio tutorial.

Importing this module creates an event loop and registers a ticker that runs
exactly one iteration of it per engine frame: ``stop()`` before
``run_forever()`` makes the loop poll with a zero timeout, so a frame never
blocks on a coroutine. Scripts import it and schedule coroutines with
``asyncio.ensure_future`` (or ``loop.create_task``).

Beyond the tutorial: ``cancel_all_tasks()`` is what a script calls before it
is re-run, and the engine calls ``shutdown()`` when it stops.
"""

import asyncio

import unreal_engine as ue

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)


def ticker_loop(delta_time):
    try:
        loop.stop()
        loop.run_forever()
    except Exception as e:
        ue.log_error(e)
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
