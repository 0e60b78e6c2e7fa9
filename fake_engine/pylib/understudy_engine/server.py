"""RpcServer: the RPyC server inside the engine, as Unity's out-of-process
API runs it: one thread accepts (admission.py), each admitted connection
gets a thread that serves that client. On connect, the connection's thread
asks the client for its client_name() before serving it, and registers it.

By default it listens where PfU 2.x's clients look for it: the Unix socket
`com.unity.scripting.python-USER.socket` in tempfile.gettempdir() (so
TMPDIR decides), mode 0600, with PfU's lock file next to it so that only one
server per user (per TMPDIR) runs. --socket PATH picks another path; TCP
(127.0.0.1:18861, --port, --host, --tcp) is on request. Binding to an
address that is not loopback is refused unless allow_remote is set: whoever
reaches this port can run arbitrary code in the engine through `execute`.

One peer cannot take the server down (SECURITY.md): its frames are bounded in
size and time (channel.py), a message it garbles closes its connection only,
a Unix-socket peer of another user is refused (SO_PEERCRED), and with a token
file every TCP client must first send the token (auth.py), connections still
owing it held within a smaller budget than the rest (admission.py). Each
refusal is a console warning "closing connection from PEER: REASON"."""

import builtins
import errno
import getpass
import ipaddress
import itertools
import json
import os
import socket
import struct
import sys
import tempfile
import threading
import time

import rpyc
from rpyc.core.stream import SocketStream

import _understudy_engine as native
import unreal_engine as ue

from .admission import LISTEN_BACKLOG, AcceptLoop
from .auth import TokenAuthenticator, TokenFileError, read_token_file
from .channel import BoundedChannel
from .connection import EngineConnection
from . import outbox
from .frame_budget import FrameBudget
from .limits import ConnectionBudget, PreAuthBudget
from .service import EngineService
from .socket_files import SocketFileError, UnixSocketFiles


class ServerStartError(RuntimeError):
    """The server could not listen; the message says where and why."""


class _ClientInfo:
    __slots__ = ("asked_name_at", "conn_id", "name", "node", "nodes", "peer", "registration",
                 "socket", "thread")

    def __init__(self, conn_id, peer, sock):
        self.conn_id = conn_id
        self.peer = peer
        self.socket = sock
        self.thread = threading.current_thread().name
        self.nodes = []  # every wait-for node this connection has been, to forget at the end
        # "asking" until client_name() is answered, then "named" or "nameless"
        self.registration = "asking"
        self.asked_name_at = time.monotonic()
        self.set_name(None)

    def set_name(self, name):
        self.name = name
        self.node = f"client:{name or 'anonymous'}#{self.conn_id}"
        self.nodes.append(self.node)


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


# The namespace the harness's control channel runs code in: shared, so that a
# scenario's python steps see each other's names. A reload starts a new one.
# (Clients' `execute` gets a new namespace per call, as in PfU.)
engine_globals = {"__name__": "__understudy__", "__builtins__": builtins}


