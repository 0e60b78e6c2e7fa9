"""understudy_pytest: test your Understudy client scripts with pytest.

Every test gets real processes: the understudy-engine binary on PfU's Unix
socket in a private TMPDIR (or a free loopback TCP port), your client
scripts as separate Python processes, and in-process clients when that is
more convenient. Each process writes its own log file in the test's tmp_path;
when a test fails, the path and the tail of every log are added to the
report, and every wait that runs out says what it expected, what it saw and
which log to read.

Enabling it
-----------
Put harness/pylib on PYTHONPATH and load the plugin:

    PYTHONPATH=harness/pylib UNDERSTUDY_ENGINE=build/fake_engine/understudy-engine \\
        /usr/bin/python3 -m pytest -p understudy_pytest my_tests/

or, in the conftest.py at the top of your test directory,
`pytest_plugins = ["understudy_pytest"]`. The engine binary comes from
--understudy-engine PATH, else $UNDERSTUDY_ENGINE. Client processes run with
--understudy-python (default: the interpreter running pytest, which must have
RPyC 5.x: use Debian's /usr/bin/python3).

Fixtures
--------
understudy_engine
    A factory: `engine = understudy_engine("--call-timeout", "2")` starts an
    engine with those extra command-line flags and returns an EngineProcess
    once it printed its listening line. Every engine gets a private TMPDIR
    (engine.tmpdir), which its client processes get too. It listens where
    the engine does by default, PfU 2.x's Unix socket in that TMPDIR, where
    PfU's own unity_client.connect() finds it, unless the flags say
    otherwise (--port, --tcp, --socket); `socket="tcp"` listens on a free
    loopback TCP port (so does an engine with an auth token), `socket=True`
    on a Unix socket in a private temp directory; `env={...}` adds
    environment variables; `rlimits={"NOFILE": (soft, hard), ...}` sets
    resource limits (resource.RLIMIT_<NAME>) for the engine process alone,
    set in the child between fork and exec. Every engine has its control channel (see EngineProcess.frame();
    `control=` is accepted for older tests); the factory returns once the
    engine's startup scripts (--script) have run. An engine with
    --auth-token-file (or
    $UNDERSTUDY_AUTH_TOKEN_FILE) gets the token from the harness's own
    connection, the understudy_client fixture and client_process scripts
    (through $UNDERSTUDY_AUTH_TOKEN_FILE). `understudy_engine.run_to_exit(
    *flags)` runs one that is expected to stop by itself and returns an
    EngineExit (returncode, stdout, stderr). Engines are stopped by their pid
    at teardown: SIGTERM, then SIGKILL after STOP_TIMEOUT; an engine that
    died during the test, needed SIGKILL, or did not exit 0 after SIGTERM
    fails the teardown (exit 1 is the engine's answer to a script that
    raised, and is judged as an engine error instead).

    Engine errors fail the test at teardown: an exception engine-side Python
    did not catch (a --script, a ticker, an actor component, an asyncio task
    whose exception was never retrieved), with its file:line, message and
    traceback in the failure, unless the test expected it. Declare expected
    ones with `understudy_engine(..., expect_errors=["text", ...])` or
    `engine.expect_errors("text", ...)`: each text must be contained in an
    engine error (its headline, message or traceback), and each must occur,
    or the teardown fails too. `engine.engine_errors()` lists them so far.

understudy_client
    A factory connecting in-process understudy_client clients:
    `client = understudy_client("tool", service=MyService())` returns a
    registered understudy_client.EngineClient; `client.root.execute(...)`.

client_process
    A factory spawning your script as a separate process:
    `proc = client_process("clients/my_tool.py", name="tool", args=[...])`.
    Relative paths are resolved against the test file's directory. The script
    gets UNDERSTUDY_RPC (the engine's address), UNDERSTUDY_CLIENT_NAME, the
    engine's TMPDIR and a PYTHONPATH with understudy_client; its stdout and stderr go to its own log.
    With pfu=True the script is a plain Python for Unity client: its
    PYTHONPATH has PfU's Python~/site-packages (--understudy-pfu-package or
    $UNDERSTUDY_PFU_PACKAGE, the com.unity.scripting.python folder) instead
    of understudy_client, and it finds the engine as unity_client.connect()
    does, on PfU's socket in the engine's TMPDIR; `name` is the client_name
    it registers.
    The factory returns when the engine has registered a connection from that
    process (ready="registered", the default), when a line of its log matches
    ready=<regex>, or at once (ready=None). Killed by pid at teardown.

EngineProcess (what understudy_engine returns)
    The harness talks to the engine over its own RPyC connection without
    services: the engine logs that it "has no client_name()", and it never
    shows in connected_clients(). execute() and actor_labels() need the main
    thread, so they wait while it is blocked; the other queries do not.

    .address, .port, .socket_path, .pid, .log_path
    .execute(code, **names)        run code on the engine's main thread, in a
                                   fresh namespace holding `names`; returns the
                                   namespace (ns["x"] reads a variable back)
    .execute_in_background(code, **names)   the same, as a concurrent Future
    .start_call(client, service, *args, path="sync"|"coroutine"|"async")
                                   engine-side code calls a client service on
                                   the main thread; returns a PendingCall at
                                   once: .started(), .ended() (console records),
                                   .done(), .wait() giving a CallOutcome (value,
                                   error_type: the engine-side error's class
                                   name, error, elapsed, started, ended). A
                                   call that closes a deadlock fails wait() at
                                   once with DeadlockDetected: the cycle, the
                                   client's frame in your code (its stack dump,
                                   asked for with SIGUSR1), the engine-side
                                   caller and the ways out; a test of a deadlock
                                   on purpose passes wait(expect_deadlock=True)
    .call_client(...)              start_call(...).wait()
    .connected_clients()           {name: live connections}
    .registered_clients()          [(name, pid of the peer process)]
    .actor_labels()                labels of the world's actors
    .console(since=mark), .console_mark()   ConsoleRecords: time (the engine's
                                   clock), frame, thread, severity, text
    .wait_for_console(regex, timeout=WAIT_TIMEOUT, since=mark, severity=None)
    .assert_no_console(regex, since=mark)
    .wait_until(condition, expected, timeout=WAIT_TIMEOUT)
    .frame(), .control_request(op, **params)   the current frame number and
                                   any control-channel request; not through
                                   the RPC port
    .engine_errors()               the engine errors so far (dicts: source,
                                   file, line, message, traceback, what)
    .expect_errors(*texts)         declares engine errors the test expects
    .reload() (SIGHUP), .wait_reloaded(), .stop(), .kill()

ClientProcess (what client_process returns)
    .pid, .name, .log_path, .output(), .wait_for_output(regex, timeout),
    .send_signal(sig), .kill() (SIGKILL), .wait_exit(timeout)

Waits raise UnderstudyTimeout, and ProcessDied when the process they wait on
exits; a call's wait raises DeadlockDetected; all are AssertionErrors. Log
tails keep a deadlock report whole, even when it began before the tail.

Example
-------
    def test_tool_answers(understudy_engine, client_process):
        engine = understudy_engine("--call-timeout", "2")
        client_process("clients/my_tool.py", name="tool")
        outcome = engine.call_client("tool", "ping", 41)
        assert outcome.value == 42, outcome

Writing tests that do not flake
-------------------------------
- Never sleep to let something happen: wait for its trace with a deadline
  (wait_for_console, wait_for_output, wait_until), and let the failure
  message say what never came. The defaults are named constants below.
- Measure durations on the engine's own clock: console records carry the
  engine's time (record.time), so "the deadlock report came 10 ms after the
  call started" does not depend on how fast the test process polls.
- Client scripts should print what they do, with time.monotonic() (the same
  clock in every process), flushing each line: that is the log you will read.
- Deflake by running the suite in a loop with the other cores busy.

Debugging a failure
-------------------
Read the report's "understudy" sections: the log of each engine (its
console, including deadlock reports naming who waits for whom, with the
engine-side stacks) and of each client process. A client built on
understudy_client dumps its threads' stacks to its log on SIGUSR1:
`proc.send_signal(signal.SIGUSR1)` before the assertion that fails.
"""

