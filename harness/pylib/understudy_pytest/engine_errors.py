"""Engine errors (exceptions engine-side Python did not catch: a --script, a
ticker, an actor component, an asyncio task) as one engine reported them
over its control channel, and the errors its test declared it expects."""

import textwrap


def describe_error(error):
    """An engine error (a dict: source, file, line, message, traceback, what)
    as a failure message shows it."""
    where = f" at {error['file']}:{error['line']}" if error.get("file") else ""
    return (f"{error['source']} error{where}: {error['message']}\n  {error['what']}\n"
            + textwrap.indent(error.get("traceback") or "", "  "))


class EngineErrors:
    """The engine errors seen so far, by the id the engine gave them, and the
    texts the test expects: each must be part of one error (its headline,
    message or traceback), and each must occur."""

    def __init__(self, expected=()):
        self.expected = list(expected)
        self._seen = {}  # id -> engine error, as the engine reported them

    def note(self, answer):
        """Takes the errors in an answer to the control requests `startup` and
        `engine_errors`."""
        for error in answer.get("errors", ()):
            self._seen[error["id"]] = error

    def all(self):
        """The errors seen, oldest first."""
        return [self._seen[i] for i in sorted(self._seen)]

    def script_raised(self):
        """True if a --script raised (the engine exits 1 for that)."""
        return any(e.get("source") == "script" for e in self._seen.values())

    def problems(self, total_at_exit):
        """What a teardown reports: errors no expected text matches, errors
        the engine counted at exit (`total_at_exit`, None if it printed no
        total) beyond those seen, and expected texts that never occurred."""
        errors = self.all()
        occurred = set()
        problems = []
        for error in errors:
            text = "\n".join(str(error.get(k) or "") for k in ("what", "message", "traceback"))
            matched = {t for t in self.expected if t in text}
            occurred |= matched
            if not matched:
                problems.append("unexpected " + describe_error(error))
        if total_at_exit is not None and total_at_exit > len(errors):
            problems.append(f"{total_at_exit - len(errors)} more engine error(s) while it stopped "
                            "(after the harness last asked); see the log")
        problems += [f"expected an engine error containing {t!r}, none occurred"
                     for t in self.expected if t not in occurred]
        return problems
