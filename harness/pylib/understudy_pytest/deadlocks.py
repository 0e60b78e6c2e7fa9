"""Explaining a deadlock a call closed, for DeadlockDetected: where each
client waits in the user's code (a client process's stack dump, asked for
with SIGUSR1, or this process's own stacks), the engine-side caller (the
test's line that started the call), and the cycle and ways out from the
engine's report."""

import os
import re
import signal
import sys
import sysconfig
import time
import traceback

import rpyc
import understudy_client

from .client_process import client_process_with_pid
from .waits import POLL_INTERVAL

STACK_DUMP_TIMEOUT = 1.0  # a client built on understudy_client dumps its stacks on SIGUSR1

_PLUGIN_DIR = os.path.join(os.path.realpath(os.path.dirname(__file__)), "")
_LIBRARY_DIRS = (_PLUGIN_DIR,) + tuple(os.path.join(os.path.realpath(d), "") for d in (
    os.path.dirname(os.path.abspath(rpyc.__file__)),
    os.path.dirname(os.path.abspath(understudy_client.__file__)),
    sysconfig.get_paths()["stdlib"]))
_DUMP_HEADER = re.compile(r"^(Current thread|Thread) 0x[0-9a-f]+ \(most recent call first\):$")
_DUMP_FRAME = re.compile(r'^\s+File "(?P<file>.*)", line (?P<line>\d+) in (?P<name>.*)$')
_RELEASED = ("no thread was in a service any more when its stack was taken (with --on-deadlock "
             "fail-fast the engine releases the client at once)")


def _is_library(filename):
    """RPyC, understudy_client, this plugin and the standard library
    (threading included): not the user's code."""
    return filename.startswith("<frozen") or os.path.realpath(filename).startswith(_LIBRARY_DIRS)


def caller_outside_plugin():
    """"file:line in function" of the innermost frame that is not this plugin's."""
    frame = sys._getframe(1)
    while frame is not None and os.path.realpath(frame.f_code.co_filename).startswith(_PLUGIN_DIR):
        frame = frame.f_back
    if frame is None:
        return "(unknown)"
    return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"


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
    return [[(f.filename, f.lineno, f.name) for f in reversed(traceback.extract_stack(frame))]
            for frame in sys._current_frames().values()]


def _client_side(node, pid):
    """One line: where the client `pid` waits, in the user's code."""
    if pid == os.getpid():
        frame = user_frame(_own_stacks())
        return f"client side: {frame or _RELEASED} ({node}, in this process)"
    process = client_process_with_pid(pid)
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


def deadlock_message(call, report):
    """DeadlockDetected's message for the PendingCall `call`, whose cycle the
    engine's console record `report` describes."""
    text = report.text
    cycle = next((line.strip()[len("cycle: "):] for line in text.splitlines()
                  if line.strip().startswith("cycle: ")), text.splitlines()[0])
    started = call.started()
    lines = [f"call #{call.call_id} {call.client}.{call.service} ({call.path} path) "
             f"deadlocked: {cycle}",
             f"  reported {report.time - started.time:.3f} s after the call started (engine "
             "clock); the engine's call waits for its timeout, this test does not"]
    for node, pid in re.findall(r"^  (client:\S+) is process (\d+)", text, re.MULTILINE):
        lines.append("  " + _client_side(node, int(pid)))
    lines.append(f"  engine side: {call.caller or '(unknown)'}, calling "
                 f"{call.client}.{call.service} on the engine's main thread ({call.path} path)")
    ways = _report_lines(text, "  ways out:")
    if ways:
        lines.append("  ways out:")
        lines.extend("    " + way for way in ways)
    lines.append("  (a test of a deadlock on purpose passes expect_deadlock=True to wait() "
                 "or call_client())")
    lines.append(f"the engine's report, whole ({call.engine.log_path}):")
    lines.append(str(report))
    return "\n".join(lines)
