"""DeadlockMonitor: records who waits on whom in the engine's wait-for graph
(kept in C++) and explains a deadlock the moment a wait closes a cycle.

A report names the cycle's members, the service being called, the engine API
the client asked for, when each wait began, the client processes' pids, the
engine-side frame in the user's code (an engine script, a harness's code),
the ways out of a cycle through a client with the shipped scenario that shows
each, and the engine-side Python stack of every thread involved (the user's
frames first, the engine's internals after). It goes to the console as an
error record starting "deadlock detected" and to listeners (the harness's
control channel).

Policies (--on-deadlock): "report" explains at once and then lets the call
time out exactly as the original would; "fail-fast" also makes the blocked
engine call fail at once with the report as its error; "wait" detects nothing.
A wait that lasts longer than --long-wait without a cycle is reported once as
a potential deadlock (by a watchdog thread: the main thread may be the one
stuck).

A cycle is reported once it has held for CONFIRM_SECONDS (well inside a
frame): a client is one node, but it may have several threads, and a cycle
through a client whose other thread answers at once is not a deadlock.

A cycle through a client is a deadlock only if the client's wait is nested in
the request it received: the client called the engine from inside the
service the engine is waiting for. A client whose request for the main thread
was already waiting when the engine's call arrived serves that call while it
waits (RPyC dispatches incoming requests during a wait), so the cycle
unwinds by itself; under load it can hold for longer than CONFIRM_SECONDS,
and taking it for a deadlock failed healthy calls. --faithful=pfu does the
same (PfU's RPyC 4.0.2 lets the waiting main thread read the answer);
--faithful=rpyc5 keeps every cycle: there the engine's reader for that
client is itself stuck waiting for the main thread, holding the receive
lock, so the engine never reads the client's answer."""

import os
import sys
import sysconfig
import threading
import traceback

import rpyc

import _understudy_engine as native
import unreal_engine as ue


# What a report carries to the harness (the control channel's "deadlock"
# event): everything but the engine's frame objects.
EVENT_FIELDS = ("certain", "members", "summary", "detected_frame", "edges", "text", "client_pids",
                "cycle", "engine_frame", "ways_out")


class Wait:
    """One wait in progress; `failed` is set by fail-fast."""

    __slots__ = ("id", "report", "failed", "wake")

    def __init__(self, wait_id, wake):
        self.id = wait_id
        self.report = None
        self.failed = False
        self.wake = wake


class DeadlockMonitor:
    CONFIRM_SECONDS = 0.01

    def __init__(self, policy, long_wait_seconds):
        self.policy = policy
        self.long_wait_seconds = long_wait_seconds
        # False under --faithful=rpyc5 (see the module's docstring).
        self.only_nested_cycles = True
        self.reports = []  # every report, newest last
        self._listeners = []
        self._waits = {}  # id -> Wait, for fail-fast wake-ups
        self._lock = threading.Lock()
        self.pid_of_node = lambda node: None  # set by the server: client pids for reports
        self._watchdog = None
        self._stop = threading.Event()

    def start(self):
        if self.policy == "wait" or self._watchdog is not None:
            return
        self._stop.clear()
        self._watchdog = threading.Thread(target=self._watch_long_waits,
                                          name="deadlock-watchdog", daemon=True)
        self._watchdog.start()

    def stop(self):
        self._stop.set()
        if self._watchdog is not None:
            self._watchdog.join(timeout=2.0)
            self._watchdog = None

    def add_listener(self, fn):
        self._listeners.append(fn)

    def begin(self, waiter, target, what, wake=None):
        """Records that `waiter` waits for `target`; `wake()` is called if
        fail-fast decides this wait must end now."""
        if self.policy == "wait":
            return Wait(None, wake)
        wait_id, report = native.wait_begin(waiter, target, what,
                                            threading.current_thread().name)
        wait = Wait(wait_id, wake)
        if self.policy == "fail-fast":
            with self._lock:
                self._waits[wait_id] = wait
        if report is not None and self.only_nested_cycles:
            report = nested_cycle(report, native.wait_edges())
        if report is not None:
            timer = threading.Timer(self.CONFIRM_SECONDS, self._confirm, (report,))
            timer.daemon = True
            timer.start()
        return wait

    def end(self, wait):
        """Idempotent: the wait is over."""
        wait_id, wait.id = wait.id, None
        if wait_id is None:
            return
        native.wait_end(wait_id)
        if self.policy == "fail-fast":
            with self._lock:
                self._waits.pop(wait_id, None)

    def forget(self, node):
        if self.policy != "wait":
            native.forget_wait_node(node)

    def _confirm(self, report):
        try:
            live = {edge["id"]: edge for edge in native.wait_edges()}
        except RuntimeError:
            return  # the engine has stopped
        if all(edge["id"] in live for edge in report["edges"]):
            report["edges"] = [live[edge["id"]] for edge in report["edges"]]
            self._report(report)

    def _report(self, report):
        frames = engine_frames(report)
        report["stacks"] = {thread: "".join(traceback.format_list(stack))
                            for thread, stack in frames.items()}
        report["client_pids"] = {node: pid for node in report["members"]
                                 if node.startswith("client:")
                                 for pid in [self.pid_of_node(node)] if pid is not None}
        report["cycle"] = cycle_line(report)
        report["engine_frame"] = engine_frame(report, frames)
        report["ways_out"] = ways_out(report, stock_rpyc5=not self.only_nested_cycles)
        report["text"] = describe(report, frames)
        self.reports.append(report)
        ue.log_error(report["text"])
        for listener in list(self._listeners):
            try:
                listener(report)
            except Exception:
                ue.log_error("deadlock listener failed:\n" + traceback.format_exc())
        if self.policy == "fail-fast" and report["certain"]:
            # Fail the main thread's wait in the cycle: that releases everyone.
            with self._lock:
                waits = [self._waits.get(e["id"]) for e in report["edges"]
                         if e["waiter"] == "main"]
            for wait in waits:
                if wait is not None:
                    wait.report = report
                    wait.failed = True
                    if wait.wake is not None:
                        wait.wake()

    def _watch_long_waits(self):
        while not self._stop.wait(min(0.1, self.long_wait_seconds / 4)):
            try:
                for report in native.take_long_waits(self.long_wait_seconds):
                    self._report(report)
            except RuntimeError:
                return  # the engine has stopped


