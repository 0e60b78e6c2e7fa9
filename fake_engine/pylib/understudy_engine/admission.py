"""The RPC server's front door: one thread accepts connections and decides
which of them get a thread of their own to speak RPyC on.

A Unix-socket peer is admitted at once when the kernel says it runs as the
engine's user (SO_PEERCRED); a TCP peer at once when there is no token.
With --auth-token-file a TCP peer must first send the token. A client sends
it right after connecting, and the kernel holds the connection back until
then (DEFER_ACCEPT_S), so the token is there when the connection is
accepted, and it is admitted at once. A connection accepted without its
whole token (silent for DEFER_ACCEPT_S, or sending it piecemeal) waits here,
in one poller, costing a descriptor but no thread, within two bounds: the
token deadline, and the pre-auth budget (limits.PreAuthBudget), a share of
the connection cap. When the budget is full, or the cap is reached while
some connections still wait, the OLDEST waiting connection is closed to make
room for the new one, after a last look for its token. Refusing the newcomer
instead would let peers that never send a token, once they hold the budget,
keep every token holder out (re-opening each connection at its deadline):
the very thing the budget is for. A token holder that waits at all waits
only for the rest of its token, so it does not stay the oldest for long."""

import selectors
import socket
import time
import traceback

import unreal_engine as ue
from rpyc.utils.authenticators import AuthenticationError

from .auth import same_user_peer
from .limits import AcceptTrouble

# How many connections the kernel keeps for the TCP listener before it
# accepts them (the kernel caps it at net.core.somaxconn, 4096 by default),
# both those held back by TCP_DEFER_ACCEPT and those ready. When it has that
# many, a new connection's SYN is dropped and its client tries again only
# after 1 s, then 3 s (or, with SYN cookies, it is accepted at once, silent
# or not): a flood that fills a short queue keeps token holders out for
# seconds, although the engine would admit them at once. Queued connections
# cost the engine no descriptor.
LISTEN_BACKLOG = socket.SOMAXCONN
# With a token, the kernel holds a TCP connection back from accept() until
# its first bytes arrive, for up to this many seconds (TCP_DEFER_ACCEPT): a
# token holder is accepted with its token already there, however late its
# process got to send it, and peers that send nothing cost the engine
# nothing for that long. (Without a token a plain RPyC client may wait for
# the engine to speak first, so it is not deferred.)
DEFER_ACCEPT_S = 1


def unix_peer_text(sock):
    """A Unix-socket peer as log lines name it: its pid and uid, which the
    kernel vouches for."""
    try:
        _, (pid, uid) = same_user_peer(sock)
        return f"unix socket peer pid {pid} uid {uid}"
    except OSError:
        return "unix socket peer"


def accepted_peer_text(sock, peer):
    """How log lines name the peer of an accepted socket."""
    if sock.family == socket.AF_UNIX:
        return unix_peer_text(sock)
    host = f"[{peer[0]}]" if ":" in peer[0] else peer[0]
    return f"{host}:{peer[1]}"


class _Waiting:
    """An accepted connection that owes its token."""

    __slots__ = ("peer_text", "token")

    def __init__(self, peer_text, token):
        self.peer_text = peer_text
        self.token = token