import concurrent.futures
import dataclasses
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import threading
import time
import weakref
from pathlib import Path

import pytest
import rpyc

import understudy_client as client_library  # the fixture below takes the module's name
from understudy_client import AUTH_TOKEN_FILE_ENV

STARTUP_TIMEOUT = 10.0  # an engine prints its listening line, a client registers
WAIT_TIMEOUT = 5.0  # a console record, a log line, a condition
CALL_TIMEOUT = 10.0  # one request the harness makes to the engine
STOP_TIMEOUT = 5.0  # a process stops after SIGTERM before it gets SIGKILL
POLL_INTERVAL = 0.01
LOG_TAIL_LINES = 40

_PYLIB = Path(__file__).resolve().parent


class UnderstudyTimeout(AssertionError):
    """A wait ran out; the message says what was expected, what was seen, and
    which log to read."""


class ProcessDied(AssertionError):
    """A process the test needed exited; the message has its exit code and log."""


class ControlProtocolError(AssertionError):
    """The engine's control channel sent something that is not a JSON line
    (an engine bug, or a value the engine should have refused); the message
    shows the line and the engine's log."""


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
            not lines[end].startswith("understudy-engine: "):
        end += 1
    return found, end


def wait_until(condition, expected, timeout=WAIT_TIMEOUT, context=None, seen=None):
    """Calls `condition()` every POLL_INTERVAL until it returns something
    truthy, and returns that. On timeout raises UnderstudyTimeout naming
    `expected` and what was seen last (`seen()`, else the last value).
    `context` is the process whose log explains a failure (EngineProcess or
    ClientProcess): its log goes into the message, and the wait fails at once
    with ProcessDied if it exits."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = condition()
        if last:
            return last
        if context is not None and hasattr(context, "check_alive"):
            context.check_alive(f"waiting for {expected}")
        if time.monotonic() >= deadline:
            shown = seen() if seen is not None else repr(last)
            where = context.failure_context() if context is not None else ""
            raise UnderstudyTimeout(
                f"Timed out after {timeout} s waiting for {expected}; last seen: {shown}\n{where}")
        time.sleep(POLL_INTERVAL)


# --- the engine's console log ---

_RECORD = re.compile(
    r"^\[\s*(?P<time>\d+\.\d+) f(?P<frame>\d+)\s+(?P<thread>[^\]]*?)\s*\] "
    r"(?P<severity>.{7}) (?P<text>.*)$")


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
    """Parses an engine's stderr log into records, incrementally."""

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
            elif self._records and not line.startswith("understudy-engine: "):
                self._records[-1].text += "\n" + line
            else:  # the engine's own lines outside the console (start errors, summary)
                last = self._records[-1] if self._records else None
                self._records.append(ConsoleRecord(
                    len(self._records), last.time if last else 0.0, last.frame if last else 0,
                    "", "raw", line))


