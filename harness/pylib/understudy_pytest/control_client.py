"""Requests on an engine's control channel: JSON lines on a Unix socket (see
fake_engine/control/control_protocol.h), separate from the RPC port, so
they work while that port is under attack."""

import itertools
import json
import socket
import time

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
        self._ids = itertools.count(1)

    def request(self, op, timeout=WAIT_TIMEOUT, **params):
        """The result of request `op` with `params`. Raises UnderstudyTimeout
        without an answer within `timeout`, ControlProtocolError for a line
        that is not a JSON object, AssertionError when the engine answers
        with an error."""
        request_id = next(self._ids)
        line = json.dumps({"id": request_id, "op": op, **params}).encode() + b"\n"
        deadline = time.monotonic() + timeout
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self._engine.control_path))
            sock.sendall(line)
            buffered = b""
            while True:
                newline = buffered.find(b"\n")
                if newline >= 0:
                    raw, buffered = buffered[:newline], buffered[newline + 1:]
                    message = self._decode(raw, op)
                    if message.get("id") != request_id:
                        continue  # an event
                    if not message.get("ok"):
                        raise AssertionError(f"control request {op} failed: {message}\n"
                                             f"{self._engine.failure_context()}")
                    return message["result"]
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    chunk = None
                if not chunk:
                    self._engine.check_alive(f"waiting for the answer to control request {op}")
                    raise UnderstudyTimeout(
                        f"no answer to control request {op} from {self._engine.label} within "
                        f"{timeout} s (connection {'timed out' if chunk is None else 'closed'})\n"
                        f"{self._engine.failure_context()}")
                buffered += chunk

    def _decode(self, raw, op):
        """The JSON object on the line `raw`, which came while answering `op`."""
        label = self._engine.label
        try:
            message = json.loads(raw)
        except ValueError as exc:  # JSONDecodeError and bad UTF-8 alike
            raise ControlProtocolError(
                f"{label} sent a control line that is not JSON ({exc}) while answering control "
                f"request {op}: {raw[:200]!r}{' ...' if len(raw) > 200 else ''}\n"
                f"{self._engine.failure_context()}") from None
        if not isinstance(message, dict):
            raise ControlProtocolError(
                f"{label} sent a control line that is not a JSON object while answering control "
                f"request {op}: {raw[:200]!r}\n{self._engine.failure_context()}")
        return message