class RpcServer:
    # Seconds a client has to answer on_server_shutdown, as PfU's close_server
    # gives it; the server waits for the answers at most this long.
    SHUTDOWN_NOTICE_EXPIRY = 0.5

    def __init__(self, settings, monitor, registry):
        self.settings = settings
        self.monitor = monitor
        self.registry = registry
        # None, or what --faithful reproduces: "pfu" (PfU 2.x and its RPyC
        # 4.0.2) or "rpyc5" (the same server on stock RPyC 5.x).
        self.faithful = settings["faithful"]
        self.engine_globals = engine_globals
        self._config = {
            "allow_public_attrs": settings["allow_public_attrs"],
            "allow_setattr": settings["allow_setattr"],
            "allow_pickle": settings["allow_pickle"],
            "sync_request_timeout": settings["call_timeout"],
            "logger": None,
        }
        self._listener = None
        self._socket_files = None  # UnixSocketFiles while listening on a Unix socket
        self._accept_thread = None
        self._stopping = threading.Event()
        self._clients = {}  # connection -> _ClientInfo
        self._threads = []
        self._clients_lock = threading.Lock()
        self._conn_ids = itertools.count(1)
        self._authenticator = None
        self.budget = None  # the ConnectionBudget of the current start
        self.frame_budget = None  # FrameBudget: frames being received, on all connections
        self.message_bounds = (0, 0)  # objects and depth a message may decode to; 0: any
        self.pre_auth = None  # its PreAuthBudget, with a token
        self.address = None
        # How many synchronous client calls the main thread is waiting in
        # (nested calls count each); written by the main thread only.
        self.main_thread_sync_calls = 0

    # --- hooks used by EngineConnection and the call paths ---

    def node_of(self, conn):
        """The client's name in the wait-for graph: client:NAME#CONNECTION."""
        info = self._clients.get(conn)
        return info.node if info is not None else "client:?"

    def info_of(self, conn):
        return self._clients.get(conn)

    def pid_of_node(self, node):
        """The client process behind a wait-for node, so that a harness can
        ask it for its stack; None when unknown."""
        with self._clients_lock:
            infos = [info for info in self._clients.values() if info.node == node]
        return peer_pid(infos[0]) if infos else None

    # --- lifecycle ---

    def start(self):
        """Main thread. Listens and starts accepting; ServerStartError if it cannot."""
        if self._listener is not None:
            raise ServerStartError(f"the rpc server is already listening on {self.address}")
        self._stopping.clear()
        if self.settings.get("tcp") and not self.settings["socket"]:
            self._authenticator = self._token_authenticator()
            self._listen_tcp(self.settings["host"], self.settings["port"])
        else:
            self._listen_unix(self.socket_path())
        # Read at every start, so that a reload sees the limits as they are.
        self.budget = ConnectionBudget(self.settings["max_connections"])
        self.frame_budget = FrameBudget(self.settings["max_buffered_bytes"])
        self.message_bounds = (self.settings["max_message_objects"],
                               self.settings["max_message_depth"])
        self.budget.announce()
        self.pre_auth = PreAuthBudget(self.budget.cap) if self._authenticator else None
        if self.pre_auth is not None:
            self.pre_auth.announce()
        self._accept_thread = threading.Thread(target=self._accept_loop, name="rpc-accept",
                                               daemon=True)
        self._accept_thread.start()
        self.monitor.start()
        # The one machine-readable line on the process's real stdout (sys.stdout
        # is the console) that tells a harness where to connect.
        print(json.dumps({"understudy": "listening", "rpc": self.address, "pid": os.getpid()}),
              file=sys.__stdout__, flush=True)
        ue.log(f"rpc server listening on {self.address}")

    def running(self):
        return self._listener is not None

    def socket_path(self):
        """The Unix socket this server listens on (or would): --socket, else
        PfU's path."""
        return self.settings["socket"] or pfu_socket_path()

    def _token_authenticator(self):
        """Read at every start, so that a reload picks up a new token."""
        path = self.settings.get("auth_token_file")
        if not path:
            return None
        try:
            token, warning = read_token_file(path)
        except TokenFileError as exc:
            raise ServerStartError(str(exc)) from None
        if warning:
            ue.log_warning(warning)
        return TokenAuthenticator(token, self.settings["frame_deadline"] or 10.0)

    def _listen_tcp(self, host, port):
        if not is_loopback(host):
            if not self.settings["allow_remote"]:
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
        listener.settimeout(0.2)
        self._listener = listener
        bound_host, bound_port = listener.getsockname()[:2]
        self.address = f"tcp://{bound_host}:{bound_port}"
        # A port picked by the system (--port 0) is kept across reloads, so
        # that clients reconnect to where they were.
        self.settings["port"] = native.settings["port"] = bound_port

    def _listen_unix(self, path):
        # PfU's lock on PATH.lock, so that an engine and a real PfU server (or
        # two engines) on one socket path exclude each other; the files are
        # made and removed so that another user cannot turn them against the
        # engine (socket_files.py).
        files = UnixSocketFiles(path)
        try:
            files.claim()
        except SocketFileError as exc:
            raise ServerStartError(str(exc)) from None
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
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
        listener.settimeout(0.2)
        self._listener = listener
        self._socket_files = files
        self.address = f"unix://{path}"

    def _accept_loop(self):
        AcceptLoop(self._listener, self.budget, self.pre_auth, self._authenticator,
                   self._stopping, self._open_connections, self._start_connection_thread,
                   self._refuse).run()

    def _start_connection_thread(self, sock, peer_text):
        """None once the admitted connection's thread runs, else why not."""
        conn_id = next(self._conn_ids)
        thread = threading.Thread(target=self._serve_client, args=(sock, peer_text, conn_id),
                                  name=f"rpc-conn-{conn_id}", daemon=True)
        with self._clients_lock:
            self._threads.append(thread)
        try:
            thread.start()
            return None
        except RuntimeError as exc:  # "can't start new thread"
            with self._clients_lock:
                self._threads.remove(thread)
            return (f"cannot start a thread for a new connection ({exc}); such connections are "
                    "closed")

    def _open_connections(self):
        """Connections whose threads are still serving; forgets the threads
        that have ended."""
        with self._clients_lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            return len(self._threads)

    @staticmethod
    def _refuse(peer_text, reason):
        ue.log_warning(f"closing connection from {peer_text}: {reason}")

    def _serve_client(self, sock, peer_text, conn_id):
        """The thread of an admitted connection (admission.py)."""
        info = _ClientInfo(conn_id, peer_text, sock)
        channel = BoundedChannel(SocketStream(sock), peer_text, self.settings["max_frame_bytes"],
                                 self.settings["frame_deadline"], self._refuse,
                                 faithful=bool(self.faithful), budget=self.frame_budget)
        try:
            conn = EngineConnection(EngineService(lambda: info.name), channel, self._config,
                                    hooks=self)
        except Exception as exc:
            ue.log_warning(f"rpc connection {conn_id} from {peer_text} failed to start: {exc!r}")
            sock.close()
            return
        with self._clients_lock:
            self._clients[conn] = info
        try:
            if self.faithful == "pfu":
                if not self._register_before_serving(conn, info):
                    return
            else:
                self._ask_name(conn, info)
            conn.serve_all()
        except Exception as exc:
            ue.log_warning(f"rpc connection to {self.node_of(conn)} from {peer_text} closed on "
                           f"an error: {exc!r}")
        finally:
            with self._clients_lock:
                registration, info.registration = info.registration, "closed"
            if registration == "named":
                self.registry.remove(info.name, conn)
            for node in info.nodes:
                self.monitor.forget(node)
            with self._clients_lock:
                self._clients.pop(conn, None)
            conn.close()
            if not self._stopping.is_set():
                ue.log(self._disconnect_text(info, conn, registration))

    def _disconnect_text(self, info, conn, registration):
        where = f"({info.peer}, connection {info.conn_id})"
        if info.name is not None:
            return f"client {info.name!r} disconnected {where}"
        if registration == "asking" and conn._channel.rejection is None:
            return (f"unnamed client disconnected {where} without answering client_name(), "
                    f"asked {time.monotonic() - info.asked_name_at:.1f} s before: it never "
                    "served its connection while connected")
        return f"unnamed client disconnected {where}"

    def _ask_name(self, conn, info):
        """Asks the client its name without waiting for the answer: the
        question is one more request on the connection, answered whenever
        the client serves it (a plain RPyC client serves only while it waits
        for a reply of its own), and this thread serves the client
        meanwhile. So registration does not depend on the client being busy
        or idle: one quiet for longer than --call-timeout after connecting
        stays connected and is registered once it answers."""

        def got_root(result):
            if result.error:
                return self._name_failed(info, result._obj)
            conn._remote_root = result.value
            conn.async_request(rpyc.core.consts.HANDLE_CALLATTR, result.value, "client_name",
                               (), ()).add_callback(guarded(got_name))

        def got_name(result):
            if result.error:
                return self._name_failed(info, result._obj)
            self._name_answered(conn, info, result.value)

        def guarded(callback):
            # Runs on whichever thread read the reply; an error here must
            # not end that thread's serving.
            def run(result):
                try:
                    callback(result)
                except Exception as exc:
                    self._name_failed(info, exc)
            return run

        conn.async_request(rpyc.core.consts.HANDLE_GETROOT).add_callback(guarded(got_root))

    def _name_answered(self, conn, info, name):
        waited = time.monotonic() - info.asked_name_at
        with self._clients_lock:
            if info.registration != "asking":
                return  # it disconnected meanwhile
            info.set_name(str(name))
            info.registration = "named"
        self.registry.add(info.name, conn)
        late = "" if waited < 1.0 else \
            f"; it answered client_name() {waited:.1f} s after connecting"
        ue.log(f"client {info.name!r} connected from {info.peer} (connection {info.conn_id}{late})")

    def _name_failed(self, info, exc):
        with self._clients_lock:
            if info.registration != "asking":
                return
            info.registration = "nameless"
        if isinstance(exc, AttributeError):
            ue.log(f"client from {info.peer} (connection {info.conn_id}) has no client_name(); "
                   "it can call the engine but the engine cannot call it")
        elif not isinstance(exc, EOFError):  # a disconnect is logged when its thread ends
            ue.log_warning(f"client from {info.peer} (connection {info.conn_id}) answered "
                           f"client_name() with an error: {exc!r}; it can call the engine but "
                           "the engine cannot call it")

    def _register_before_serving(self, conn, info):
        """--faithful pfu: as PfU's UnityService.on_connect, the connection's
        thread asks the client its name synchronously before serving it, so
        a client that does not serve its connection within the call timeout
        (RPyC's sync_request_timeout) is closed. A client without
        client_name() stays connected but cannot be called by name."""
        try:
            name = conn.root.client_name()
        except AttributeError:
            info.registration = "nameless"
            ue.log(f"client from {info.peer} (connection {info.conn_id}) has no client_name(); "
                   "it can call the engine but the engine cannot call it")
            return True
        except rpyc.AsyncResultTimeout:
            info.registration = "nameless"
            ue.log_warning(f"closing connection from {info.peer}: it did not answer "
                           f"client_name() within the {self.settings['call_timeout']} s call "
                           "timeout (it is connected but not serving its connection; PfU's "
                           "server closes such a client too)")
            return False
        except (EOFError, OSError) as exc:
            if conn._channel.rejection is None:  # else the refusal was logged already
                ue.log_warning(f"client from {info.peer} disconnected before answering "
                               f"client_name(): {exc!r}")
            info.registration = "nameless"
            return False
        except Exception as exc:
            info.registration = "nameless"
            ue.log_warning(f"client from {info.peer} failed to register: {exc!r}; closing it")
            return False
        info.set_name(str(name))
        info.registration = "named"
        self.registry.add(info.name, conn)
        ue.log(f"client {info.name!r} connected from {info.peer} (connection {info.conn_id})")
        return True

    def stop(self, invite_retry, join_timeout=5.0):
        """Main thread. Tells every client the server is going away, closes
        the listener and the connections, and joins the connection threads
        while running the main-thread jobs they may be waiting for."""
        if self._listener is None:
            return
        self._stopping.set()
        try:
            self._listener.close()
        finally:
            self._listener = None
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=join_timeout)
        with self._clients_lock:
            conns = list(self._clients)
            threads = list(self._threads)
        notices = [n for n in (self._notify_shutdown(conn, invite_retry) for conn in conns) if n]
        self._await_shutdown_answers(notices)
        for conn in conns:
            try:
                conn.close()
            except Exception:
                pass
        deadline = time.monotonic() + join_timeout
        for thread in threads:
            while thread.is_alive() and time.monotonic() < deadline:
                native.drain_main_thread_queue()
                thread.join(timeout=0.01)
            if thread.is_alive():
                ue.log_error(f"rpc thread {thread.name} did not stop within {join_timeout} s")
        for writer in outbox.join_writers(max(0.0, deadline - time.monotonic())):
            ue.log_error(f"rpc writer {writer.name} did not stop within {join_timeout} s")
        self.registry.clear()
        self.monitor.stop()
        if self._socket_files is not None:
            self._socket_files.release()
            self._socket_files = None
        ue.log(f"rpc server on {self.address} stopped")

    def _notify_shutdown(self, conn, invite_retry):
        """rpyc.async_(root.on_server_shutdown)(invite_retry) with PfU's
        expiry, in one message (no attribute lookup first: a busy client
        would hold the main thread up until it answered). The AsyncResult,
        or None when the client cannot take the notice."""
        if conn.closed or conn._remote_root is None:
            return None
        try:
            result = conn.async_request(rpyc.core.consts.HANDLE_CALLATTR, conn._remote_root,
                                        "on_server_shutdown", (invite_retry,), ())
            result.set_expiry(self.SHUTDOWN_NOTICE_EXPIRY)
            return result
        except Exception:
            return None  # a client that cannot take the notice is closed anyway

    def _await_shutdown_answers(self, notices):
        """As PfU's close_server: the clients get the expiry to answer (their
        connection threads read the answers); an answer that is an error
        other than the client going away is logged."""
        deadline = time.monotonic() + self.SHUTDOWN_NOTICE_EXPIRY
        while any(not (n._is_ready or n.expired) for n in notices) and \
                time.monotonic() < deadline:
            time.sleep(0.005)
        for notice in notices:
            if notice._is_ready and notice._is_exc and not isinstance(notice._obj, EOFError):
                ue.log_warning(f"a client answered on_server_shutdown with an error: "
                               f"{str(notice._obj).splitlines()[0] if str(notice._obj) else ''}"
                               f" ({type(notice._obj).__name__})")


def peer_pid(info):
    """The pid of the process on the other end of a client's socket, or None.
    Unix sockets say it themselves; for loopback TCP the socket's inode is
    looked up among this user's processes."""
    sock = info.socket
    try:
        if sock.family == socket.AF_UNIX:
            creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            return struct.unpack("3i", creds)[0]
        local_port = sock.getpeername()[1]
        inode = _tcp_inode(local_port, sock.getsockname()[1])
        return _pid_of_inode(inode) if inode else None
    except OSError:
        return None


def _tcp_inode(client_port, server_port):
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, remote, inode = fields[1], fields[2], fields[9]
                    if (int(local.rsplit(":", 1)[1], 16) == client_port
                            and int(remote.rsplit(":", 1)[1], 16) == server_port):
                        return inode
        except OSError:
            continue
    return None


def _pid_of_inode(inode):
    target = f"socket:[{inode}]"
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            fd_dir = f"/proc/{pid}/fd"
            for fd in os.listdir(fd_dir):
                if os.readlink(f"{fd_dir}/{fd}") == target:
                    return int(pid)
        except OSError:
            continue
    return None