# --- engine-side code the harness runs ---

_CALL_CODE = """
import time
import understudy_engine as _u
import unreal_engine as _ue

def _finish(value=None, error=None):
    elapsed = time.monotonic() - _started
    error_type = None if error is None else type(error).__name__
    _ue.log(f"understudy_pytest: call #{_call_id} {_client}.{_service} ({_path}) ended after "
            f"{elapsed:.3f} s: {error_type or 'returned'}")
    global outcome
    outcome = (value, error_type, None if error is None else str(error), elapsed)

_ue.log(f"understudy_pytest: call #{_call_id} {_client}.{_service} ({_path}) starts")
_started = time.monotonic()
try:
    if _path == "sync":
        _finish(value=_u.call_service_on_client(_client, _service, *_args, timeout=_timeout))
    else:
        _start = {"coroutine": _u.call_coroutine_service_on_client,
                  "async": _u.call_async_service_on_client}[_path]
        handle = _start(_client, _service, *_args, expiry=_timeout)

        def _done(done_handle):
            try:
                _finish(value=done_handle.result())
            except Exception as exc:
                _finish(error=exc)

        handle.add_done_callback(_done)
except Exception as exc:
    _finish(error=exc)
"""

_PROBES_CODE = """
import understudy_engine as _u
import understudy_engine.server as _server_module

_server = next(v for v in vars(_u).values() if isinstance(v, _server_module.RpcServer))

def connected_clients():
    return tuple(sorted(_u.connected_clients().items()))

def registered_clients():
    infos = [_server.info_of(conn) for conn in _u.registry.connections()]
    return tuple((info.name, _server_module.peer_pid(info)) for info in infos if info is not None)
"""

_ACTOR_LABELS_CODE = """
import unreal_engine as ue
labels = tuple(actor.get_actor_label() for actor in ue.get_editor_world().all_actors())
"""


@dataclasses.dataclass
class CallOutcome:
    """How an engine-to-client call ended. `error_type` is the class name of
    the engine-side error (ServiceCallTimeout, DeadlockError, ...) or None;
    `elapsed` is measured by the engine; `started`/`ended` are the console
    records the harness logged around the call."""

    call_id: int
    client: str
    service: str
    path: str
    value: object
    error_type: object
    error: object
    elapsed: float
    started: ConsoleRecord
    ended: ConsoleRecord

    @property
    def ok(self):
        return self.error_type is None


class DeadlockDetected(AssertionError):
    """A call closed a deadlock the test did not expect. The message has the
    cycle in one line, the client's frame in the user's code, the engine-side
    caller, the ways out, and the engine's report whole."""


# Client processes by pid, so that a deadlock report naming a pid finds the
# process's log to read its stack dump from.
_CLIENT_PROCESSES = weakref.WeakValueDictionary()

STACK_DUMP_TIMEOUT = 1.0  # a client built on understudy_client dumps its stacks on SIGUSR1

_PLUGIN_FILE = str(Path(__file__).resolve())
_LIBRARY_DIRS = tuple(os.path.join(os.path.realpath(d), "") for d in (
    os.path.dirname(os.path.abspath(rpyc.__file__)),
    os.path.dirname(os.path.abspath(client_library.__file__)),
    sysconfig.get_paths()["stdlib"]))
_DUMP_HEADER = re.compile(r"^(Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):$")
_DUMP_FRAME = re.compile(r'^\s+File "(?P<file>.*)", line (?P<line>\d+) in (?P<name>.*)$')


def _is_library(filename):
    """RPyC, understudy_client, this plugin and the standard library
    (threading included): not the user's code."""
    return (filename.startswith("<frozen") or os.path.realpath(filename) == _PLUGIN_FILE
            or os.path.realpath(filename).startswith(_LIBRARY_DIRS))


def user_frame(threads):
    """The frame in the user's code where a client serves the engine's call
    and waits: `threads` is a list of stacks, each [(file, line, function)]
    innermost first. The innermost user frame of a thread that RPyC called
    (a service), preferring one that waits in a library (calling back);
    "file:line in function", or None when no thread is inside a service (the
    client was released before its stack was taken)."""
    in_service = None
    for frames in threads:
        for i, (filename, line, name) in enumerate(frames):
            if _is_library(filename):
                continue
            if any("/rpyc/" in f for f, _, _ in frames[i + 1:]):
                where = f"{os.path.normpath(filename)}:{line} in {name}"
                if i > 0:
                    return where
                in_service = in_service or where
            break
    return in_service


def parse_stack_dump(text):
    """The first complete stack dump in `text` (understudy_client's SIGUSR1
    format: the current thread last, then an empty line) as user_frame()
    takes it; [] if none is complete."""
    threads, complete = [], False
    for line in text.splitlines():
        if _DUMP_HEADER.match(line):
            if complete:
                break
            threads.append([])
            current = line.startswith("Current thread")
        elif (frame := _DUMP_FRAME.match(line)) and threads:
            threads[-1].append((frame["file"], int(frame["line"]), frame["name"]))
        elif not line.strip() and threads and current:
            complete = True
            break
    return threads if complete else []


def _own_stacks():
    """This process's threads, as user_frame() takes them (an in-process
    client's service runs on one of them)."""
    import traceback
    return [[(f.filename, f.lineno, f.name) for f in reversed(traceback.extract_stack(frame))]
            for frame in sys._current_frames().values()]


