"""Where the RPC server listens: TcpListener (an address given on the
command line) and UnixSocketListener (PfU 2.x's socket by default), each
bound with the checks it needs before any client can reach it.

Separate from server.py because binding is all about the operating system
and its ways to fail (an address in use, a non-loopback address, socket files
another user could turn against the engine), and none of it concerns the
connections that come later. Both classes answer the same three things the
server asks: `socket` (to accept on), `address` (as the engine prints it),
and close() then release() when the server stops."""

import errno
import getpass
import ipaddress
import os
import socket
import tempfile

import unreal_engine as ue

from .admission import LISTEN_BACKLOG
from .socket_files import SocketFileError, UnixSocketFiles


class ServerStartError(RuntimeError):
    """The server could not listen; the message says where and why."""


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def pfu_socket_path():
    """Where PfU 2.x's server listens and its clients connect
    (unity_python/server/settings.py): decided by TMPDIR and the user."""
    return os.path.join(tempfile.gettempdir(),
                        "com.unity.scripting.python-" + getpass.getuser() + ".socket")


# How long an accept() on a listener may block until AcceptLoop makes it
# non-blocking (admission.py).
_ACCEPT_TIMEOUT_S = 0.2


class TcpListener:
    """A listening TCP socket. A host that is not loopback is refused unless
    `allow_remote`: whoever reaches the port can run any code in the engine
    through `execute` (SECURITY.md). ServerStartError when it cannot bind."""

    def __init__(self, host, port, allow_remote):
        if not is_loopback(host):
            if not allow_remote:
                raise ServerStartError(
                    f"refusing to listen on {host}: not a loopback address, and whoever reaches "
                    "this port can run any code in the engine (--allow-remote allows it)")
            ue.log_warning(f"listening on non-loopback address {host}: anyone who can reach "
                           "it can run code in this engine")
        listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                                 socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((host, port))
        except OSError as exc:
            listener.close()
            if exc.errno == errno.EADDRINUSE:
                raise ServerStartError(
                    f"{host}:{port} is already in use: another engine (or editor) is serving it; "
                    "only one server per port") from None
            raise ServerStartError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        listener.listen(LISTEN_BACKLOG)
        listener.settimeout(_ACCEPT_TIMEOUT_S)
        self.socket = listener
        bound_host, self.port = listener.getsockname()[:2]
        self.address = f"tcp://{bound_host}:{self.port}"

    def close(self):
        self.socket.close()

    def release(self):
        """A TCP listener leaves nothing behind once closed."""


class UnixSocketListener:
    """A listening Unix socket at `path`, mode 0600, holding PfU's lock on
    PATH.lock, so that an engine and a real PfU server (or two engines) on
    one socket path exclude each other; the files are made and removed so
    that another user cannot turn them against the engine (socket_files.py).
    ServerStartError when it cannot claim or bind the path."""

    def __init__(self, path):
        files = UnixSocketFiles(path)
        try:
            files.claim()
        except SocketFileError as exc:
            raise ServerStartError(str(exc)) from None
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Bound with no permission for anyone else from the start: a chmod
        # after bind() would leave a moment in which others could connect.
        old_umask = os.umask(0o177)
        try:
            listener.bind(path)
        except OSError as exc:
            listener.close()
            files.release()
            raise ServerStartError(f"cannot listen on {path}: {exc.strerror}") from None
        finally:
            os.umask(old_umask)
        files.bound()
        os.chmod(path, 0o600)
        listener.listen(128)
        listener.settimeout(_ACCEPT_TIMEOUT_S)
        self.socket = listener
        self.address = f"unix://{path}"
        self._files = files

    def close(self):
        """Stops accepting; the socket file and the lock stay until
        release(), so that no other server takes the path while this one is
        still closing its connections."""
        self.socket.close()

    def release(self):
        self._files.release()
