"""sys.stdout and sys.stderr of the engine's interpreter, redirected into the
engine console as UnrealEnginePython does: print() becomes a log record and
anything written to stderr (uncaught thread exceptions, warnings) an error
record, so nothing a script says is lost outside the console.

Text is buffered per thread until a newline, so that concurrent writers
never interleave within a record."""

import io
import sys
import threading
import traceback

import unreal_engine as ue


class ConsoleStream(io.TextIOBase):
    def __init__(self, write_record, name):
        self._write_record = write_record
        self._local = threading.local()
        self.name = name

    def writable(self):
        return True

    def write(self, text):
        buffered = getattr(self._local, "text", "") + str(text)
        *lines, rest = buffered.split("\n")
        for line in lines:
            self._write_record(line)
        self._local.text = rest
        return len(text)

    def flush(self):
        rest = getattr(self._local, "text", "")
        if rest:
            self._local.text = ""
            self._write_record(rest)


def _log_thread_exception(args):
    # One record per exception, not one per traceback line.
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    name = args.thread.name if args.thread is not None else "?"
    ue.log_error(f"exception in thread {name}:\n{text.rstrip()}")


def install():
    sys.stdout = ConsoleStream(ue.log, "<engine console: log>")
    sys.stderr = ConsoleStream(ue.log_error, "<engine console: error>")
    threading.excepthook = _log_thread_exception
