"""The engine's console as its log shows it: the human echo the engine writes
to stderr, a line per record ("[    1.234 f42     main        ] log     text")
followed by the record's continuation lines, among the engine's own lines
("understudy-engine: ..."). This module is the plugin's one reader of that
format.

The control channel serves the same records structured (its `console` op and
events), but only while the engine runs, and only its newest 20,000; the log
has every record, those written while the engine stops (a test may assert on
them after engine.stop()), the engine's own lines (start-up errors, the
engine-error total at exit), and it is the file a failure report shows."""

import dataclasses
import re
import threading
from pathlib import Path

LOG_TAIL_LINES = 40

_RECORD = re.compile(
    r"^\[\s*(?P<time>\d+\.\d+) f(?P<frame>\d+)\s+(?P<thread>[^\]]*?)\s*\] "
    r"(?P<severity>.{7}) (?P<text>.*)$")
_ENGINE_LINE = "understudy-engine: "  # the engine's own lines, outside the console


@dataclasses.dataclass
class ConsoleRecord:
    """One console record. `time` is seconds since the engine started, on the
    engine's clock; `text` includes the record's continuation lines."""

    index: int
    time: float
    frame: int
    thread: str
    severity: str
    text: str

    def __str__(self):
        return f"[{self.time:9.3f} f{self.frame} {self.thread}] {self.severity} {self.text}"


class ConsoleLog:
    """Parses an engine's stderr log into records, incrementally. A line of
    the engine's own becomes a record of severity "raw"."""

    def __init__(self, path):
        self.path = Path(path)
        self._offset = 0
        self._partial = b""
        self._records = []
        self._lock = threading.Lock()

    def records(self):
        with self._lock:
            self._read_new()
            return list(self._records)

    def _read_new(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                data = f.read()
        except FileNotFoundError:
            return
        self._offset += len(data)
        data = self._partial + data
        *lines, self._partial = data.split(b"\n")
        for raw in lines:
            line = raw.decode(errors="replace")
            match = _RECORD.match(line)
            if match:
                self._records.append(ConsoleRecord(
                    len(self._records), float(match["time"]), int(match["frame"]),
                    match["thread"], match["severity"].strip(), match["text"]))
            elif self._records and not line.startswith(_ENGINE_LINE):
                self._records[-1].text += "\n" + line
            else:  # the engine's own lines outside the console (start errors, summary)
                last = self._records[-1] if self._records else None
                self._records.append(ConsoleRecord(
                    len(self._records), last.time if last else 0.0, last.frame if last else 0,
                    "", "raw", line))


def tail(path, lines=LOG_TAIL_LINES):
    """The last `lines` lines of a log. A deadlock report the window would cut
    (it starts before the window) is shown whole first: its header and cycle
    are what explains the failure."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc.strerror})"
    all_lines = text.splitlines()
    start = max(0, len(all_lines) - lines)
    kept = all_lines[start:]
    if not kept:
        return "(empty)"
    report = _deadlock_record_before(all_lines, start)
    if report is None:
        return "\n".join(kept)
    first, end = report
    skipped = start - end
    return "\n".join(all_lines[first:end] + (
        [f"... ({skipped} lines) ..."] if skipped > 0 else []) + all_lines[max(start, end):])


def _deadlock_record_before(lines, start):
    """(first, end) line indexes of the newest deadlock record that begins
    before line `start`, None if there is none."""
    found = None
    for i in range(start):
        match = _RECORD.match(lines[i])
        if match and re.match(r"(potential )?deadlock", match["text"]):
            found = i
    if found is None:
        return None
    end = found + 1
    while end < len(lines) and not _RECORD.match(lines[end]) and \
            not lines[end].startswith(_ENGINE_LINE):
        end += 1
    return found, end


def engine_errors_at_exit(path):
    """The engine-error total the engine printed in its log `path` when it
    stopped; None if it did not print one."""
    found = re.findall(rf"^{_ENGINE_LINE}(\d+) engine errors? ", tail(path, 400), re.MULTILINE)
    return int(found[-1]) if found else None
