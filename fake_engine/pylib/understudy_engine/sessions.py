"""ClientSessions: the connections the RPC server serves, each on a thread
of its own from admission to close, and ClientInfo, what the server knows of
each connection's client.

A session wraps the admitted socket in a BoundedChannel (channel.py), speaks
RPyC over it (EngineConnection), learns the client's name
(name_registration.py) and, when the connection ends, takes the client out
of the registry and the wait-for graph and says in the console why it went.
Separate from server.py, which only starts and stops: the lookups the call
paths and the deadlock reports make (node_of, info_of, info_of_node) and the
accept loop's count of open connections go through here, under one lock."""

import itertools
import threading
import time

from rpyc.core.stream import SocketStream
import unreal_engine as ue

from .channel import BoundedChannel
from .connection import EngineConnection
from .name_registration import NameRegistration
from .service import EngineService


def log_refusal(peer_text, reason):
    """How every refusal of a peer reads in the console (SECURITY.md), from
    the accept loop and the channels alike."""
    ue.log_warning(f"closing connection from {peer_text}: {reason}")


class ClientInfo:
    """One connection's client. `registration` is "asking" until
    client_name() is answered, then "named" or "nameless", and "closed" once
    the connection has ended; each change is made under the info's lock,
    because the answer and the close come on different threads."""

    __slots__ = ("_lock", "asked_name_at", "conn_id", "name", "node", "nodes", "peer",
                 "registration", "socket", "thread")

    def __init__(self, conn_id, peer, sock):
        self._lock = threading.Lock()
        self.conn_id = conn_id
        self.peer = peer
        self.socket = sock
        self.thread = threading.current_thread().name
        self.nodes = []  # every wait-for node this connection has been, to forget at the end
        self.registration = "asking"
        self.asked_name_at = time.monotonic()
        self._set_name(None)

    def named(self, name, register):
        """The client answered `name`: `register()` enters it in the registry
        with the change, under the lock, so that a disconnect (close()) sees
        either a client still asking, or one already registered that it
        removes, never one about to be registered after it left. False if it
        is no longer asking (it disconnected meanwhile)."""
        with self._lock:
            if self.registration != "asking":
                return False
            self._set_name(str(name))
            self.registration = "named"
            register()
            return True

    def nameless(self):
        """The client gave no name; False if it is no longer asking."""
        with self._lock:
            if self.registration != "asking":
                return False
            self.registration = "nameless"
            return True

    def close(self):
        """The registration as it was when the connection ended."""
        with self._lock:
            registration, self.registration = self.registration, "closed"
            return registration

    def _set_name(self, name):
        self.name = name
        self.node = f"client:{name or 'anonymous'}#{self.conn_id}"
        self.nodes.append(self.node)


class ClientSessions:
    """Thread-safe. The threads of ended sessions are forgotten when the
    accept loop counts the open ones (open_count)."""

    def __init__(self, server, rpyc_config, stopping):
        """`server`: the RpcServer, which each EngineConnection calls back
        (its hooks), and whose settings, registry, deadlock monitor and
        current FrameBudget the sessions use; `stopping`: set while the
        server stops, when the connections it closes are not logged one by
        one."""
        self._server = server
        self._config = rpyc_config
        self._stopping = stopping
        self._registration = NameRegistration(server.registry, server.settings)
        self._lock = threading.Lock()
        self._clients = {}  # connection -> ClientInfo
        self._threads = []
        self._conn_ids = itertools.count(1)

    def start(self, sock, peer_text):
        """Gives an admitted connection its thread (AcceptLoop's `start`):
        None once the thread runs, else why it could not."""
        conn_id = next(self._conn_ids)
        thread = threading.Thread(target=self._serve, args=(sock, peer_text, conn_id),
                                  name=f"rpc-conn-{conn_id}", daemon=True)
        with self._lock:
            self._threads.append(thread)
        try:
            thread.start()
            return None
        except RuntimeError as exc:  # "can't start new thread"
            with self._lock:
                self._threads.remove(thread)
            return (f"cannot start a thread for a new connection ({exc}); such connections are "
                    "closed")

    def open_count(self):
        """Connections whose threads are still serving; forgets the threads
        that have ended."""
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            return len(self._threads)

    def node_of(self, conn):
        """The client's name in the wait-for graph: client:NAME#CONNECTION."""
        info = self._clients.get(conn)
        return info.node if info is not None else "client:?"

    def info_of(self, conn):
        return self._clients.get(conn)

    def info_of_node(self, node):
        """The ClientInfo of the client that is wait-for node `node`, or None."""
        with self._lock:
            return next((info for info in self._clients.values() if info.node == node), None)

    def connections_and_threads(self):
        """The connections and the session threads there are now (copies),
        for a server that stops to close and join."""
        with self._lock:
            return list(self._clients), list(self._threads)

    def _serve(self, sock, peer_text, conn_id):
        """The session's thread: serves the connection until it ends, then
        forgets its client. One failing session logs and ends alone."""
        server = self._server
        info = ClientInfo(conn_id, peer_text, sock)
        channel = BoundedChannel(SocketStream(sock), peer_text, server.settings["max_frame_bytes"],
                                 server.settings["frame_deadline"], log_refusal,
                                 faithful=bool(server.faithful), budget=server.frame_budget)
        try:
            conn = EngineConnection(EngineService(lambda: info.name), channel, self._config,
                                    hooks=server)
        except Exception as exc:
            ue.log_warning(f"rpc connection {conn_id} from {peer_text} failed to start: {exc!r}")
            sock.close()
            return
        with self._lock:
            self._clients[conn] = info
        try:
            if server.faithful == "pfu":
                if not self._registration.before_serving(conn, info):
                    return
            else:
                self._registration.ask(conn, info)
            conn.serve_all()
        except Exception as exc:
            ue.log_warning(f"rpc connection to {self.node_of(conn)} from {peer_text} closed on "
                           f"an error: {exc!r}")
        finally:
            self._end(conn, info)

    def _end(self, conn, info):
        registration = info.close()
        if registration == "named":
            self._server.registry.remove(info.name, conn)
        for node in info.nodes:
            self._server.monitor.forget(node)
        with self._lock:
            self._clients.pop(conn, None)
        conn.close()
        if not self._stopping.is_set():
            ue.log(_disconnect_text(info, conn, registration))


def _disconnect_text(info, conn, registration):
    where = f"({info.peer}, connection {info.conn_id})"
    if info.name is not None:
        return f"client {info.name!r} disconnected {where}"
    if registration == "asking" and conn._channel.rejection is None:
        return (f"unnamed client disconnected {where} without answering client_name(), "
                f"asked {time.monotonic() - info.asked_name_at:.1f} s before: it never "
                "served its connection while connected")
    return f"unnamed client disconnected {where}"
