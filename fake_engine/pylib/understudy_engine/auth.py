"""Who may talk to the engine's server beyond "whoever reaches the socket".

TokenAuthenticator: a shared secret. A TCP client first sends the secret and
a newline, then speaks RPyC. The check raises RPyC's AuthenticationError, as
an RPyC authenticator does, but reads without blocking (PendingToken), so
that connections still owing their token cost the engine a descriptor, not
a thread (admission.py keeps them). understudy_client sends the token when
UNDERSTUDY_AUTH_TOKEN_FILE names the file; a plain RPyC client must write it
itself before speaking RPyC.

same_user_peer: for the Unix socket, the kernel's word (SO_PEERCRED) on which
user connected. The socket file is mode 0600 already; this still refuses
another user if the mode were loosened."""

import hmac
import os
import stat
import struct

from rpyc.utils.authenticators import AuthenticationError

from .peer_lookup import unix_peer_credentials


class TokenFileError(RuntimeError):
    """The token file cannot be used; the message says which and why."""


def read_token_file(path):
    """The secret in `path` (surrounding whitespace removed), as bytes.
    Returns (token, warning): warning is text when the file is readable by
    other users, else None."""
    try:
        with open(path, "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            token = f.read().strip()
    except OSError as exc:
        raise TokenFileError(f"cannot read the auth token file {path}: {exc.strerror}") from None
    if not token:
        raise TokenFileError(f"the auth token file {path} is empty")
    if b"\n" in token:
        raise TokenFileError(f"the auth token file {path} holds more than one line")
    warning = None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warning = (f"the auth token file {path} is readable by other users "
                   f"(mode {stat.S_IMODE(mode):04o}); chmod 600 it")
    return token, warning


class TokenAuthenticator:
    """The shared secret every TCP client sends first, checked without a
    thread per connection: expect_from() gives a PendingToken, which the
    accept loop feeds as bytes arrive."""

    def __init__(self, token, deadline):
        """`token`: bytes; `deadline`: seconds a client has to send it."""
        self._expected = token + b"\n"
        self.deadline = deadline

    def expect_from(self, sock, now):
        """A PendingToken for `sock`, accepted at monotonic time `now`."""
        return PendingToken(self._expected, sock, now + self.deadline, self.deadline)


class PendingToken:
    """A connection that owes the token: `sock` is non-blocking, read()
    takes what has arrived. Never reads past the token: what follows is the
    client's first RPyC frame, which its connection's thread reads."""

    __slots__ = ("_data", "_deadline", "_expected", "deadline_at", "sock")

    def __init__(self, expected, sock, deadline_at, deadline):
        self._expected = expected
        self._data = b""
        self._deadline = deadline
        self.sock = sock
        self.deadline_at = deadline_at

    @property
    def received(self):
        """How many bytes of it have come."""
        return len(self._data)

    def read(self):
        """True once the whole token has arrived and is right; False while
        more of it is owed; AuthenticationError when it is wrong or the peer
        closed or failed first."""
        while True:
            try:
                chunk = self.sock.recv(len(self._expected) - len(self._data))
            except (BlockingIOError, InterruptedError):
                return False
            except OSError as exc:
                raise AuthenticationError(f"connection failed before its auth token: "
                                          f"{exc.strerror}") from None
            if not chunk:
                raise AuthenticationError("connection closed before sending an auth token"
                                          if not self._data else "connection closed mid-token")
            self._data += chunk
            # A newline ends a wrong, shorter token early.
            if len(self._data) == len(self._expected) or b"\n" in self._data:
                if not hmac.compare_digest(self._data, self._expected):
                    raise AuthenticationError(_why_wrong(self._data))
                return True

    def overdue(self):
        """Why the token is late, for a connection past its deadline."""
        what = "no auth token" if not self._data else "an incomplete auth token"
        return f"{what} within {self._deadline:g} s"


def _why_wrong(received):
    # A client without the token starts with an RPyC frame header
    # (!LB: a length, then the compressed flag 0 or 1).
    if len(received) >= 5 and received[4] in (0, 1):
        length = struct.unpack("!L", received[:4])[0]
        if length < (1 << 20):
            return "sent an RPyC frame instead of the auth token (a client without the token)"
    return "wrong auth token"


def same_user_peer(sock):
    """(None, (pid, uid)) if the process at the other end of Unix socket
    `sock` runs as this process's user, else (why it is refused, (pid, uid))."""
    pid, uid = unix_peer_credentials(sock)
    own = os.geteuid()
    if uid != own:
        return f"uid {uid} is not the engine's user (uid {own})", (pid, uid)
    return None, (pid, uid)
