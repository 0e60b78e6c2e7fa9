"""The engine's control channel for Python (JSON lines on a Unix socket):
the codec every Python end uses (the pytest plugin, the stress baseline
server, the benches, the conformance drivers), a blocking client
connection, and the reader of the engine's console file. The contract and
every op and event: protocol/README.md."""

from .codec import (MAX_LINE_BYTES, MAX_NESTING_DEPTH, MAX_RESPONSE_NESTING_DEPTH,
                    PROTOCOL_VERSION, LineBuffer,
                    ProtocolError, decode_line, decode_request, encode_answer, encode_error,
                    encode_event, encode_request, is_event, nesting_depth)
from .connection import ControlClosed, ControlConnection, ControlTimeout
from .console_file import ConsoleFile, ConsoleRecord, EngineExit

__all__ = [
    "MAX_LINE_BYTES", "MAX_NESTING_DEPTH", "MAX_RESPONSE_NESTING_DEPTH", "PROTOCOL_VERSION",
    "LineBuffer",
    "ProtocolError", "decode_line", "decode_request", "encode_answer", "encode_error",
    "encode_event", "encode_request", "is_event", "nesting_depth", "ControlClosed",
    "ControlConnection", "ControlTimeout", "ConsoleFile", "ConsoleRecord", "EngineExit",
]
