"""Errors of engine-to-client calls. Each message names the client, the
service and the time the call took, because the person reading it is usually
looking at a log long after the fact.

An exception the client's service raised is not one of these: it re-raises
as RPyC's class derived from the original type (so `except NameError` works,
as in PfU), with a note naming the client, the service and the time."""


class EngineCallError(RuntimeError):
    """Base of every error an engine-to-client call raises."""

    def __init__(self, message, client=None, service=None, elapsed=None):
        super().__init__(message)
        self.client = client
        self.service = service
        self.elapsed = elapsed


class ClientNotFoundError(EngineCallError, KeyError):
    """No connected client has that name (Unity: CallServiceWithoutClient).
    A KeyError, as PfU's server raises: `except KeyError` works as there."""

    def __str__(self):
        # KeyError's own __str__ shows the repr of its argument.
        return self.args[0] if self.args else ""


class ClientIndexError(EngineCallError, IndexError):
    """A client of that name is connected, but not as many times as the index
    asks for (PfU's call_service_on_client with an index)."""


class ServiceCallTimeout(EngineCallError, TimeoutError):
    """The reply did not arrive in time. As with RPyC's "result expired", the
    client is not cancelled, and a reply that arrives later is dropped."""


class ClientDisconnectedError(EngineCallError, ConnectionError, EOFError):
    """The client went away before it replied. Also an EOFError, which is
    what PfU's callers get (and catch) when a client closes mid-call, as one
    told to shut down does."""


class DeadlockError(EngineCallError):
    """The call closed a wait-for cycle and the engine runs with
    --on-deadlock fail-fast: it failed at once instead of timing out."""

    def __init__(self, message, report, **kwargs):
        super().__init__(message, **kwargs)
        self.report = report


def seconds(value):
    return f"{value:.3f} s"