_RELEASED = ("no thread was in a service any more when its stack was taken (with --on-deadlock "
             "fail-fast the engine releases the client at once)")


def _client_side(node, pid):
    """One line: where the client `pid` waits, in the user's code."""
    if pid == os.getpid():
        frame = user_frame(_own_stacks())
        return f"client side: {frame or _RELEASED} ({node}, in this process)"
    process = _CLIENT_PROCESSES.get(pid)
    if process is None or not process.running():
        return f"client side: {node} is process {pid}, not one client_process started"
    try:
        offset = process.log_path.stat().st_size
    except OSError:
        offset = 0
    process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + STACK_DUMP_TIMEOUT
    threads = []
    while not threads and time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL)
        with open(process.log_path, "rb") as log:
            log.seek(offset)
            threads = parse_stack_dump(log.read().decode(errors="replace"))
    where = f"{node}, {process.describe()}, log {process.log_path}"
    if not threads:
        return (f"client side: no stack dump within {STACK_DUMP_TIMEOUT} s of SIGUSR1 from {where}"
                " (is it built on understudy_client?)")
    return f"client side: {user_frame(threads) or _RELEASED} ({where})"


def _report_lines(text, heading):
    """The lines under `heading` ("  ways out:") in a deadlock report's text."""
    lines = text.splitlines()
    if heading not in lines:
        return []
    block = []
    for line in lines[lines.index(heading) + 1:]:
        if not line.startswith("    "):
            break
        block.append(line.strip())
    return block


def _caller_outside_plugin():
    """"file:line in function" of the innermost frame that is not this plugin's."""
    frame = sys._getframe(1)
    while frame is not None and os.path.realpath(frame.f_code.co_filename) == _PLUGIN_FILE:
        frame = frame.f_back
    if frame is None:
        return "(unknown)"
    return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"


class PendingCall:
    def __init__(self, engine, call_id, client, service, path, namespace, future, mark,
                 caller=None):
        self.engine = engine
        self.call_id = call_id
        self.client = client
        self.service = service
        self.path = path
        self.mark = mark
        self.caller = caller
        self._namespace = namespace
        self._future = future

    def _pattern(self, what):
        return (rf"^understudy_pytest: call #{self.call_id} {re.escape(self.client)}\."
                rf"{re.escape(self.service)} \({self.path}\) {what}")

    def started(self, timeout=WAIT_TIMEOUT):
        """The console record logged just before the call was made."""
        return self.engine.wait_for_console(self._pattern("starts"), timeout=timeout,
                                            since=self.mark)

    def ended(self, timeout=WAIT_TIMEOUT):
        """The console record logged when the call ended; its text ends with
        the engine-side error's class name, or "returned". Works after a
        reload too, when the call's namespace is gone."""
        return self.engine.wait_for_console(self._pattern("ended"), timeout=timeout,
                                            since=self.mark)

    def done(self):
        if self._future.done() and self._future.exception() is not None:
            return True
        return "outcome" in self._namespace

    def deadlock_report(self):
        """The engine's report of a certain deadlock in which the main thread
        waits for this call's client and service, if one was logged since the
        call started; else None."""
        pattern = (rf"^deadlock detected at frame \d+: main -> client:{re.escape(self.client)}#\d+ "
                   rf"\({re.escape(self.service)}\)")
        found = self.engine.find_console(pattern, since=self.mark, severity="error")
        return found[0] if found else None

    def wait(self, timeout=CALL_TIMEOUT, expect_deadlock=False):
        """The call's CallOutcome once it ended. Unless `expect_deadlock`, a
        deadlock the call closed fails at once with DeadlockDetected (the
        engine would wait for the call's timeout, RPyC's 30 s by default), and
        so does a DeadlockError outcome (--on-deadlock fail-fast)."""
        expected = (f"call #{self.call_id} {self.client}.{self.service} ({self.path} path) "
                    "to end")

        def ended_or_deadlocked():
            if not expect_deadlock and (report := self.deadlock_report()) is not None:
                raise DeadlockDetected(self._deadlock_message(report))
            return self.done()

        wait_until(ended_or_deadlocked, expected, timeout, context=self.engine)
        if self._future.done() and self._future.exception() is not None:
            raise self._future.exception()
        value, error_type, error, elapsed = self._namespace["outcome"]
        if error_type == "DeadlockError" and not expect_deadlock:
            report = self.engine.wait_for_console(r"^deadlock detected", severity="error",
                                                  since=self.mark)
            raise DeadlockDetected(self._deadlock_message(report))
        return CallOutcome(self.call_id, self.client, self.service, self.path, value, error_type,
                           error, elapsed, self.started(), self.ended())

    def _deadlock_message(self, report):
        text = report.text
        cycle = next((line.strip()[len("cycle: "):] for line in text.splitlines()
                      if line.strip().startswith("cycle: ")), text.splitlines()[0])
        started = self.started()
        lines = [f"call #{self.call_id} {self.client}.{self.service} ({self.path} path) "
                 f"deadlocked: {cycle}",
                 f"  reported {report.time - started.time:.3f} s after the call started (engine "
                 "clock); the engine's call waits for its timeout, this test does not"]
        for node, pid in re.findall(r"^  (client:\S+) is process (\d+)", text, re.MULTILINE):
            lines.append("  " + _client_side(node, int(pid)))
        lines.append(f"  engine side: {self.caller or '(unknown)'}, calling "
                     f"{self.client}.{self.service} on the engine's main thread ({self.path} path)")
        ways = _report_lines(text, "  ways out:")
        if ways:
            lines.append("  ways out:")
            lines.extend("    " + way for way in ways)
        lines.append("  (a test of a deadlock on purpose passes expect_deadlock=True to wait() "
                     "or call_client())")
        lines.append(f"the engine's report, whole ({self.engine.log_path}):")
        lines.append(str(report))
        return "\n".join(lines)


