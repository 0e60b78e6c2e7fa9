"""The control channel's wire codec in Python: the same lines and bounds as
the C++ codec (protocol/codec.h), for every Python end of the channel.

    request   {"id": 7, "op": "call", ...fields}
    answer    {"id": 7, "ok": true, "result": ...}
              {"id": 7, "ok": false, "error": {"type": ..., "message": ..., "detail": ...}}
    event     {"event": "console", "data": {...}}

protocol/README.md lists every op and event with its fields."""

import json

# What a hello says the engine speaks: protocol/messages.h's kProtocolVersion.
PROTOCOL_VERSION = 1

# A line longer than this is a protocol error (the engine closes the connection).
MAX_LINE_BYTES = 16 * 1024 * 1024
# Arrays and objects nested deeper than this are refused in a request ...
MAX_NESTING_DEPTH = 100
# ... and an answer may carry a value that deep inside {"result": ...} or
# {"error": {"detail": ...}}.
MAX_RESPONSE_NESTING_DEPTH = MAX_NESTING_DEPTH + 2


class ProtocolError(ValueError):
    """A line that is not a control message: not JSON, not an object, too
    long, or nested too deep. str() says which, and shows the line's start
    when there is one."""

    SHOWN = 200  # bytes of the line a message shows

    def __init__(self, problem, line=None):
        self.problem = problem
        self.line = line
        shown = ""
        if line is not None:
            cut = len(line) > self.SHOWN
            shown = f": {line[:self.SHOWN]!r}" + (f" ... ({len(line)} bytes)" if cut else "")
        super().__init__(problem + shown)


def nesting_depth(value):
    """How many arrays and objects `value` nests (0 for a scalar). Iterative:
    `value` may be as deep as json.loads allows."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep(max_depth):
    return f"JSON nested deeper than {max_depth} levels (the control channel's limit)"


def _checked_depth(value, max_depth, line=None):
    if nesting_depth(value) > max_depth:
        raise ProtocolError(_too_deep(max_depth), line)
    return value


def _encode(message, max_depth):
    """One line: valid JSON (no NaN or Infinity), within the bounds."""
    _checked_depth(message, max_depth)
    try:
        line = json.dumps(message, allow_nan=False).encode() + b"\n"
    except ValueError as exc:
        raise ProtocolError(f"a control line cannot carry it: {exc}") from None
    if len(line) > MAX_LINE_BYTES:
        raise ProtocolError(f"a control line of {len(line)} bytes is longer than "
                            f"{MAX_LINE_BYTES}")
    return line


def encode_request(request_id, op, **fields):
    return _encode({"id": request_id, "op": op, **fields}, MAX_NESTING_DEPTH)


def encode_answer(request_id, result):
    return _encode({"id": request_id, "ok": True, "result": result}, MAX_RESPONSE_NESTING_DEPTH)


def encode_error(request_id, error_type, message, detail=None):
    error = {"type": error_type, "message": message}
    if detail is not None:
        error["detail"] = detail
    return _encode({"id": request_id, "ok": False, "error": error}, MAX_RESPONSE_NESTING_DEPTH)


def encode_event(kind, data):
    return _encode({"event": kind, "data": data}, MAX_RESPONSE_NESTING_DEPTH)


def decode_line(raw, max_depth=MAX_RESPONSE_NESTING_DEPTH):
    """The JSON object on one line (bytes, without its newline). Raises
    ProtocolError for anything else."""
    if len(raw) > MAX_LINE_BYTES:
        raise ProtocolError(f"longer than {MAX_LINE_BYTES} bytes", raw)
    try:
        message = json.loads(raw)
    except RecursionError:
        raise ProtocolError(_too_deep(max_depth), raw) from None
    except ValueError as exc:  # JSONDecodeError and bad UTF-8 alike
        raise ProtocolError(f"not JSON ({exc})", raw) from None
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object", raw)
    return _checked_depth(message, max_depth, raw)


def decode_request(raw):
    """(id, op, the whole request) from one request line. Raises
    ProtocolError, as the engine answers BadRequest, for a line that is not
    an object with an integer id and a string op."""
    request = decode_line(raw, MAX_NESTING_DEPTH)
    request_id, op = request.get("id"), request.get("op")
    if isinstance(request_id, bool) or not isinstance(request_id, int) or \
            not -2**63 <= request_id < 2**63:
        raise ProtocolError('a request needs an integer "id" from -2^63 to 2^63-1', raw)
    if not isinstance(op, str):
        raise ProtocolError('a request needs a string "op"', raw)
    return request_id, op, request


def is_event(message):
    return "event" in message


class LineBuffer:
    """Bytes read from a control socket, split into lines."""

    def __init__(self):
        self._buffered = b""

    def feed(self, chunk):
        self._buffered += chunk
        if b"\n" not in self._buffered and len(self._buffered) > MAX_LINE_BYTES:
            raise ProtocolError(f"longer than {MAX_LINE_BYTES} bytes", self._buffered)

    def next_line(self):
        """The next whole line (without its newline), None if there is none yet."""
        newline = self._buffered.find(b"\n")
        if newline < 0:
            return None
        line, self._buffered = self._buffered[:newline], self._buffered[newline + 1:]
        return line
