"""What the machine lets the RPC server hold open, and how its accept loop
rides out running short.

Every connection costs the engine a file descriptor and a thread. A cap
above what RLIMIT_NOFILE allows is no cap at all: accept() fails with EMFILE
first (Debian's default `ulimit -n` is 1024, the old default cap too).
ConnectionBudget derives the cap from the limits the engine runs under, less
a reserve for its own files and sockets; AcceptTrouble turns any failure to
accept or to start a connection's thread into a bounded backoff with one
console warning per episode, and one line when the server accepts again.
PreAuthBudget is the smaller share of the cap that connections still owing
their auth token may hold, so that peers without the token cannot keep
those with it out."""

import os
import resource
import threading
import time

import unreal_engine as ue

# Descriptors kept free for the engine itself beyond what it holds when the
# server starts: log and script files, the control channel's sessions, the
# spawn server's pipes, a reload's new listener and lock file.
FD_RESERVE = 64
# Threads kept free for the engine's own (main-thread jobs, the monitor,
# spawned helpers), when RLIMIT_NPROC applies to it.
THREAD_RESERVE = 32


def _open_fds():
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return 0


def _threads_of_user():
    """Tasks this user runs, which RLIMIT_NPROC counts (threads included)."""
    uid = os.geteuid()
    count = 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return threading.active_count()
    for pid in pids:
        try:
            st = os.stat(f"/proc/{pid}")
            if st.st_uid == uid:
                count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


class ConnectionBudget:
    """The connection cap the server enforces: `cap` (0: none) and `reason`,
    the sentence saying where it comes from."""

    def __init__(self, requested):
        self.requested = requested  # None (derive), 0 (no cap) or the flag's value
        self.allowed, self.allowed_because = self._allowed_by_limits()
        if requested == 0:
            self.cap = 0
        elif requested is None:
            self.cap = self.allowed or 0
        else:
            self.cap = min(requested, self.allowed) if self.allowed else requested

    @staticmethod
    def _allowed_by_limits():
        """(connections the limits leave room for, why), or (None, None) when
        nothing limits them."""
        bounds = []
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY:
            held = _open_fds()
            bounds.append((soft - held - FD_RESERVE,
                           f"RLIMIT_NOFILE {soft} less the {held} descriptors the engine holds "
                           f"and a reserve of {FD_RESERVE}"))
        nproc, _ = resource.getrlimit(resource.RLIMIT_NPROC)
        if nproc != resource.RLIM_INFINITY and os.geteuid() != 0:  # root is not held to it
            running = _threads_of_user()
            bounds.append((nproc - running - THREAD_RESERVE,
                           f"RLIMIT_NPROC {nproc} less the {running} threads this user runs and "
                           f"a reserve of {THREAD_RESERVE}"))
        if not bounds:
            return None, None
        room, because = min(bounds)
        return max(room, 1), because

    def announce(self):
        """One console line saying what the cap is and why; a warning when an
        explicit --max-connections had to be lowered."""
        if self.cap == 0:
            ue.log("rpc connections are not capped (--max-connections 0)")
        elif self.requested is not None and self.requested > self.cap:
            ue.log_warning(f"--max-connections {self.requested} lowered to {self.cap}: "
                           f"{self.allowed_because} leave room for no more")
        elif self.requested is None:
            ue.log(f"rpc connections capped at {self.cap}: {self.allowed_because}"
                   if self.allowed else "rpc connections are not capped: no limit applies")


