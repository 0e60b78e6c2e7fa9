"""The default deadline of every blocking wait, and the polling wait the
plugin's other waits are built on."""

import time

from .errors import UnderstudyTimeout

STARTUP_TIMEOUT = 10.0  # an engine prints its listening line, a client registers
WAIT_TIMEOUT = 5.0  # a console record, a log line, a condition
CALL_TIMEOUT = 10.0  # one request the harness makes to the engine
# A process stops after SIGTERM before it gets SIGKILL. The engine's own stop
# has a budget of 4 s (understudy_engine.server.STOP_BUDGET_S), after the frame
# it is in ends and before its interpreter finalizes: this leaves room for
# both on a loaded CI machine, where 5 s was once not enough.
STOP_TIMEOUT = 10.0
POLL_INTERVAL = 0.01


def wait_until(condition, expected, timeout=WAIT_TIMEOUT, context=None, seen=None):
    """Calls `condition()` every POLL_INTERVAL until it returns something
    truthy, and returns that. On timeout raises UnderstudyTimeout naming
    `expected` and what was seen last (`seen()`, else the last value).
    `context` is the process whose log explains a failure (EngineProcess or
    ClientProcess): its log goes into the message, and the wait fails at once
    with ProcessDied if it exits."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = condition()
        if last:
            return last
        if context is not None and hasattr(context, "check_alive"):
            context.check_alive(f"waiting for {expected}")
        if time.monotonic() >= deadline:
            shown = seen() if seen is not None else repr(last)
            where = context.failure_context() if context is not None else ""
            raise UnderstudyTimeout(
                f"Timed out after {timeout} s waiting for {expected}; last seen: {shown}\n{where}")
        time.sleep(POLL_INTERVAL)