# --- processes ---

def _flag_value(flags, name):
    """The value after `name` in a command line, or None."""
    flags = [str(f) for f in flags]
    for i, flag in enumerate(flags):
        if flag == name and i + 1 < len(flags):
            return flags[i + 1]
        if flag.startswith(name + "="):
            return flag[len(name) + 1:]
    return None

def _unique_label(directory, stem):
    for n in itertools.count(1):
        label = f"{stem}-{n}"
        if not (Path(directory) / f"{label}.log").exists():
            return label


class _Process:
    """A child process with its own log, stopped by its own pid."""

    label = "process"

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
        return (f"{self.describe()} log: {self.log_path}\n--- last {LOG_TAIL_LINES} lines of "
                f"{name} ---\n{tail(self.log_path)}\n--- end of {name} ---")

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


class EngineExit:
    def __init__(self, returncode, stdout, stderr, log_path):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.log_path = log_path

    def __repr__(self):
        return (f"EngineExit(returncode={self.returncode}, stdout={self.stdout!r}, "
                f"stderr={self.stderr!r}, log={self.log_path})")


class EngineProcess(_Process):
    """A running understudy-engine. See the module docstring for its API."""

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
        self.expected_errors = list(expect_errors)
        self._errors_seen = {}  # id -> engine error, as the engine reported them
        self.binary = str(binary)
        self.flags = list(flags)
        self.label = label
        self.socket_path = socket_path
        self.extra_env = dict(env or {})
        self.control_path = control_path
        self.auth_token_file = _flag_value(self.flags, "--auth-token-file") or \
            self.extra_env.get(AUTH_TOKEN_FILE_ENV) or os.environ.get(AUTH_TOKEN_FILE_ENV)
        self._control_requests = itertools.count(1)
        self.log_path = self.directory / f"{label}.log"
        self.stdout_path = self.directory / f"{label}.stdout"
        self.console_log = ConsoleLog(self.log_path)
        self.address = None
        self.port = None
        self._conn = None
        self._probe_ns = None
        self._control_lock = threading.RLock()
        self._call_ids = itertools.count(1)
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=4,
                                                           thread_name_prefix=label)

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
        self._note_errors(answer)

    def _note_errors(self, answer):
        for error in answer.get("errors", ()):
            self._errors_seen[error["id"]] = error

    # --- engine errors ---

    def expect_errors(self, *texts):
        """Declares engine errors this test expects: each text must be part
        of one (headline, message or traceback), and each must occur."""
        self.expected_errors.extend(texts)

    def engine_errors(self):
        """The engine errors so far, oldest first (asked over the control
        channel while the engine runs)."""
        if self.running() and self.control_path is not None:
            self._note_errors(self.control_request("engine_errors"))
        return [self._errors_seen[i] for i in sorted(self._errors_seen)]

    def _collect_errors_before_stop(self):
        try:
            self.engine_errors()
        except (AssertionError, OSError):
            pass  # the engine is gone or stuck; its log says why

    def _errors_at_exit(self):
        """The total the engine printed when it stopped (None if it did not)."""
        found = re.findall(r"^understudy-engine: (\d+) engine errors? ",
                           tail(self.log_path, 400), re.MULTILINE)
        return int(found[-1]) if found else None

    @staticmethod
    def describe_error(error):
        where = f" at {error['file']}:{error['line']}" if error.get("file") else ""
        return (f"{error['source']} error{where}: {error['message']}\n  {error['what']}\n"
                + textwrap.indent(error.get("traceback") or "", "  "))

    def _judge_errors(self):
        """A teardown problem for engine errors the test did not expect, and
        for expected ones that never occurred; None if there is neither."""
        errors = [self._errors_seen[i] for i in sorted(self._errors_seen)]
        occurred = set()
        problems = []
        for error in errors:
            text = "\n".join(str(error.get(k) or "") for k in ("what", "message", "traceback"))
            matched = {t for t in self.expected_errors if t in text}
            occurred |= matched
            if not matched:
                problems.append("unexpected " + self.describe_error(error))
        total = self._errors_at_exit()
        if total is not None and total > len(errors):
            problems.append(f"{total - len(errors)} more engine error(s) while it stopped "
                            "(after the harness last asked); see the log")
        problems += [f"expected an engine error containing {t!r}, none occurred"
                     for t in self.expected_errors if t not in occurred]
        if not problems:
            return None
        return (f"{self.describe()} had engine errors the test did not expect (declare "
                "expected ones with expect_errors=[...] or engine.expect_errors(...)):\n"
                + "\n".join(problems) + "\n" + self.failure_context())

    def _script_raised(self):
        return any(e.get("source") == "script" for e in self._errors_seen.values())

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

    # --- console ---

    def console(self, since=0):
        return self.console_log.records()[since:]

    def console_mark(self):
        """An index for since=: only records written after this call."""
        return len(self.console_log.records())

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

    # --- the harness's own connection to the engine ---

    def _control(self):
        """A plain RPyC connection without services (the engine does not
        register it), opened on first use and again after a reload. Nobody
        serves it in the background: a thread waiting for a reply serves it."""
        with self._control_lock:
            if self._conn is None or self._conn.closed:
                self.check_alive("connecting to it")
                config = {"sync_request_timeout": CALL_TIMEOUT, "allow_public_attrs": True}
                self._conn = client_library.open_connection(
                    self.address, config=config, auth_token_file=self.auth_token_file)
                self._probe_ns = None
            return self._conn

    def _probes(self):
        """Engine-side query functions, defined once per connection by one
        execute() on the main thread; calling them later runs on the
        connection's thread, so queries work while the main thread is busy."""
        with self._control_lock:
            self._control()
            if self._probe_ns is None:
                self._probe_ns = self.execute(_PROBES_CODE)
            return self._probe_ns

    def _drop_control(self):
        with self._control_lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:
                    pass
            self._conn = None
            self._probe_ns = None

    def _query(self, fn):
        """Runs an idempotent query, once more on a fresh connection if the
        engine closed ours (a reload does)."""
        try:
            return fn()
        except (EOFError, ConnectionError):
            self._drop_control()
            return fn()

    def namespace(self, **names):
        """A fresh dict in the engine holding `names` (passed by value when
        they are numbers, strings or tuples of them)."""
        return self._control().root.dict(**names)

    def execute(self, code, timeout=CALL_TIMEOUT, namespace=None, **names):
        """Runs `code` (dedented) on the engine's main thread through the root
        service's execute(), in `namespace` or a fresh one holding `names`, and
        returns that namespace (a netref: ns["x"])."""
        conn = self._control()
        ns = namespace if namespace is not None else self.namespace()
        if names:
            ns.update(names)
        request = rpyc.async_(conn.root.execute)(textwrap.dedent(code), ns,
                                                 "<understudy_pytest execute>")
        request.set_expiry(timeout)
        try:
            request.wait()
        except rpyc.AsyncResultTimeout:
            raise UnderstudyTimeout(
                f"Timed out after {timeout} s waiting for {self.label} to execute:\n"
                f"{textwrap.indent(textwrap.dedent(code).strip(), '    ')}\n"
                f"(the main thread is busy or blocked?)\n{self.failure_context()}") from None
        except EOFError:
            self.check_alive("executing code")
            raise
        try:
            request.value
        except Exception as exc:
            try:
                exc.add_note(self.failure_context())
            except Exception:
                pass  # RPyC's copy of a remote exception may shadow add_note
            raise
        return ns

    def execute_in_background(self, code, timeout=CALL_TIMEOUT, namespace=None, **names):
        """execute() on a harness thread; a concurrent.futures.Future of the namespace."""
        return self._pool.submit(self.execute, code, timeout, namespace, **names)

    def start_call(self, client, service, *args, path="sync", timeout=None):
        """Engine-side code calls `service` on `client` on the main thread,
        through call_service_on_client (path="sync"), its coroutine or its
        async variant; `timeout` is the call's timeout or expiry (None: the
        engine's default). Returns a PendingCall at once."""
        if path not in ("sync", "coroutine", "async"):
            raise ValueError(f"path must be sync, coroutine or async, not {path!r}")
        call_id = next(self._call_ids)
        mark = self.console_mark()
        ns = self.namespace(_call_id=call_id, _client=client, _service=service, _args=tuple(args),
                            _path=path, _timeout=timeout)
        future = self.execute_in_background(_CALL_CODE, namespace=ns,
                                            timeout=CALL_TIMEOUT + (timeout or 0))
        return PendingCall(self, call_id, client, service, path, ns, future, mark,
                           caller=_caller_outside_plugin())

    def call_client(self, client, service, *args, path="sync", timeout=None,
                    wait_timeout=CALL_TIMEOUT, expect_deadlock=False):
        return self.start_call(client, service, *args, path=path, timeout=timeout).wait(
            wait_timeout, expect_deadlock=expect_deadlock)

    def connected_clients(self):
        """{name: number of live connections}, as understudy_engine reports it."""
        return self._query(lambda: dict(self._probes()["connected_clients"]()))

    def registered_clients(self):
        """[(name, pid of the process at the other end)] of registered connections."""
        return self._query(lambda: list(self._probes()["registered_clients"]()))

    def wait_for_clients(self, expected, timeout=WAIT_TIMEOUT):
        """Waits until connected_clients() == expected."""
        return wait_until(lambda: self.connected_clients() == expected,
                          f"connected clients {expected}", timeout, context=self,
                          seen=lambda: repr(self.connected_clients()))

    def actor_labels(self):
        return list(self.execute(_ACTOR_LABELS_CODE)["labels"])

    def wait_until(self, condition, expected, timeout=WAIT_TIMEOUT, seen=None):
        return wait_until(condition, expected, timeout, context=self, seen=seen)

    # --- the control channel (an engine started with control=True) ---

    def control_request(self, op, timeout=WAIT_TIMEOUT, **params):
        """One request on the engine's control channel (JSON lines on a Unix
        socket, answered off the main thread for ping and frames); the
        response's result. It never goes through the RPC port, so it works
        while that port is under attack."""
        if self.control_path is None:
            raise RuntimeError(f"{self.label} has no control channel: start it with "
                               "understudy_engine(..., control=True)")
        request_id = next(self._control_requests)
        line = json.dumps({"id": request_id, "op": op, **params}).encode() + b"\n"
        deadline = time.monotonic() + timeout
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.control_path))
            sock.sendall(line)
            buffered = b""
            while True:
                newline = buffered.find(b"\n")
                if newline >= 0:
                    raw, buffered = buffered[:newline], buffered[newline + 1:]
                    try:
                        message = json.loads(raw)
                    except ValueError as exc:  # JSONDecodeError and bad UTF-8 alike
                        raise ControlProtocolError(
                            f"{self.label} sent a control line that is not JSON ({exc}) while "
                            f"answering control request {op}: {raw[:200]!r}"
                            f"{' ...' if len(raw) > 200 else ''}\n"
                            f"{self.failure_context()}") from None
                    if not isinstance(message, dict):
                        raise ControlProtocolError(
                            f"{self.label} sent a control line that is not a JSON object while "
                            f"answering control request {op}: {raw[:200]!r}\n"
                            f"{self.failure_context()}")
                    if message.get("id") != request_id:
                        continue  # an event
                    if not message.get("ok"):
                        raise AssertionError(f"control request {op} failed: {message}\n"
                                             f"{self.failure_context()}")
                    return message["result"]
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    chunk = None
                if not chunk:
                    self.check_alive(f"waiting for the answer to control request {op}")
                    raise UnderstudyTimeout(
                        f"no answer to control request {op} from {self.label} within {timeout} s"
                        f" (connection {'timed out' if chunk is None else 'closed'})\n"
                        f"{self.failure_context()}")
                buffered += chunk

    def frame(self):
        """The engine's current frame number, asked over the control channel."""
        return self.control_request("ping")["frame"]

    # --- lifecycle ---

    def reload(self):
        """Domain reload (SIGHUP). The harness's connection is dropped; the
        next query opens a new one."""
        self._drop_control()
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
        self._shutdown_control()
        self.send_signal(signal.SIGTERM)
        return self.wait_exit(timeout)

    def _shutdown_control(self):
        self._drop_control()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _teardown(self):
        if self.popen is None:
            self._shutdown_control()
            return None
        if self.popen.poll() is None:
            self._collect_errors_before_stop()
        self._shutdown_control()
        code = self.popen.poll()
        if code is not None:
            if code != 0 and not self.expected_exit and not (code == 1 and self._script_raised()):
                return f"{self.describe()} died during the test with exit code {code}\n" + \
                    self.failure_context()
            return self._judge_errors()
        problem = self._terminate()
        code = self.popen.returncode
        if problem is None and code != 0 and not (code == 1 and self._script_raised()):
            problem = (f"{self.describe()} exited with code {code} after SIGTERM"
                       f" (expected 0: a clean stop)\n{self.failure_context()}")
        return "\n\n".join(p for p in (problem, self._judge_errors()) if p) or None


