"""A running understudy-engine (what the understudy_engine fixture returns),
and how one that stopped by itself ended (EngineExit)."""

import itertools
import json
import os
import re
import resource
import signal
import subprocess
from pathlib import Path

from understudy_client import AUTH_TOKEN_FILE_ENV

from .calls import PendingCall
from .console import ConsoleFile
from .control_client import ControlClient
from .deadlocks import caller_outside_plugin
from .engine_connection import EngineConnection, engine_side_script
from .engine_errors import EngineErrors, describe_error
from .errors import UnderstudyTimeout
from .processes import ChildProcess
from .waits import CALL_TIMEOUT, STARTUP_TIMEOUT, STOP_TIMEOUT, WAIT_TIMEOUT, wait_until

# Appended to engine_side/call_client.py, whose namespace holds these names.
_START_CALL = "\nstart_call(_call_id, _client, _service, _args, _path, _timeout)\n"
_ACTOR_LABELS_CODE = """
import unreal_engine as ue
labels = tuple(actor.get_actor_label() for actor in ue.get_editor_world().all_actors())
"""


def _flag_value(flags, name):
    """The value after `name` in a command line, or None."""
    flags = [str(f) for f in flags]
    for i, flag in enumerate(flags):
        if flag == name and i + 1 < len(flags):
            return flags[i + 1]
        if flag.startswith(name + "="):
            return flag[len(name) + 1:]
    return None


class EngineExit:
    def __init__(self, returncode, stdout, stderr, log_path):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.log_path = log_path

    def __repr__(self):
        return (f"EngineExit(returncode={self.returncode}, stdout={self.stdout!r}, "
                f"stderr={self.stderr!r}, log={self.log_path})")