class AcceptLoop:
    """Runs on the server's accept thread until `stopping` is set; survives
    every failure: accept() running out of descriptors or buffers (EMFILE,
    ENFILE, ENOBUFS, ENOMEM, ...) and threads that cannot start wait out a
    bounded backoff, with one warning per episode (AcceptTrouble)."""

    # How long the loop sleeps when nothing happens: a stop is noticed
    # within it.
    IDLE_WAIT = 0.1
    # Connections accepted in a row before the waiting ones are read again:
    # fewer wake-ups under a flood, and a waiting token holder gets a last
    # look before it could be closed (_drop_oldest), so a burst cannot push
    # it out.
    ACCEPT_BURST = 32

    def __init__(self, listener, budget, pre_auth, authenticator, stopping, serving, start,
                 refuse):
        """`budget`: the ConnectionBudget; `pre_auth`: the PreAuthBudget, and
        `authenticator` the TokenAuthenticator, or both None (no token);
        `serving()`: how many connections have a thread; `start(sock,
        peer_text)` gives an admitted connection its thread and returns None,
        or why it could not; `refuse(peer_text, reason)` logs a refusal."""
        self._listener = listener
        self._budget = budget
        self._pre_auth = pre_auth
        self._authenticator = authenticator
        self._stopping = stopping
        self._serving = serving
        self._start = start
        self._refuse = refuse
        self._trouble = AcceptTrouble()
        self._selector = selectors.DefaultSelector()
        self._waiting = {}  # socket -> _Waiting, oldest first

    def run(self):
        self._listener.setblocking(False)
        if self._authenticator is not None:
            self._listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT,
                                      DEFER_ACCEPT_S)
        self._selector.register(self._listener, selectors.EVENT_READ)
        try:
            while not self._stopping.is_set():
                try:
                    self._step()
                except Exception:  # a bug; accepting must go on regardless
                    ue.log_error(f"rpc accept loop:\n{traceback.format_exc()}")
                    self._stopping.wait(self.IDLE_WAIT)
        finally:
            self._close_all_waiting()
            self._selector.close()

    def _step(self):
        listener_ready = False
        for key, _ in self._selector.select(self._wait_time()):
            if key.fileobj is self._listener:
                listener_ready = True
            else:
                self._read_token(key.fileobj)
        self._close_overdue()
        if self._pre_auth is not None:
            self._pre_auth.settle()
        if listener_ready:
            for _ in range(self.ACCEPT_BURST):
                if self._stopping.is_set() or not self._accept():
                    break

    def _wait_time(self):
        if not self._waiting:
            return self.IDLE_WAIT
        oldest = next(iter(self._waiting.values()))
        return max(0.0, min(self.IDLE_WAIT, oldest.token.deadline_at - time.monotonic()))

    def _accept(self):
        """Accepts one connection and admits, refuses or keeps it waiting.
        False when there was none to accept (or accept() failed)."""
        try:
            sock, peer = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            if not self._stopping.is_set():
                self._stopping.wait(self._trouble.failed(f"accept() failed: {exc}"))
            return False
        try:
            peer_text = accepted_peer_text(sock, peer)
            if sock.family == socket.AF_UNIX:
                refused = self._other_user(sock)
                if refused is not None:
                    self._refuse(peer_text, refused)
                    sock.close()
                    return True
            else:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as exc:  # the peer reset before it was served
            sock.close()
            ue.log(f"connection from {peer} closed before it was served: {exc}")
            return True
        if self._authenticator is None:
            self._admit_within_cap(sock, peer_text)
        else:
            self._check_token(sock, peer_text)
        return True

    @staticmethod
    def _other_user(sock):
        """None if the Unix-socket peer runs as the engine's user, else why
        it is refused."""
        try:
            refused, _ = same_user_peer(sock)
        except OSError as exc:
            return f"cannot tell which user connected: {exc.strerror}"
        return refused

    def _check_token(self, sock, peer_text):
        """A client sends its token right after connecting, so it is here at
        accept (DEFER_ACCEPT_S): such a connection is admitted without taking
        a place among the waiting ones at all."""
        sock.setblocking(False)
        waiting = _Waiting(peer_text, self._authenticator.expect_from(sock, time.monotonic()))
        try:
            complete = waiting.token.read()
        except AuthenticationError as exc:
            self._refuse_unadmitted(peer_text, str(exc))
            sock.close()
            return
        if complete:
            self._admit_within_cap(sock, peer_text)
            return
        if not waiting.token.received:  # held back by the kernel that long already
            waiting.token.deadline_at -= DEFER_ACCEPT_S
        if self._make_room(peer_text, waits=True):
            self._waiting[sock] = waiting
            self._selector.register(sock, selectors.EVENT_READ)
        else:
            sock.close()

    def _admit_within_cap(self, sock, peer_text):
        if self._make_room(peer_text, waits=False):
            self._admit(sock, peer_text)
        else:
            sock.close()

    def _at_cap(self):
        return self._serving() + len(self._waiting) >= self._budget.cap > 0

    def _make_room(self, peer_text, waits):
        """Room for one more connection under the cap and, when it `waits`
        for its token, under the pre-auth budget, made by closing the oldest
        waiting connections; False when served connections hold the whole
        cap (the newcomer is refused)."""
        while self._waiting and (self._at_cap()
                                 or (waits and self._pre_auth.full(len(self._waiting)))):
            self._drop_oldest()
        if self._at_cap():
            self._trouble.refused_at_cap(peer_text, self._budget.cap)
            return False
        return True

    def _drop_oldest(self):
        """The oldest waiting connection leaves: admitted if its token has
        come since it was last read (a last look, so that a token holder
        accepted in a burst is never closed for one that came after it),
        else closed."""
        sock, waiting = next(iter(self._waiting.items()))
        if not self._read_token(sock):
            self._pre_auth.closed_oldest(waiting.peer_text, len(self._waiting))
            self._forget(sock)

    def _read_token(self, sock):
        """Reads what has come of a waiting connection's token; admits or
        refuses it once the token is whole or wrong. Whether it is no longer
        waiting."""
        waiting = self._waiting.get(sock)
        if waiting is None:
            return True
        try:
            if not waiting.token.read():
                return False
        except AuthenticationError as exc:
            self._refuse_unadmitted(waiting.peer_text, str(exc))
            self._forget(sock)
            return True
        self._selector.unregister(sock)
        del self._waiting[sock]
        self._admit(sock, waiting.peer_text)
        return True

    def _close_overdue(self):
        now = time.monotonic()
        while self._waiting:
            sock, waiting = next(iter(self._waiting.items()))
            if waiting.token.deadline_at > now:
                return
            self._refuse_unadmitted(waiting.peer_text, waiting.token.overdue())
            self._forget(sock)

    def _refuse_unadmitted(self, peer_text, reason):
        """A connection without the token is refused: one warning each,
        except while waiting connections are being closed to make room
        (a flood), when the episode counts them."""
        if not self._pre_auth.counted(reason):
            self._refuse(peer_text, reason)

    def _forget(self, sock):
        """Closes a waiting connection."""
        del self._waiting[sock]
        self._selector.unregister(sock)
        sock.close()

    def _close_all_waiting(self):
        count = len(self._waiting)
        for sock in list(self._waiting):
            self._forget(sock)
        if count:
            ue.log(f"closed {count} connections still owing their auth token: the server "
                   "is stopping")

    def _admit(self, sock, peer_text):
        sock.setblocking(True)  # its thread reads and writes as RPyC does
        why_not = self._start(sock, peer_text)
        if why_not is None:
            self._trouble.recovered()
            return
        sock.close()
        self._stopping.wait(self._trouble.failed(why_not))