class ClientProcess(_Process):
    """A client script running as its own process. See the module docstring."""

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

    def start(self, ready="registered", timeout=STARTUP_TIMEOUT):
        env = dict(os.environ)
        first = self.pfu_site_packages or _PYLIB
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
        with open(self.log_path, "wb") as log:
            self.popen = subprocess.Popen([self.python, "-u", str(self.script), *self.args],
                                          stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, env=env, cwd=self.directory)
        _CLIENT_PROCESSES[self.popen.pid] = self
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


# --- pytest wiring ---

def pytest_addoption(parser):
    group = parser.getgroup("understudy", "Understudy engine and clients")
    group.addoption("--understudy-engine", default=None, metavar="PATH",
                    help="the understudy-engine binary (default: $UNDERSTUDY_ENGINE)")
    group.addoption("--understudy-python", default=None, metavar="PATH",
                    help="interpreter for client_process (default: the one running pytest)")
    group.addoption("--understudy-pfu-package", default=None, metavar="DIR",
                    help="Python for Unity's package folder, for client_process(pfu=True) "
                         "(default: $UNDERSTUDY_PFU_PACKAGE)")


def _engine_binary(config):
    """The engine to start: --understudy-engine, else $UNDERSTUDY_ENGINE, else
    understudy-engine on PATH (where the installed package puts it), so that
    an installed plugin needs no configuration."""
    path = (config.getoption("--understudy-engine") or os.environ.get("UNDERSTUDY_ENGINE")
            or shutil.which("understudy-engine"))
    if not path:
        pytest.fail("understudy_pytest: no engine binary; pass --understudy-engine PATH, set "
                    "UNDERSTUDY_ENGINE, or put understudy-engine on PATH (see the docstring of "
                    "understudy_pytest)", pytrace=False)
    if not os.access(path, os.X_OK):
        pytest.fail(f"understudy_pytest: the engine binary {path} is not an executable file "
                    "(build it: ninja understudy-engine)", pytrace=False)
    return path


