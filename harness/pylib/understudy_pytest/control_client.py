"""Requests on an engine's control channel: JSON lines on a Unix socket
(protocol/README.md; the codec is understudy_protocol's), separate from the
RPC port, so they work while that port is under attack."""

from understudy_protocol import ControlClosed, ControlConnection, ControlTimeout, ProtocolError

from .errors import ControlProtocolError, UnderstudyTimeout
from .waits import WAIT_TIMEOUT


class ControlClient:
    """One connection per request, read until the answer with the request's
    id; the events the engine broadcasts meanwhile are skipped. `engine`
    gives the socket's path, its control_path, read at each request (a test
    may point it elsewhere), and explains failures: its label, check_alive()
    and failure_context()."""

    def __init__(self, engine):
        self._engine = engine

    def request(self, op, timeout=WAIT_TIMEOUT, **params):
        """The result of request `op` with `params`. Raises UnderstudyTimeout
        without an answer within `timeout`, ControlProtocolError for a line
        that is not a control message, AssertionError when the engine
        answers with an error."""
        engine = self._engine
        # The engine made its socket before it said it was listening: a
        # connection refused here is an OSError of its own, as it is.
        connection = ControlConnection(engine.control_path, connect_timeout_s=0)
        try:
            with connection:
                message = connection.request(op, timeout, **params)
        except ProtocolError as exc:
            raise ControlProtocolError(
                f"{engine.label} sent a control line that is {exc} while answering control "
                f"request {op}\n{engine.failure_context()}") from None
        except (ControlTimeout, ControlClosed) as exc:
            engine.check_alive(f"waiting for the answer to control request {op}")
            raise UnderstudyTimeout(
                f"no answer to control request {op} from {engine.label} within {timeout} s "
                f"({exc})\n{engine.failure_context()}") from None
        if not message.get("ok"):
            raise AssertionError(f"control request {op} failed: {message}\n"
                                 f"{engine.failure_context()}")
        return message["result"]
