"""An engine-to-client call the harness started (EngineProcess.start_call):
the pending call and how it ended. The engine-side code that makes the call
(engine_side/call_client.py) logs a console record when the call starts and
when it ends, and leaves the outcome in the call's namespace."""

import dataclasses
import re

from .console import ConsoleRecord
from .deadlocks import deadlock_message
from .errors import DeadlockDetected
from .waits import CALL_TIMEOUT, WAIT_TIMEOUT, wait_until


@dataclasses.dataclass
class CallOutcome:
    """How an engine-to-client call ended. `error_type` is the class name of
    the engine-side error (ServiceCallTimeout, DeadlockError, ...) or None;
    `elapsed` is measured by the engine; `started`/`ended` are the console
    records the harness logged around the call."""

    call_id: int
    client: str
    service: str
    path: str
    value: object
    error_type: object
    error: object
    elapsed: float
    started: ConsoleRecord
    ended: ConsoleRecord

    @property
    def ok(self):
        return self.error_type is None


class PendingCall:
    """A call start_call() made; wait() gives its CallOutcome. `mark` is the
    console index before the call, `caller` the test's line that made it."""

    def __init__(self, engine, call_id, client, service, path, namespace, future, mark,
                 caller=None):
        self.engine = engine
        self.call_id = call_id
        self.client = client
        self.service = service
        self.path = path
        self.mark = mark
        self.caller = caller
        self._namespace = namespace
        self._future = future

    def _pattern(self, what):
        return (rf"^understudy_pytest: call #{self.call_id} {re.escape(self.client)}\."
                rf"{re.escape(self.service)} \({self.path}\) {what}")

    def started(self, timeout=WAIT_TIMEOUT):
        """The console record logged just before the call was made."""
        return self.engine.wait_for_console(self._pattern("starts"), timeout=timeout,
                                            since=self.mark)

    def ended(self, timeout=WAIT_TIMEOUT):
        """The console record logged when the call ended; its text ends with
        the engine-side error's class name, or "returned". Works after a
        reload too, when the call's namespace is gone."""
        return self.engine.wait_for_console(self._pattern("ended"), timeout=timeout,
                                            since=self.mark)

    def done(self):
        if self._future.done() and self._future.exception() is not None:
            return True
        return "outcome" in self._namespace

    def deadlock_report(self):
        """The engine's report of a certain deadlock in which the main thread
        waits for this call's client and service, if one was logged since the
        call started; else None."""
        pattern = (rf"^deadlock detected at frame \d+: main -> client:{re.escape(self.client)}#\d+ "
                   rf"\({re.escape(self.service)}\)")
        found = self.engine.find_console(pattern, since=self.mark, severity="error")
        return found[0] if found else None

    def wait(self, timeout=CALL_TIMEOUT, expect_deadlock=False):
        """The call's CallOutcome once it ended. Unless `expect_deadlock`, a
        deadlock the call closed fails at once with DeadlockDetected (the
        engine would wait for the call's timeout, RPyC's 30 s by default), and
        so does a DeadlockError outcome (--on-deadlock fail-fast)."""
        expected = (f"call #{self.call_id} {self.client}.{self.service} ({self.path} path) "
                    "to end")

        def ended_or_deadlocked():
            if not expect_deadlock and (report := self.deadlock_report()) is not None:
                raise DeadlockDetected(deadlock_message(self, report))
            return self.done()

        wait_until(ended_or_deadlocked, expected, timeout, context=self.engine)
        if self._future.done() and self._future.exception() is not None:
            raise self._future.exception()
        value, error_type, error, elapsed = self._namespace["outcome"]
        if error_type == "DeadlockError" and not expect_deadlock:
            report = self.engine.wait_for_console(r"^deadlock detected", severity="error",
                                                  since=self.mark)
            raise DeadlockDetected(deadlock_message(self, report))
        return CallOutcome(self.call_id, self.client, self.service, self.path, value, error_type,
                           error, elapsed, self.started(), self.ended())