def _track(request, process):
    request.node.__dict__.setdefault("_understudy_processes", []).append(process)


class _EngineFactory:
    def __init__(self, request, directory):
        self._request = request
        self._directory = Path(directory)
        self.engines = []
        self._temp_dirs = []

    def _socket_path(self, socket):
        if socket is True:
            # A private directory with a short path: Unix socket paths are
            # limited to 107 bytes, and tmp_path can be longer.
            directory = tempfile.mkdtemp(prefix="understudy-")
            self._temp_dirs.append(directory)
            return Path(directory) / "engine.sock"
        return None if socket in (None, False, "pfu", "tcp") else Path(socket)

    def _control_path(self, control):
        if not control:
            return None
        directory = tempfile.mkdtemp(prefix="understudy-control-")
        self._temp_dirs.append(directory)
        return Path(directory) / "control.sock"

    def _private_tmpdir(self):
        # Short, as the socket path PfU puts in it must fit in 107 bytes.
        directory = tempfile.mkdtemp(prefix="understudy-tmp-")
        self._temp_dirs.append(directory)
        return Path(directory)

    def _make(self, flags, socket, env=None, control=False, expect_errors=(), rlimits=None):
        pfu = socket in (None, "pfu")
        engine = EngineProcess(_engine_binary(self._request.config), flags, self._directory,
                               _unique_label(self._directory, "engine"),
                               socket_path=None if pfu else self._socket_path(socket), env=env,
                               control_path=self._control_path(control),
                               expect_errors=expect_errors, tmpdir=self._private_tmpdir(),
                               pfu_socket=pfu, rlimits=rlimits)
        self.engines.append(engine)
        _track(self._request, engine)
        return engine

    def __call__(self, *flags, socket=None, timeout=STARTUP_TIMEOUT, env=None, control=True,
                 expect_errors=(), rlimits=None):
        """Starts an engine with extra command-line flags; see the module docstring.
        Every engine gets its control channel, whatever `control` says."""
        return self._make(flags, socket, env, True, expect_errors, rlimits).start(timeout)

    def run_to_exit(self, *flags, socket=None, timeout=STARTUP_TIMEOUT, env=None):
        """Runs an engine that should stop by itself (a bad flag, a taken port);
        returns an EngineExit."""
        engine = self._make(flags, socket, env)
        engine.expected_exit = True
        with open(engine.stdout_path, "wb") as out, open(engine.log_path, "wb") as err:
            engine.popen = subprocess.Popen(engine.command(), stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=err, cwd=self._directory,
                                            env=engine.environment())
        code = engine.wait_exit(timeout)
        return EngineExit(code, engine.stdout_path.read_text(errors="replace"),
                          engine.log_path.read_text(errors="replace"), engine.log_path)

    @property
    def latest(self):
        if not self.engines:
            raise RuntimeError("start an engine first: engine = understudy_engine(...)")
        return self.engines[-1]

    def _teardown(self):
        problems = [p for p in (e._teardown() for e in self.engines) if p]
        for directory in self._temp_dirs:
            shutil.rmtree(directory, ignore_errors=True)
        return problems