def nested_cycle(report, live_edges):
    """`report` if every client in its cycle waits from inside the request it
    received, with the cycle's edges out of clients replaced by the nested
    waits; None if some client's wait began before the request it would have
    to answer (that client serves the request while it waits)."""
    live = {edge["id"]: edge for edge in live_edges}
    cycle = [live.get(edge["id"]) for edge in report["edges"]]
    if any(edge is None for edge in cycle):
        return None  # a wait in the cycle has already ended
    nested = []
    for incoming, outgoing in zip(cycle, cycle[1:] + cycle[:1]):
        waiter = outgoing["waiter"]
        if not waiter.startswith("client:"):
            nested.append(outgoing)
            continue
        # Began after the incoming request: waited less time. Any wait of this
        # client on the same target will do (it may have several threads).
        later = [edge for edge in live_edges
                 if edge["waiter"] == waiter and edge["target"] == outgoing["target"]
                 and edge["waited_seconds"] < incoming["waited_seconds"]]
        if not later:
            return None
        nested.append(max(later, key=lambda edge: edge["waited_seconds"]))
    report["edges"] = nested[-1:] + nested[:-1]
    return report


# Frames in these folders are the engine's and its libraries', not the code
# whose call closed the cycle: the engine's pylib (understudy_engine,
# ue_asyncio), RPyC and the standard library.
_INTERNAL_DIRS = tuple(os.path.join(os.path.realpath(d), "") for d in (
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    os.path.dirname(os.path.abspath(rpyc.__file__)),
    sysconfig.get_paths()["stdlib"]))

# The ways out of a cycle through a client, each with the shipped scenario
# that shows it working (paths from the project's root).
_CLIENT_WAYS_OUT = [
    "client side: call back without waiting, rpyc.async_(conn.root.execute)(...) "
    "(scenarios/deadlock/fix_client_async.toml)",
    "client side: keep the AsyncResult and poll its .ready outside the service "
    "(scenarios/deadlock/fix_client_poll.toml)",
]
_ENGINE_WAYS_OUT = [
    "engine side: the coroutine path, call_coroutine_service_on_client(...), resumed once "
    "per frame (scenarios/deadlock/fix_engine_coroutine.toml)",
    "engine side: the async path, await call_async_service_on_client(...) "
    "(scenarios/deadlock/fix_engine_async.toml)",
    "either side: pass basic types: the service returns data and the engine does the engine "
    "work with it, so the client never calls back (scenarios/deadlock/fix_basic_types.toml)",
]


def is_internal(filename):
    """True for the engine's own Python, RPyC and the standard library;
    frozen modules too."""
    if filename.startswith("<frozen"):
        return True
    return os.path.realpath(filename).startswith(_INTERNAL_DIRS)


def engine_frames(report):
    """{thread name: [FrameSummary, outermost first]} of the engine threads
    named in the report's edges, in the edges' order (the main thread's
    call to a client first)."""
    by_ident = {t.ident: t.name for t in threading.enumerate()}
    found = {by_ident.get(ident, f"thread {ident}"): frame
             for ident, frame in sys._current_frames().items()}
    stacks = {}
    for edge in report["edges"]:
        if edge["thread"] in found and edge["thread"] not in stacks:
            stacks[edge["thread"]] = traceback.extract_stack(found[edge["thread"]])
    return stacks


