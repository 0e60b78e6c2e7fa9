"""A client script running as its own process (what the client_process
fixture returns), and the running ones by pid, so that a deadlock report
naming a pid finds the process's log to read its stack dump from."""

import os
import re
import subprocess
import sys
import weakref
from pathlib import Path

import understudy_client
from understudy_client import AUTH_TOKEN_FILE_ENV

from .processes import ChildProcess
from .waits import STARTUP_TIMEOUT, WAIT_TIMEOUT, wait_until

# Where understudy_client lives: a client script's PYTHONPATH starts there.
_CLIENT_LIBRARY_PATH = Path(understudy_client.__file__).resolve().parent.parent

_BY_PID = weakref.WeakValueDictionary()


def client_process_with_pid(pid):
    """The ClientProcess this plugin started as `pid`, if it still exists; None."""
    return _BY_PID.get(pid)


class ClientProcess(ChildProcess):
    """A client script running as its own process. See README.md for its API."""

    def __init__(self, script, name, engine, directory, label, args=(), env=None, python=None,
                 pfu_site_packages=None):
        super().__init__(directory)
        self.pfu_site_packages = pfu_site_packages
        self.script = Path(script)
        self.name = name
        self.engine = engine
        self.args = [str(a) for a in args]
        self.label = label
        self.log_path = self.directory / f"{label}.log"
        self.extra_env = dict(env or {})
        self.python = python or sys.executable

    def describe(self):
        pid = self.popen.pid if self.popen else "not started"
        return f"client {self.label} (pid {pid}, {self.script.name})"

    def environment(self):
        env = dict(os.environ)
        first = self.pfu_site_packages or _CLIENT_LIBRARY_PATH
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(first), env.get("PYTHONPATH")) if p)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["UNDERSTUDY_RPC"] = self.engine.address
        if self.engine.tmpdir is not None:
            env["TMPDIR"] = str(self.engine.tmpdir)
        if self.engine.auth_token_file:
            env[AUTH_TOKEN_FILE_ENV] = str(self.engine.auth_token_file)
        if self.name is not None:
            env["UNDERSTUDY_CLIENT_NAME"] = self.name
        env.update(self.extra_env)
        return env

    def start(self, ready="registered", timeout=STARTUP_TIMEOUT):
        with open(self.log_path, "wb") as log:
            self.popen = subprocess.Popen([self.python, "-u", str(self.script), *self.args],
                                          stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, env=self.environment(),
                                          cwd=self.directory)
        _BY_PID[self.popen.pid] = self
        if ready == "registered":
            self.wait_registered(timeout)
        elif ready is not None:
            self.wait_for_output(ready, timeout)
        return self

    def wait_registered(self, timeout=STARTUP_TIMEOUT):
        """Waits until the engine has registered a connection from this process
        (under self.name, if set)."""
        def registered():
            return [(name, pid) for name, pid in self.engine.registered_clients()
                    if pid == self.pid and (self.name is None or name == self.name)]
        what = f"{self.engine.label} to register {self.describe()}"
        if self.name is not None:
            what += f" as {self.name!r}"
        return wait_until(registered, what, timeout, context=self,
                          seen=lambda: f"registered {self.engine.registered_clients()}; "
                                       f"{self.engine.failure_context()}")

    def output(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def wait_for_output(self, pattern, timeout=WAIT_TIMEOUT, allow_exit=False):
        """The first match of regex `pattern` (re.MULTILINE) in this client's log.
        With allow_exit, the process may have exited (the line may be its last)."""
        regex = re.compile(pattern, re.MULTILINE)

        def matched():
            found = regex.search(self.output())
            if found is None and not allow_exit:
                self.check_alive(f"waiting for /{pattern}/ in its log")
            return found

        def seen():
            if allow_exit:
                return self.failure_context()
            lines = self.output().splitlines()
            return f"{len(lines)} lines, the last: {lines[-1] if lines else '(none)'!r}"

        return wait_until(matched, f"a line matching /{pattern}/ in the log of {self.describe()}",
                          timeout, context=None if allow_exit else self, seen=seen)

    def _teardown(self):
        return self._terminate()