class AcceptTrouble:
    """Failures of the accept loop, grouped into episodes: the first failure
    of an episode is one console warning, the rest are counted; each failure
    returns how long to wait before trying again (doubling, at most
    MAX_BACKOFF); the next connection accepted and started ends the episode
    with an "accepting again" line. `refused_at_cap` episodes work the same
    for connections closed because the cap was reached."""

    FIRST_BACKOFF = 0.005
    MAX_BACKOFF = 0.5

    def __init__(self):
        self._kind = None  # None, "failing" or "cap"
        self._since = 0.0
        self._count = 0
        self._backoff = 0.0

    def failed(self, what):
        """accept() or starting a connection failed; `what` says how. Seconds
        to wait before the next accept()."""
        if self._kind != "failing":
            self.recovered()
            self._begin("failing")
            self._backoff = self.FIRST_BACKOFF
            ue.log_warning(f"rpc server cannot take new connections: {what}; retrying with a "
                           f"backoff of up to {self.MAX_BACKOFF} s until resources free up (no "
                           "more warnings until then)")
        else:
            self._backoff = min(self._backoff * 2, self.MAX_BACKOFF)
        self._count += 1
        return self._backoff

    def refused_at_cap(self, peer_text, cap):
        if self._kind != "cap":
            self.recovered()
            self._begin("cap")
            ue.log_warning(f"closing connection from {peer_text}: {cap} connections are open, "
                           "the --max-connections cap")
        self._count += 1

    def _begin(self, kind):
        self._kind = kind
        self._since = time.monotonic()
        self._count = 0

    def recovered(self):
        if self._kind is None:
            return
        took = time.monotonic() - self._since
        what = ("failed attempts to accept" if self._kind == "failing"
                else "connections refused at the cap")
        ue.log(f"rpc server accepting again after {took:.2f} s ({self._count} {what})")
        self._kind = None


class PreAuthBudget:
    """How many connections may be waiting for their auth token at once:
    `size`, a SHARE of the connection cap (0: no cap, no budget). Legitimate
    clients send the token with their first bytes and wait a round trip at
    most, so a small share holds any burst of them, and the rest of the cap
    stays for authenticated connections. When it is full the oldest waiting
    connection is closed to make room (admission.py says why the oldest).

    Those closings come in floods, grouped into episodes: the first is one
    console warning; until QUIET seconds pass without another, they are
    counted, and so are the other refusals of connections without the token
    (a flood's peers hanging up, missing their deadline), which are one
    warning each otherwise; settle() then ends the episode with one line
    giving the counts."""

    SHARE = 4  # a quarter of the cap
    # Seconds without a closing that end an episode: well beyond the second
    # the kernel holds a silent connection back (admission.DEFER_ACCEPT_S),
    # so that a flood whose closed connections come back that much later,
    # in waves, is one episode.
    QUIET = 3.0

    def __init__(self, cap):
        self.cap = cap
        self.size = max(1, cap // self.SHARE) if cap else 0
        self._since = None  # when the episode began, or None
        self._last = 0.0  # the episode's latest closing to make room
        self._closed = 0
        self._refused = {}  # reason -> connections refused for it in the episode

    def full(self, waiting):
        return 0 < self.size <= waiting

    def announce(self):
        if self.size:
            ue.log(f"rpc connections still owing their auth token: at most {self.size} (a "
                   f"quarter of the {self.cap}-connection cap), the oldest closed first to make "
                   "room")
        else:
            ue.log("rpc connections still owing their auth token are not capped "
                   "(--max-connections 0)")

    def closed_oldest(self, peer_text, waiting):
        """The oldest of `waiting` connections owing their token, from
        `peer_text`, is closed to make room for a new one."""
        self._last = time.monotonic()
        if self._since is None:
            self._since, self._closed, self._refused = self._last, 0, {}
            ue.log_warning(f"closing connection from {peer_text}: the oldest of {waiting} "
                           "connections that have not sent the auth token, closed to make room "
                           f"for a new one (at most {self.size} may wait at once; no more "
                           "warnings about connections without the token until there is room "
                           "again)")
        self._closed += 1

    def counted(self, reason):
        """Whether a refusal of a connection without the token, for
        `reason`, is counted in the episode (True) rather than to be logged."""
        if self._since is None:
            return False
        self._refused[reason] = self._refused.get(reason, 0) + 1
        return True

    def settle(self):
        """Ends the episode once QUIET seconds passed without a closing."""
        if self._since is None or time.monotonic() - self._last < self.QUIET:
            return
        took = self._last - self._since
        others = "".join(f"; {count} more: {reason}" for reason, count in self._refused.items())
        ue.log(f"rpc connections owing their auth token have room again: {self._closed} "
               f"closed to make room in {took:.2f} s, the oldest first{others}")
        self._since = None
