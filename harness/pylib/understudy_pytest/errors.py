"""The failures the plugin raises. All are AssertionErrors, so pytest reports
them as test failures; each message says what was expected, what was seen
and which log to read."""


class UnderstudyTimeout(AssertionError):
    """A wait ran out; the message says what was expected, what was seen, and
    which log to read."""


class ProcessDied(AssertionError):
    """A process the test needed exited; the message has its exit code and log."""


class ControlProtocolError(AssertionError):
    """The engine's control channel sent something that is not a JSON line
    (an engine bug, or a value the engine should have refused); the message
    shows the line and the engine's log."""


class DeadlockDetected(AssertionError):
    """A call closed a deadlock the test did not expect. The message has the
    cycle in one line, the client's frame in the user's code, the engine-side
    caller, the ways out, and the engine's report whole."""
