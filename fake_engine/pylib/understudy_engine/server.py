"""RpcServer: the RPyC server inside the engine, as Unity's out-of-process
API runs it: one thread accepts (admission.py), each admitted connection
gets a thread that serves that client (sessions.py). On connect, the
connection's thread asks the client for its client_name() and registers it
(name_registration.py).

By default it listens where PfU 2.x's clients look for it: the Unix socket
`com.unity.scripting.python-USER.socket` in tempfile.gettempdir() (so
TMPDIR decides), mode 0600, with PfU's lock file next to it so that only one
server per user (per TMPDIR) runs. --socket PATH picks another path; TCP
(127.0.0.1:18861, --port, --host, --tcp) is on request. Binding to an
address that is not loopback is refused unless allow_remote is set: whoever
reaches this port can run arbitrary code in the engine through `execute`
(listeners.py).

One peer cannot take the server down (SECURITY.md): its frames are bounded in
size and time (channel.py), a message it garbles closes its connection only,
a Unix-socket peer of another user is refused (SO_PEERCRED), and with a token
file every TCP client must first send the token (auth.py), connections still
owing it held within a smaller budget than the rest (admission.py). Each
refusal is a console warning "closing connection from PEER: REASON".

This module only wires those parts together and runs the server's life:
start (listen, set this start's limits, accept) and stop (notify the
clients, close, join)."""

import json
import os
import sys
import threading
import time

import _understudy_engine as native
import unreal_engine as ue

from . import outbox
from .admission import AcceptLoop
from .auth import TokenAuthenticator, TokenFileError, read_token_file
from .frame_budget import FrameBudget
from .limits import ConnectionBudget, PreAuthBudget
from .main_thread_reading import MainThreadReading
from .listeners import ServerStartError, TcpListener, UnixSocketListener, pfu_socket_path
from .peer_lookup import socket_peer_pid
from .sessions import ClientSessions, log_refusal
from .shutdown_notices import await_shutdown_answers, send_shutdown_notice

# The whole of a stop or reload, from the listener's close to the last thread
# joined, so that it fits in the harness's wait after SIGTERM
# (understudy_pytest's STOP_TIMEOUT) whatever a client or a task does. A
# thread still running at the deadline is named in an error, not waited for.
STOP_BUDGET_S = 4.0

__all__ = ["RpcServer", "ServerStartError", "peer_pid", "pfu_socket_path"]


def peer_pid(info):
    """The pid of the client process behind a ClientInfo, or None (the
    pytest plugin's probes call it by this name)."""
    return socket_peer_pid(info.socket)


