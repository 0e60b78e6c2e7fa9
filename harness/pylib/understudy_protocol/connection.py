"""A blocking client connection to a control socket: one request at a time,
answered by id; the events that arrive meanwhile go to `on_event`."""

import itertools
import socket
import time

from .codec import LineBuffer, decode_line, encode_request, is_event


class ControlTimeout(TimeoutError):
    """No answer within the deadline (the connection is still open)."""


class ControlClosed(ConnectionError):
    """The other end closed the connection before answering."""


class ControlConnection:
    """Contract: request() waits at most `timeout_s` and returns the whole
    answer ({"id", "ok", "result" | "error"}); it raises ControlTimeout,
    ControlClosed, or codec.ProtocolError for a line that is not a control
    message. Not thread-safe. Close it (or use it as a context manager)."""

    def __init__(self, path, connect_timeout_s=10.0, alive=None, on_event=None):
        """Connects to the Unix socket at `path`, retrying while it does not
        exist yet, up to `connect_timeout_s`. `alive()`, asked between tries,
        returns False to stop waiting (the server's process has exited).
        `on_event(message)` sees each event as it is read; without it events
        are dropped."""
        self.path = str(path)
        self._on_event = on_event
        self._ids = itertools.count(1)
        self._lines = LineBuffer()
        deadline = time.monotonic() + connect_timeout_s
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.path)
                self._sock = sock
                return
            except OSError as exc:
                sock.close()
                if (alive is not None and not alive()) or time.monotonic() >= deadline:
                    raise ControlClosed(f"could not connect to the control socket {self.path} "
                                        f"within {connect_timeout_s} s: {exc}") from None
            time.sleep(0.01)

    def request(self, op, timeout_s, **fields):
        request_id = next(self._ids)
        self._sock.settimeout(timeout_s)
        self._sock.sendall(encode_request(request_id, op, **fields))
        deadline = time.monotonic() + timeout_s
        while True:
            line = self._lines.next_line()
            if line is not None:
                message = decode_line(line)
                if is_event(message):
                    if self._on_event is not None:
                        self._on_event(message)
                elif message.get("id") == request_id:
                    return message
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ControlTimeout(f"no answer to control request {op} within {timeout_s} s")
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise ControlClosed(f"the control channel closed before answering {op}")
            self._lines.feed(chunk)

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
