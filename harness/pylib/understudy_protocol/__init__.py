"""The engine's control channel for Python (JSON lines on a Unix socket):
the codec every Python end uses (the pytest plugin, the stress baseline
server, the benches, the conformance drivers) and a blocking client
connection. The contract and every op and event: protocol/README.md."""

from .codec import (MAX_LINE_BYTES, MAX_NESTING_DEPTH, MAX_RESPONSE_NESTING_DEPTH,
                    PROTOCOL_VERSION, LineBuffer,
                    ProtocolError, decode_line, decode_request, encode_answer, encode_error,
                    encode_event, encode_request, is_event, nesting_depth)
from .connection import ControlClosed, ControlConnection, ControlTimeout

__all__ = [
    "MAX_LINE_BYTES", "MAX_NESTING_DEPTH", "MAX_RESPONSE_NESTING_DEPTH", "PROTOCOL_VERSION",
    "LineBuffer",
    "ProtocolError", "decode_line", "decode_request", "encode_answer", "encode_error",
    "encode_event", "encode_request", "is_event", "nesting_depth", "ControlClosed",
    "ControlConnection", "ControlTimeout",
]
