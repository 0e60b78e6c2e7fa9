"""What the engine and client processes share: a child process with its own
log in the test's directory, stopped by its own pid."""

import os
import signal
import subprocess
from pathlib import Path

from .console import LOG_TAIL_LINES, tail
from .errors import ProcessDied, UnderstudyTimeout
from .waits import STOP_TIMEOUT, WAIT_TIMEOUT


class ChildProcess:
    """A child process with its own log, stopped by its own pid. Subclasses
    set `label` and `log_path` and start `popen`."""

    label = "process"
    console_file = None  # an engine's ConsoleFile: its records, for failure messages

    def __init__(self, directory):
        self.directory = Path(directory)
        self.popen = None
        self.log_path = None
        self.expected_exit = False

    @property
    def pid(self):
        return self.popen.pid

    @property
    def returncode(self):
        return self.popen.poll()

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def describe(self):
        return f"{self.label} (pid {self.pid})"

    def failure_context(self):
        name = self.log_path.name
        shown = tail(self.log_path, console=self.console_file)
        return (f"{self.describe()} log: {self.log_path}\n--- last {LOG_TAIL_LINES} lines of "
                f"{name} ---\n{shown}\n--- end of {name} ---")

    def check_alive(self, doing):
        if self.popen.poll() is not None:
            raise ProcessDied(f"{self.describe()} exited with code {self.popen.returncode} while "
                              f"{doing}\n{self.failure_context()}")

    def send_signal(self, sig):
        if self.running():
            os.kill(self.pid, sig)

    def wait_exit(self, timeout=WAIT_TIMEOUT):
        """The exit code; UnderstudyTimeout if the process is still running."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise UnderstudyTimeout(
                f"Timed out after {timeout} s waiting for {self.describe()} to exit; it is still "
                f"running\n{self.failure_context()}") from None

    def kill(self):
        """SIGKILL, on purpose: teardown will not complain about it."""
        self.expected_exit = True
        self.send_signal(signal.SIGKILL)
        self.popen.wait(STOP_TIMEOUT)

    def _terminate(self):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT. Returns a problem or None."""
        if self.popen is None or self.popen.poll() is not None:
            return None
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.popen.wait(STOP_TIMEOUT)
            return None
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.popen.wait(STOP_TIMEOUT)
            return (f"{self.describe()} did not stop within {STOP_TIMEOUT} s of SIGTERM and was "
                    f"killed\n{self.failure_context()}")