@pytest.fixture
def understudy_engine(request, tmp_path):
    factory = _EngineFactory(request, tmp_path)
    yield factory
    problems = factory._teardown()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def understudy_client(understudy_engine):
    """Connects in-process understudy_client clients to an engine (by default
    the one started last): understudy_client(name, service=None, engine=None,
    **connect_kwargs) returns a registered EngineClient."""
    clients = []

    def connect(name="client", service=None, engine=None, **kwargs):
        engine = engine or understudy_engine.latest
        kwargs.setdefault("stack_dump_signal", None)  # pytest's process keeps its signals
        kwargs.setdefault("timeout", STARTUP_TIMEOUT)
        kwargs.setdefault("auth_token_file", engine.auth_token_file)
        client = client_library.connect(name, service=service, address=engine.address, **kwargs)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


def _pfu_site_packages(request):
    """PfU's Python~/site-packages, for a plain PfU client; fails the test,
    saying what to give, when there is none."""
    package = (request.config.getoption("--understudy-pfu-package")
               or os.environ.get("UNDERSTUDY_PFU_PACKAGE"))
    if not package:
        pytest.fail("client_process(pfu=True) needs Python for Unity's package: pass "
                    "--understudy-pfu-package DIR (the com.unity.scripting.python folder) or "
                    "set UNDERSTUDY_PFU_PACKAGE", pytrace=False)
    site_packages = Path(package).resolve() / "Python~" / "site-packages"
    if not (site_packages / "unity_python" / "client" / "unity_client.py").is_file():
        pytest.fail(f"client_process(pfu=True): {package} is not Python for Unity's package "
                    f"(no {site_packages / 'unity_python' / 'client' / 'unity_client.py'})",
                    pytrace=False)
    return site_packages


@pytest.fixture
def client_process(request, understudy_engine, tmp_path):
    """Spawns client scripts as separate processes; see the module docstring."""
    processes = []
    base = Path(request.node.path).parent
    python = request.config.getoption("--understudy-python")

    def spawn(script, name=None, args=(), engine=None, ready="registered", env=None,
              timeout=STARTUP_TIMEOUT, pfu=False):
        path = Path(script)
        if not path.is_absolute():
            path = base / path
        if not path.is_file():
            pytest.fail(f"client_process: no script at {path}", pytrace=False)
        label = _unique_label(tmp_path, f"client-{name or path.stem}")
        process = ClientProcess(path, name, engine or understudy_engine.latest, tmp_path, label,
                                args=args, env=env, python=python,
                                pfu_site_packages=_pfu_site_packages(request) if pfu else None)
        processes.append(process)
        _track(request, process)
        return process.start(ready, timeout)

    yield spawn
    for process in processes:
        process._teardown()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for process in item.__dict__.get("_understudy_processes", ()):
            if process.log_path is not None:
                report.sections.append(
                    (f"understudy: {process.describe()} log {process.log_path}",
                     tail(process.log_path)))
