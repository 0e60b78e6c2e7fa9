"""DeadlockMonitor: records who waits on whom in the engine's wait-for graph
(kept in C++) and explains a deadlock the moment a wait closes a cycle.

A report names the cycle's members, the service being called, the engine API
the client asked for, when each wait began, and the engine-side Python stack
of every thread involved. It goes to the console as an error record containing
the word "deadlock" and to listeners (the harness's control channel).

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
and taking it for a deadlock failed healthy calls. Faithful mode keeps every
cycle: there the engine's reader for that client is itself stuck waiting for
the main thread, so the engine never reads the client's answer."""

import sys
import threading
import traceback

import _understudy_engine as native
import unreal_engine as ue


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
        # False when the engine is faithful (see the module's docstring).
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
        report["stacks"] = engine_stacks(report)
        report["client_pids"] = {node: pid for node in report["members"]
                                 if node.startswith("client:")
                                 for pid in [self.pid_of_node(node)] if pid is not None}
        report["text"] = describe(report)
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


def engine_stacks(report):
    """The Python stacks of the engine threads named in the report's edges."""
    wanted = {edge["thread"] for edge in report["edges"]}
    by_ident = {t.ident: t.name for t in threading.enumerate()}
    stacks = {}
    for ident, frame in sys._current_frames().items():
        name = by_ident.get(ident, f"thread {ident}")
        if name in wanted:
            stacks[name] = "".join(traceback.format_stack(frame))
    return stacks


def describe(report):
    kind = "deadlock" if report["certain"] else "potential deadlock (long wait, no cycle)"
    lines = [f"{kind} detected at frame {report['detected_frame']}: {report['summary']}"]
    for edge in report["edges"]:
        lines.append(
            f"  {edge['waiter']} waits for {edge['target']} ({edge['what']}) since frame "
            f"{edge['since_frame']}, {edge['waited_seconds']:.3f} s, on thread {edge['thread']}")
    for thread, stack in report.get("stacks", {}).items():
        lines.append(f"  engine stack of {thread}:")
        lines.extend("    " + line for line in stack.rstrip().splitlines())
    return "\n".join(lines)
