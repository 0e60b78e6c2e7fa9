"""The engine's console file (`understudy-engine --console-file PATH`): every
console record as the control channel's `console` event, one line each in
sequence order, then an `exit` event when the engine stops by itself
(protocol/README.md, "The console file"). This is how Python ends read the
console; the echo on stderr is for people.

The file is read incrementally while the engine writes it: a line without its
newline yet is left for the next read."""

import dataclasses
import threading
from pathlib import Path

from .codec import ProtocolError, decode_line


@dataclasses.dataclass
class ConsoleRecord:
    """One console record (protocol's ConsoleEvent). `time` is seconds since
    the engine started, on the engine's clock; `text` may span lines (a
    traceback). `index` is its place in the file, from 0."""

    index: int
    sequence: int
    time: float
    frame: int
    thread: str
    severity: str
    text: str

    def __str__(self):
        return f"[{self.time:9.3f} f{self.frame} {self.thread}] {self.severity} {self.text}"


@dataclasses.dataclass
class EngineExit:
    """How the run ended (protocol's EngineExit)."""

    frames: int
    engine_errors: int
    script_errors: int
    first_error: str


class ConsoleFile:
    """A console file, followed as it grows. Thread-safe."""

    def __init__(self, path):
        self.path = Path(path)
        self._offset = 0
        self._partial = b""
        self._records = []
        self._exit = None
        self._lock = threading.Lock()

    def records(self):
        """Every record so far, oldest first."""
        with self._lock:
            self._read_new()
            return list(self._records)

    def exit(self):
        """The exit event, or None while the engine runs (or if it was
        killed, or crashed, before it could write one)."""
        with self._lock:
            self._read_new()
            return self._exit

    def _read_new(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                data = f.read()
        except FileNotFoundError:
            return  # the engine has not created it yet
        self._offset += len(data)
        *lines, self._partial = (self._partial + data).split(b"\n")
        for number, line in enumerate(lines):
            try:
                message = decode_line(line)
            except ProtocolError as exc:
                raise ProtocolError(f"{self.path}: line {len(self._records) + number + 1}: "
                                    f"{exc.problem}", line) from None
            kind, data = message.get("event"), message.get("data") or {}
            if kind == "console":
                self._records.append(ConsoleRecord(
                    len(self._records), data["sequence"], data["seconds"], data["frame"],
                    data["thread"], data["severity"], data["text"]))
            elif kind == "exit":
                self._exit = EngineExit(data["frames"], data["engine_errors"],
                                        data["script_errors"], data["first_error"])
            else:
                raise ProtocolError(f"{self.path}: an event this reader does not know: {kind!r}"
                                    " (protocol/README.md lists the console file's events)",
                                    line)