def _node_name(node):
    """client:worker#3 -> client:worker (the connection number only tells
    connections of one name apart, which the pids do in the report)."""
    return node.split("#", 1)[0] if node.startswith("client:") else node


def cycle_line(report):
    """The cycle in one line, naming the service each client was asked for
    and the engine API each client waits for:
    main -> client:tool (service refresh) -> main (execute)."""
    if not report["edges"]:
        return ""
    parts = [_node_name(report["edges"][0]["waiter"])]
    for edge in report["edges"]:
        what = (f"service {edge['what']}" if edge["target"].startswith("client:")
                else edge["what"])
        parts.append(f"{_node_name(edge['target'])} ({what})")
    return " -> ".join(parts)


def engine_frame(report, frames):
    """The innermost frame outside the engine's internals on the stack of the
    engine thread that calls a client in the cycle ("file:line in function"),
    or None when only the engine's own code is there (the harness's call
    request, for example)."""
    for edge in report["edges"]:
        if edge["target"].startswith("client:") and edge["thread"] in frames:
            user = [f for f in frames[edge["thread"]] if not is_internal(f.filename)]
            if user:
                return f"{user[-1].filename}:{user[-1].lineno} in {user[-1].name}"
            return None
    return None


def ways_out(report, stock_rpyc5=False):
    """The documented ways out of a certain cycle in which an engine thread
    waits for a client; [] for any other report."""
    through_client = any(edge["target"].startswith("client:") and
                         not edge["waiter"].startswith("client:") for edge in report["edges"])
    if not report["certain"] or not through_client:
        return []
    if stock_rpyc5:
        return _ENGINE_WAYS_OUT + [
            "not on the client side: under --faithful=rpyc5 (stock RPyC 5.x dispatch) "
            "rpyc.async_ and polling deadlock too, as they do not in PfU 2.x "
            "(scenarios/deadlock/faithful_async_trap.toml)"]
    return _CLIENT_WAYS_OUT + _ENGINE_WAYS_OUT


def _engine_side(report):
    if report.get("engine_frame"):
        return report["engine_frame"]
    for edge in report["edges"]:
        if edge["target"].startswith("client:") and not edge["waiter"].startswith("client:"):
            return (f"no engine script on the stack of {edge['thread']}: the call to "
                    f"{edge['what']!r} came from the harness or the engine itself")
    return None


def describe(report, frames):
    """The report's text: the first line is "deadlock detected at frame N:
    SUMMARY" (or "potential deadlock ..."), then the cycle in one line, the
    waits, the client processes, the engine-side frame, the ways out, and each
    engine thread's stack: the user's frames first, the engine's internals
    after (both most recent call last). `frames` as engine_frames gives."""
    kind = "deadlock" if report["certain"] else "potential deadlock (long wait, no cycle)"
    lines = [f"{kind} detected at frame {report['detected_frame']}: {report['summary']}"]
    if report.get("cycle"):
        lines.append(f"  cycle: {report['cycle']}")
    for edge in report["edges"]:
        lines.append(
            f"  {edge['waiter']} waits for {edge['target']} ({edge['what']}) since frame "
            f"{edge['since_frame']}, {edge['waited_seconds']:.3f} s, on thread {edge['thread']}")
    if report.get("also_waiting") or report.get("not_reported"):
        waiter, target = report["edges"][0]["waiter"], report["edges"][0]["target"]
        lines.append(
            f"  {waiter} has {report.get('also_waiting', 0)} more waits for {target} in "
            f"progress; {report.get('not_reported', 0)} others of its waits for {target} "
            f"passed the long-wait threshold since the last report (one report per waiter "
            f"and target per threshold)")
    for node, pid in report.get("client_pids", {}).items():
        lines.append(f"  {node} is process {pid} (a client built on understudy_client dumps "
                     "its stacks to its log on SIGUSR1)")
    side = _engine_side(report)
    if side:
        lines.append(f"  engine side: {side}")
    if report.get("ways_out"):
        lines.append("  ways out:")
        lines.extend("    " + way for way in report["ways_out"])
    for thread, stack in frames.items():
        user = [f for f in stack if not is_internal(f.filename)]
        internal = [f for f in stack if is_internal(f.filename)]
        for title, part in ((f"engine stack of {thread}, your code", user),
                            (f"engine stack of {thread}, engine internals", internal)):
            if part:
                lines.append(f"  {title} (most recent call last):")
                lines.extend("    " + line for line in
                             "".join(traceback.format_list(part)).rstrip().splitlines())
    return "\n".join(lines)
