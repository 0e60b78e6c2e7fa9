"""Who may talk to the engine's server beyond "whoever reaches the socket".

TokenAuthenticator: an RPyC authenticator (called with the accepted socket,
returns `(socket, credentials)` or raises AuthenticationError, as
rpyc.utils.server.Server calls one) for a shared secret. A TCP client first
sends the secret and a newline, then speaks RPyC. understudy_client sends it
when UNDERSTUDY_AUTH_TOKEN_FILE names the file; plain RPyC clients cannot.

same_user_peer: for the Unix socket, the kernel's word (SO_PEERCRED) on which
user connected. The socket file is mode 0600 already; this still refuses
another user if the mode were loosened."""

import hmac
import os
import select
import socket
import stat
import struct
import time

from rpyc.utils.authenticators import AuthenticationError


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
    # A client still sending its token when the server stops is dropped
    # within this, so that stopping does not wait for the deadline.
    STOP_CHECK_INTERVAL = 0.1

    def __init__(self, token, deadline, stopping=None):
        """`token`: bytes; `deadline`: seconds a client has to send it;
        `stopping`: a threading.Event set when the server stops."""
        self._expected = token + b"\n"
        self.deadline = deadline
        self._stopping = stopping

    def __call__(self, sock):
        received = self._read(sock, len(self._expected))
        if not hmac.compare_digest(received, self._expected):
            raise AuthenticationError(self._why_wrong(received))
        return sock, None

    def _read(self, sock, count):
        """Up to `count` bytes, fewer when a newline ends them early (a wrong,
        shorter token); never more: what follows is the client's first RPyC
        frame."""
        deadline = time.monotonic() + self.deadline
        data = b""
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN)
        while len(data) < count:
            if self._stopping is not None and self._stopping.is_set():
                raise AuthenticationError("the server is stopping")
            left = deadline - time.monotonic()
            if left <= 0:
                what = "no auth token" if not data else "an incomplete auth token"
                raise AuthenticationError(f"{what} within {self.deadline:g} s")
            if not poller.poll(max(1, int(min(left, self.STOP_CHECK_INTERVAL) * 1000))):
                continue
            try:
                chunk = sock.recv(count - len(data))
            except OSError as exc:
                raise AuthenticationError(f"connection failed before its auth token: "
                                          f"{exc.strerror}") from None
            if not chunk:
                raise AuthenticationError("connection closed before sending an auth token"
                                          if not data else "connection closed mid-token")
            data += chunk
            if b"\n" in data:
                break
        return data

    @staticmethod
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
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    own = os.geteuid()
    if uid != own:
        return f"uid {uid} is not the engine's user (uid {own})", (pid, uid)
    return None, (pid, uid)