class RpcServer:
    """start() and stop() run on the main thread; the hooks (node_of,
    info_of, pid_of_node) on any thread."""

    def __init__(self, settings, monitor, registry):
        self.settings = settings
        self.monitor = monitor
        self.registry = registry
        # None, or what --faithful reproduces: "pfu" (PfU 2.x and its RPyC
        # 4.0.2) or "rpyc5" (the same server on stock RPyC 5.x).
        self.faithful = settings["faithful"]
        config = {
            "allow_public_attrs": settings["allow_public_attrs"],
            "allow_setattr": settings["allow_setattr"],
            "allow_pickle": settings["allow_pickle"],
            "sync_request_timeout": settings["call_timeout"],
            "logger": None,
        }
        self._listener = None  # a TcpListener or UnixSocketListener while listening
        self._accept_thread = None
        self._stopping = threading.Event()
        self._sessions = ClientSessions(self, config, self._stopping)
        self._authenticator = None
        self.budget = None  # the ConnectionBudget of the current start
        self.frame_budget = None  # FrameBudget: frames being received, on all connections
        self.message_bounds = (0, 0)  # objects and depth a message may decode to; 0: any
        self.pre_auth = None  # its PreAuthBudget, with a token
        self.address = None
        # How many synchronous client calls the main thread is waiting in
        # (nested calls count each); written by the main thread only.
        self.main_thread_sync_calls = 0
        # The main thread reading its async calls' replies between frames.
        self.main_reading = MainThreadReading()

    # --- hooks used by EngineConnection, the call paths and deadlock reports ---

    def node_of(self, conn):
        """The client's name in the wait-for graph: client:NAME#CONNECTION."""
        return self._sessions.node_of(conn)

    def info_of(self, conn):
        return self._sessions.info_of(conn)

    def pid_of_node(self, node):
        """The client process behind a wait-for node, so that a harness can
        ask it for its stack; None when unknown."""
        info = self._sessions.info_of_node(node)
        return peer_pid(info) if info is not None else None

    # --- lifecycle ---

    def start(self):
        """Main thread. Listens and starts accepting; ServerStartError if it cannot."""
        if self._listener is not None:
            raise ServerStartError(f"the rpc server is already listening on {self.address}")
        self._stopping.clear()
        self._listener = self._listen()
        self.address = self._listener.address
        # Read at every start, so that a reload sees the limits as they are.
        self.budget = ConnectionBudget(self.settings["max_connections"])
        self.frame_budget = FrameBudget(self.settings["max_buffered_bytes"])
        self.message_bounds = (self.settings["max_message_objects"],
                               self.settings["max_message_depth"])
        self.budget.announce()
        self.pre_auth = PreAuthBudget(self.budget.cap) if self._authenticator else None
        if self.pre_auth is not None:
            self.pre_auth.announce()
        accept_loop = AcceptLoop(self._listener.socket, self.budget, self.pre_auth,
                                 self._authenticator, self._stopping, self._sessions.open_count,
                                 self._sessions.start, log_refusal)
        self._accept_thread = threading.Thread(target=accept_loop.run, name="rpc-accept",
                                               daemon=True)
        self._accept_thread.start()
        self.monitor.start()
        if not self.faithful:
            self.main_reading.start()
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

    def _listen(self):
        """TCP when asked for (and no --socket given), else the Unix socket."""
        if self.settings.get("tcp") and not self.settings["socket"]:
            self._authenticator = self._token_authenticator()
            listener = TcpListener(self.settings["host"], self.settings["port"],
                                   self.settings["allow_remote"])
            # A port picked by the system (--port 0) is kept across reloads,
            # so that clients reconnect to where they were.
            self.settings["port"] = native.settings["port"] = listener.port
            return listener
        return UnixSocketListener(self.socket_path())

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

    def stop(self, invite_retry, deadline=None):
        """Main thread. Tells every client the server is going away, closes
        the listener and the connections, and joins the connection threads
        while running the main-thread jobs they may be waiting for, all by
        `deadline` (time.monotonic(); STOP_BUDGET_S from now if None)."""
        if self._listener is None:
            return
        if deadline is None:
            deadline = time.monotonic() + STOP_BUDGET_S
        self._stopping.set()
        self.main_reading.stop()
        listener, self._listener = self._listener, None
        listener.close()
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=max(0.0, deadline - time.monotonic()))
        conns, threads = self._sessions.connections_and_threads()
        notices = [n for n in (self._notify_shutdown(conn, invite_retry) for conn in conns) if n]
        await_shutdown_answers(notices)
        for conn in conns:
            try:
                conn.close()
            except Exception:
                pass  # its thread ends the session either way
        self._join_while_draining(threads, deadline)
        for writer in outbox.join_writers(max(0.0, deadline - time.monotonic())):
            ue.log_error(f"rpc writer {writer.name} did not stop by the engine's stop deadline")
        self.registry.clear()
        self.monitor.stop()
        listener.release()
        ue.log(f"rpc server on {self.address} stopped")

    def _notify_shutdown(self, conn, invite_retry):
        # A method, so that a must-fail case can take the notice away
        # (tests/must_fail/pfu/no_shutdown_notice.py).
        return send_shutdown_notice(conn, invite_retry)

    @staticmethod
    def _join_while_draining(threads, deadline):
        """Joins the connection threads until `deadline`, running the
        main-thread jobs meanwhile: a thread may be waiting for one."""
        for thread in threads:
            while thread.is_alive() and time.monotonic() < deadline:
                native.drain_main_thread_queue()
                thread.join(timeout=0.01)
            if thread.is_alive():
                ue.log_error(f"rpc thread {thread.name} did not stop by the engine's stop deadline")