class EngineProcess(ChildProcess):
    """A running understudy-engine. See README.md for its API."""

    describe_error = staticmethod(describe_error)

    def __init__(self, binary, flags, directory, label, socket_path=None, env=None,
                 control_path=None, expect_errors=(), tmpdir=None, pfu_socket=False,
                 rlimits=None):
        super().__init__(directory)
        # resource.RLIMIT_<NAME> -> (soft, hard), resolved here so that a bad
        # name fails in the test, not in the forked child.
        self.rlimits = [(getattr(resource, "RLIMIT_" + name), tuple(limits))
                        for name, limits in (rlimits or {}).items()]
        # The engine's private TMPDIR, which its clients get too: PfU's
        # socket path lives in it, so parallel engines do not collide.
        self.tmpdir = tmpdir
        self.pfu_socket = pfu_socket
        self._errors = EngineErrors(expect_errors)
        self.binary = str(binary)
        self.flags = list(flags)
        self.label = label
        self.socket_path = socket_path
        self.extra_env = dict(env or {})
        self.control_path = control_path
        self.auth_token_file = _flag_value(self.flags, "--auth-token-file") or \
            self.extra_env.get(AUTH_TOKEN_FILE_ENV) or os.environ.get(AUTH_TOKEN_FILE_ENV)
        self.log_path = self.directory / f"{label}.log"
        self.stdout_path = self.directory / f"{label}.stdout"
        # Where the tests' records come from (the log is for people).
        self.console_path = Path(_flag_value(self.flags, "--console-file") or
                                 self.directory / f"{label}.console.jsonl")
        self.console_file = ConsoleFile(self.console_path)
        self.address = None
        self.port = None
        self._control_client = ControlClient(self)
        self._rpc = EngineConnection(self)
        self._call_ids = itertools.count(1)

    def command(self):
        flags = list(self.flags)
        if self.socket_path is not None:
            flags = ["--socket", str(self.socket_path), *flags]
        elif "--port" not in flags and "--socket" not in flags and (
                not self.pfu_socket or self.auth_token_file or {"--tcp", "--host"} & set(flags)):
            # TCP on a free port, never the fixed 18861 parallel tests would
            # share; a token is for TCP clients, so an engine with one
            # listens there too.
            flags = ["--port", "0", *flags]
        if self.control_path is not None:
            flags = ["--control", str(self.control_path), *flags]
        if _flag_value(flags, "--console-file") is None:
            flags = ["--console-file", str(self.console_path), *flags]
        return [self.binary, *flags]

    def environment(self):
        env = {**os.environ, **self.extra_env}
        if self.tmpdir is not None and "TMPDIR" not in self.extra_env:
            env["TMPDIR"] = str(self.tmpdir)
        return env

    def describe(self):
        where = f", {self.address}" if self.address else ""
        pid = self.popen.pid if self.popen else "not started"
        return f"{self.label} (pid {pid}{where})"

    def preexec(self):
        """The preexec_fn that applies `rlimits` in the child, or None."""
        if not self.rlimits:
            return None
        limits = self.rlimits

        def apply_limits():
            for which, values in limits:
                resource.setrlimit(which, values)
        return apply_limits

    def start(self, timeout=STARTUP_TIMEOUT):
        with open(self.stdout_path, "wb") as out, open(self.log_path, "wb") as err:
            self.popen = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=out,
                                          stderr=err, cwd=self.directory,
                                          env=self.environment(), preexec_fn=self.preexec())
        self.wait_listening(1, timeout)
        if self.control_path is not None:
            self._wait_startup_scripts(timeout)
        return self

    def _wait_startup_scripts(self, timeout):
        """The engine answers `startup` once its --script files have run."""
        try:
            answer = self.control_request("startup", timeout=timeout)
        except UnderstudyTimeout as exc:
            raise UnderstudyTimeout(f"{self.label}'s startup scripts did not finish within "
                                    f"{timeout} s\n{exc}") from None
        self._errors.note(answer)

    def listening_lines(self):
        """The engine's listening announcements so far (one more per reload)."""
        try:
            text = self.stdout_path.read_text(errors="replace")
        except OSError:
            return []
        found = []
        for line in text.splitlines():
            try:
                parsed = json.loads(line)
            except ValueError:
                continue
            if isinstance(parsed, dict) and parsed.get("understudy") == "listening":
                found.append(parsed)
        return found

    def wait_listening(self, count=1, timeout=STARTUP_TIMEOUT):
        lines = wait_until(lambda: self.listening_lines()[count - 1:],
                           f'listening line #{count} ({{"understudy": "listening", ...}}) on the '
                           f"stdout of {self.label} ({self.stdout_path})", timeout, context=self,
                           seen=lambda: repr(self.stdout_path.read_text(errors="replace")[-500:]))
        self.address = lines[0]["rpc"]
        if self.address.startswith("tcp://"):
            self.port = int(self.address.rsplit(":", 1)[1])
        return lines[0]

    # --- engine errors ---

    @property
    def expected_errors(self):
        return self._errors.expected

    def expect_errors(self, *texts):
        """Declares engine errors this test expects: each text must be part
        of one (headline, message or traceback), and each must occur."""
        self._errors.expected.extend(texts)

    def engine_errors(self):
        """The engine errors so far, oldest first (asked over the control
        channel while the engine runs)."""
        if self.running() and self.control_path is not None:
            self._errors.note(self.control_request("engine_errors"))
        return self._errors.all()

    def _collect_errors_before_stop(self):
        try:
            self.engine_errors()
        except (AssertionError, OSError):
            pass  # the engine is gone or stuck; its log says why

    def _judge_errors(self):
        """A teardown problem for engine errors the test did not expect, and
        for expected ones that never occurred; None if there is neither."""
        ended = self.console_file.exit()
        problems = self._errors.problems(ended.engine_errors if ended else None)
        if not problems:
            return None
        return (f"{self.describe()} had engine errors the test did not expect (declare "
                "expected ones with expect_errors=[...] or engine.expect_errors(...)):\n"
                + "\n".join(problems) + "\n" + self.failure_context())

    # --- console ---

    def console(self, since=0):
        return self.console_file.records()[since:]

    def console_mark(self):
        """An index for since=: only records written after this call."""
        return len(self.console_file.records())

    def find_console(self, pattern, since=0, severity=None):
        regex = re.compile(pattern, re.MULTILINE)
        return [r for r in self.console(since)
                if (severity is None or r.severity == severity) and regex.search(r.text)]

    def wait_for_console(self, pattern, timeout=WAIT_TIMEOUT, since=0, severity=None):
        """The first record (at index `since` or later) whose text matches the
        regex `pattern` (re.search, MULTILINE)."""
        what = f"a console record matching /{pattern}/"
        if severity:
            what += f" with severity {severity}"
        found = wait_until(
            lambda: self.find_console(pattern, since, severity), f"{what} in {self.label}",
            timeout, context=self,
            seen=lambda: f"{len(self.console(since))} records since index {since}, the last: "
                         + "; ".join(str(r).splitlines()[0] for r in self.console(since)[-3:]))
        return found[0]

    def assert_no_console(self, pattern, since=0, severity=None):
        found = self.find_console(pattern, since, severity)
        assert not found, (f"{self.label} logged {len(found)} unexpected record(s) matching "
                           f"/{pattern}/:\n" + "\n".join(map(str, found)) + "\n"
                           + self.failure_context())

    # --- the harness's own RPyC connection to the engine ---

    def namespace(self, **names):
        """A fresh dict in the engine holding `names` (passed by value when
        they are numbers, strings or tuples of them)."""
        return self._rpc.namespace(**names)

    def execute(self, code, timeout=CALL_TIMEOUT, namespace=None, **names):
        """Runs `code` (dedented) on the engine's main thread through the root
        service's execute(), in `namespace` or a fresh one holding `names`, and
        returns that namespace (a netref: ns["x"])."""
        self._rpc.connection()
        ns = namespace if namespace is not None else self.namespace()
        if names:
            ns.update(names)
        return self._rpc.execute(code, ns, timeout)

    def execute_in_background(self, code, timeout=CALL_TIMEOUT, namespace=None, **names):
        """execute() on a harness thread; a concurrent.futures.Future of the namespace."""
        return self._rpc.submit(self.execute, code, timeout, namespace, **names)

    def start_call(self, client, service, *args, path="sync", timeout=None):
        """Engine-side code calls `service` on `client` on the main thread,
        through call_service_on_client (path="sync"), its coroutine or its
        async variant; `timeout` is the call's timeout in seconds (None: the
        engine's default). Returns a PendingCall at once."""
        if path not in ("sync", "coroutine", "async"):
            raise ValueError(f"path must be sync, coroutine or async, not {path!r}")
        call_id = next(self._call_ids)
        mark = self.console_mark()
        ns = self.namespace(_call_id=call_id, _client=client, _service=service, _args=tuple(args),
                            _path=path, _timeout=timeout)
        filename, source = engine_side_script("call_client.py")
        future = self._rpc.submit(self._rpc.execute, source + _START_CALL, ns,
                                  CALL_TIMEOUT + (timeout or 0), filename)
        return PendingCall(self, call_id, client, service, path, ns, future, mark,
                           caller=caller_outside_plugin())

    def call_client(self, client, service, *args, path="sync", timeout=None,
                    wait_timeout=CALL_TIMEOUT, expect_deadlock=False):
        return self.start_call(client, service, *args, path=path, timeout=timeout).wait(
            wait_timeout, expect_deadlock=expect_deadlock)

    def connected_clients(self):
        """{name: number of live connections}, as understudy_engine reports it."""
        return self._rpc.query(lambda: dict(self._rpc.probes()["connected_clients"]()))

    def registered_clients(self):
        """[(name, pid of the process at the other end)] of registered connections."""
        return self._rpc.query(lambda: list(self._rpc.probes()["registered_clients"]()))

    def wait_for_clients(self, expected, timeout=WAIT_TIMEOUT):
        """Waits until connected_clients() == expected."""
        return wait_until(lambda: self.connected_clients() == expected,
                          f"connected clients {expected}", timeout, context=self,
                          seen=lambda: repr(self.connected_clients()))

    def actor_labels(self):
        return list(self.execute(_ACTOR_LABELS_CODE)["labels"])

    def wait_until(self, condition, expected, timeout=WAIT_TIMEOUT, seen=None):
        return wait_until(condition, expected, timeout, context=self, seen=seen)

    # --- the control channel ---

    def control_request(self, op, timeout=WAIT_TIMEOUT, **params):
        """One request on the engine's control channel (JSON lines on a Unix
        socket, answered off the main thread for ping and frames); the
        response's result. It never goes through the RPC port, so it works
        while that port is under attack."""
        if self.control_path is None:
            raise RuntimeError(f"{self.label} has no control channel: start it with "
                               "understudy_engine(..., control=True)")
        return self._control_client.request(op, timeout, **params)

    def frame(self):
        """The engine's current frame number, asked over the control channel."""
        return self.control_request("ping")["frame"]

    # --- lifecycle ---

    def reload(self):
        """Domain reload (SIGHUP). The harness's connection is dropped; the
        next query opens a new one."""
        self._rpc.drop()
        self.send_signal(signal.SIGHUP)

    def wait_reloaded(self, count=1, timeout=WAIT_TIMEOUT, since=0):
        """Waits for the reload to finish and for the server's new listening line."""
        record = self.wait_for_console(r"^domain reload: done", timeout, since=since)
        self.wait_listening(count + 1, timeout)
        return record

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM and wait; the exit code. UnderstudyTimeout if it hangs."""
        self.expected_exit = True
        self._collect_errors_before_stop()
        self._rpc.shutdown()
        self.send_signal(signal.SIGTERM)
        return self.wait_exit(timeout)

    def _exit_is_clean(self, code):
        """0, or 1 when a --script raised (an engine error, judged as such)."""
        return code == 0 or (code == 1 and self._errors.script_raised())

    def _teardown(self):
        if self.popen is None:
            self._rpc.shutdown()
            return None
        if self.popen.poll() is None:
            self._collect_errors_before_stop()
        self._rpc.shutdown()
        code = self.popen.poll()
        if code is not None:
            if not self.expected_exit and not self._exit_is_clean(code):
                return f"{self.describe()} died during the test with exit code {code}\n" + \
                    self.failure_context()
            return self._judge_errors()
        problem = self._terminate()
        code = self.popen.returncode
        if problem is None and not self._exit_is_clean(code):
            problem = (f"{self.describe()} exited with code {code} after SIGTERM"
                       f" (expected 0: a clean stop)\n{self.failure_context()}")
        return "\n\n".join(p for p in (problem, self._judge_errors()) if p) or None
