"""What the conformance drivers share: the corpus check (skip with exit 77
when it is absent), running understudy-engine with a deadline, reading its
console log, and the control channel (understudy_protocol, from
harness/pylib: CTest puts it on PYTHONPATH).

The drivers run with /usr/bin/python3 from CTest; the engine runs the corpus's
scripts unchanged. Every wait has a deadline and its failure names what was
expected, what was seen and the log to read. Processes are stopped by their
own pid; temp folders are removed unless UNDERSTUDY_KEEP_TEMP is set."""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

from understudy_protocol import (ConsoleFile, ControlClosed, ControlConnection, ControlTimeout,
                                 ProtocolError)

SKIP = 77  # CTest's SKIP_RETURN_CODE for the conformance tests


class Failure(Exception):
    """A check that failed: its message is the test's verdict."""


def require_corpus(corpus):
    """Exits with SKIP, saying why, when the UEP corpus is not at `corpus`."""
    if not os.path.isdir(os.path.join(corpus, "tests")):
        print(f"SKIP: UEP corpus not found at {corpus}: set -DUNDERSTUDY_UEP_CORPUS=... "
              "(a checkout of 20tab/UnrealEnginePython's tests/, examples/, tutorials/ and "
              "run_tests.py)")
        sys.exit(SKIP)


@contextlib.contextmanager
def temp_folder(prefix):
    """A temp folder, removed afterwards unless the block failed (its logs
    are what the failure message points at) or UNDERSTUDY_KEEP_TEMP is set."""
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield folder
    except BaseException:
        print(f"kept {folder} for its logs")
        raise
    if os.environ.get("UNDERSTUDY_KEEP_TEMP"):
        print(f"kept {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


def console_path(log_path):
    """The console file the engine writes beside its log `log_path` (run_engine
    and EngineProcess ask for it): its records, structured."""
    return os.path.splitext(log_path)[0] + ".console.jsonl"


def console_records(log_path):
    """The console records of the engine that logged to `log_path`."""
    return ConsoleFile(console_path(log_path)).records()


def console_text(log_path, severities=("log", "warning", "error")):
    """The text of the console records of those severities, a line per line
    of a record's text (tracebacks included)."""
    return "\n".join(r.text for r in console_records(log_path) if r.severity in severities)


def run_engine(engine, args, log_path, deadline_s, env=None, cwd=None):
    """Runs the engine to its end (give it --frames or --seconds), its stdout
    and stderr into log_path. Returns (exit code, log text). Past the deadline
    it is killed by its pid and that is a Failure."""
    with open(log_path, "wb") as log:
        command = [os.path.abspath(engine), "--console-file", console_path(log_path), *args]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, cwd=cwd)
        try:
            code = process.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise Failure(f"expected the engine to end within {deadline_s} s "
                          f"({' '.join(args)}); it was still running and was killed; "
                          f"read {log_path}")
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return code, log.read()


class EngineProcess:
    """An engine running in the background with a control channel."""

    def __init__(self, engine, args, folder, name="engine"):
        self.log_path = os.path.join(folder, f"{name}.log")
        self.control_path = os.path.join(folder, f"{name}.control")
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [engine, "--control", self.control_path, "--console-file",
             console_path(self.log_path), *args],
            stdout=self._log, stderr=subprocess.STDOUT)
        self._control = None

    def connect(self, deadline_s=10):
        try:
            self._control = ControlConnection(self.control_path, connect_timeout_s=deadline_s,
                                              alive=lambda: self.process.poll() is None)
        except ControlClosed as exc:
            if self.process.poll() is not None:
                raise Failure(f"expected the engine to serve its control channel; it exited "
                              f"with {self.process.returncode}; read {self.log_path}") from None
            raise Failure(f"expected the control socket {self.control_path} within "
                          f"{deadline_s} s; {exc}; read {self.log_path}") from None

    def request(self, op, deadline_s=10, **params):
        """Sends one request, returns its result; events in between are skipped."""
        try:
            message = self._control.request(op, deadline_s, **params)
        except ControlTimeout:
            raise Failure(f"expected an answer to control op {op} within {deadline_s} s; "
                          f"none came; read {self.log_path}") from None
        except ControlClosed:
            raise Failure(f"the control channel closed while waiting for {op}; "
                          f"read {self.log_path}") from None
        except ProtocolError as exc:
            raise Failure(f"the engine sent a control line that is {exc} while answering "
                          f"{op}; read {self.log_path}") from None
        if not message.get("ok"):
            raise Failure(f"control op {op} failed: {message.get('error')}; "
                          f"read {self.log_path}")
        return message.get("result")

    def stop(self, deadline_s=10):
        """Stops the engine by its pid (SIGTERM, then SIGKILL past the deadline)."""
        if self._control is not None:
            self._control.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=deadline_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode


def poll_until(condition, deadline_s, expected, seen, log_path, interval_s=0.02):
    """Calls condition() until it is truthy; past the deadline a Failure names
    what was expected, what seen() says was seen, and the log."""
    end = time.monotonic() + deadline_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise Failure(f"expected {expected} within {deadline_s} s; saw {seen()}; "
                          f"read {log_path}")
        time.sleep(interval_s)


def main_wrapper(main):
    """Runs main(); a Failure is printed as FAIL and exits 1."""
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"FAIL: {failure}")
        sys.exit(1)
