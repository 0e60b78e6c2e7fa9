"""The engine's console for tests: records come from the engine's console
file (understudy_protocol.ConsoleFile: every record structured, the run's
end included, still there after the engine stopped); the human log, the
echo on stderr with the engine's own lines among the records, is only shown
(`tail`), never parsed for records."""

import re
from pathlib import Path

from understudy_protocol import ConsoleFile, ConsoleRecord

__all__ = ["LOG_TAIL_LINES", "ConsoleFile", "ConsoleRecord", "tail"]

LOG_TAIL_LINES = 40
_DEADLOCK = re.compile(r"(potential )?deadlock")


def tail(path, lines=LOG_TAIL_LINES, console=None):
    """The last `lines` lines of the log `path`. With the engine's `console`
    (a ConsoleFile), the newest deadlock report is shown whole first when the
    window does not show its first line: its header and cycle are what
    explains the failure."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc.strerror})"
    kept = text.splitlines()[-lines:]
    if not kept:
        return "(empty)"
    report = _newest_deadlock_report(console)
    if report is not None and not any(report.text.splitlines()[0] in line for line in kept):
        return f"{report}\n... (then the log's last {len(kept)} lines) ...\n" + "\n".join(kept)
    return "\n".join(kept)


def _newest_deadlock_report(console):
    if console is None:
        return None
    try:
        records = console.records()
    except (OSError, ValueError):
        return None  # the window alone is still worth showing
    return next((r for r in reversed(records) if _DEADLOCK.match(r.text)), None)
