"""Errors of engine-to-client calls. Each message names the client, the
service and the time the call took, because the person reading it is usually
looking at a log long after the fact."""


class EngineCallError(RuntimeError):
    """Base of every error an engine-to-client call raises."""

    def __init__(self, message, client=None, service=None, elapsed=None):
        super().__init__(message)
        self.client = client
        self.service = service
        self.elapsed = elapsed


class ClientNotFoundError(EngineCallError, LookupError):
    """No connected client has that name (Unity: CallServiceWithoutClient)."""


class RemoteServiceError(EngineCallError):
    """The client's service raised; the remote exception is the __cause__."""


class ServiceCallTimeout(EngineCallError, TimeoutError):
    """The reply did not arrive in time. As with RPyC's "result expired", the
    client is not cancelled, and a reply that arrives later is dropped."""


class ClientDisconnectedError(EngineCallError, ConnectionError):
    """The client went away before it replied."""


class DeadlockError(EngineCallError):
    """The call closed a wait-for cycle and the engine runs with
    --on-deadlock fail-fast: it failed at once instead of timing out."""

    def __init__(self, message, report, **kwargs):
        super().__init__(message, **kwargs)
        self.report = report


def seconds(value):
    return f"{value:.3f} s"
