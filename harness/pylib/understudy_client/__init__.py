# Over 500 lines as one module: it is the API client scripts import by one
# name (connect, EngineClient, ClientService, dump_stacks_on), and most of it
# is EngineClient's reconnecting connection, built on ClientConnection above it.
"""understudy_client: the client side of Understudy's out-of-process API.

A client is a Python process that connects to the engine's RPyC server,
answers client_name() when the engine asks, and offers services the engine
calls (exposed_* methods). Plain RPyC clients work with the engine too; this
library adds what the shipped Unity clients did and what a test harness needs:

- connect() serves the connection on a dedicated thread blocked in the
  socket (not rpyc.BgServingThread, which polls and sleeps 0.1 s, so an
  engine-to-client call through it costs up to 100 ms; ask for it with
  serving="bgthread" to see that cost);
- an optional reconnect loop for domain reloads (on_server_shutdown with
  invite_retry=True), retrying about once a second as the shipped clients did,
  one loop per client however many reloads come, until a deadline;
- a call waiting on a connection that closes (a domain reload closes every
  connection) fails at once with EngineDisconnectedError, instead of waiting
  out RPyC's sync_request_timeout;
- a stack dump of every thread on SIGUSR1 (to stderr, i.e. the client's
  log), so that a deadlock report can show what the client was doing.

The engine's address comes from the arguments, else $UNDERSTUDY_RPC
("tcp://127.0.0.1:18861" or "unix:///path"), else where PfU 2.x's clients
look: the Unix socket com.unity.scripting.python-USER.socket in
tempfile.gettempdir() (TMPDIR decides, as for the engine); the
name from the arguments, else $UNDERSTUDY_CLIENT_NAME. When the engine runs
with --auth-token-file, TCP clients first send the token in that file: the
file comes from the arguments (auth_token_file=), else
$UNDERSTUDY_AUTH_TOKEN_FILE.
"""

import getpass
import os
import signal
import socket
import sys
import tempfile
import threading
import time

import rpyc
from rpyc.core.async_ import AsyncResult, AsyncResultTimeout
from rpyc.core.stream import SocketStream
from rpyc.utils.factory import connect_stream, unix_connect



def pfu_socket_path():
    """PfU 2.x's unity_python/server/settings.py unity_server_path."""
    return os.path.join(tempfile.gettempdir(),
                        "com.unity.scripting.python-" + getpass.getuser() + ".socket")


def default_address():
    return "unix://" + pfu_socket_path()
AUTH_TOKEN_FILE_ENV = "UNDERSTUDY_AUTH_TOKEN_FILE"


class EngineDisconnectedError(ConnectionError, EOFError):
    """A call to the engine whose connection closed (or was closed already):
    its reply will never come. An EOFError too, as RPyC's own "connection
    closed" errors are, so that handlers written for those catch it."""


class ReplyResult(AsyncResult):
    """An AsyncResult whose wait() cannot miss its reply, nor wait for one
    that cannot come.

    Stock wait() checks for the reply, then serves the connection: when
    another thread (connect()'s serving thread) dispatches the reply in
    between, the waiter polls the socket for a reply that has already come,
    until more data arrives or the request's timeout passes: RPyC issues #354
    and #530, the "30-second lag", and a hang for rpyc.async_ results, which
    have no timeout. Here the reply is checked under the receive-event lock,
    which the serving thread takes to announce each message it dispatched,
    and again once this thread holds the receive lock, which the serving
    thread releases only after dispatching. A closed connection is checked
    under the same lock (ClientConnection announces its closing there too),
    so a waiter never sleeps on a connection that has closed."""

    def wait(self):
        conn = self._conn
        while not (self._is_ready or self.expired):
            with conn._recv_event:
                if self._is_ready:
                    break
                if conn.closed:
                    raise conn.disconnected_error(waiting=True)
                if not conn._recvlock.acquire(False):
                    conn._recv_event.wait(self._ttl.timeleft())
                    continue
            try:
                if not self._is_ready:
                    conn.serve(self._ttl, True)
            except EOFError:
                # This thread read the end of the stream: the connection is
                # closed now and this result failed with it (or, when it
                # was not pending, fails on the next turn).
                pass
            finally:
                conn._recvlock.release()
                with conn._recv_event:
                    conn._recv_event.notify_all()
        if not self._is_ready:
            raise AsyncResultTimeout("result expired")


def _engine_address(channel):
    """The engine's address as a client names it: tcp://HOST:PORT or
    unix://PATH, from the connected socket."""
    try:
        sock = channel.stream.sock
        peer = sock.getpeername()
    except (AttributeError, OSError, EOFError):
        return "(unknown address)"
    if sock.family == socket.AF_UNIX:
        return f"unix://{peer}"
    host = f"[{peer[0]}]" if ":" in peer[0] else peer[0]
    return f"tcp://{host}:{peer[1]}"


class ClientConnection(rpyc.Connection):
    """An RPyC 5.3 connection whose waits for replies cannot miss them (see
    ReplyResult) and whose calls fail at once with EngineDisconnectedError
    when it closes: stock RPyC forgets the pending requests on close, and
    when the engine closes the connection (a domain reload), the serving
    thread keeps the receive lock, so a caller waited out its whole
    sync_request_timeout. ClientService uses it; a service with
    `_protocol = rpyc.Connection` gets stock RPyC's waits.

    `shutdown_notice` is the invite_retry of the on_server_shutdown the
    engine sent on this connection (ClientService records it), else None."""

    def __init__(self, *args, **kwargs):
        self.shutdown_notice = None
        self.engine_address = "(unknown address)"
        self._cleaned_up = False
        self._cleanup_lock = threading.Lock()
        super().__init__(*args, **kwargs)
        self.engine_address = _engine_address(self._channel)

    def disconnected_error(self, waiting=False):
        """The EngineDisconnectedError a call on this closed connection gets."""
        if self.shutdown_notice is True:
            why = "during a domain reload (the engine sent on_server_shutdown(invite_retry=True))"
        elif self.shutdown_notice is False:
            why = "as the engine shut down (it sent on_server_shutdown(invite_retry=False))"
        else:
            why = ("without a shutdown notice (the engine stopped, or closed this connection: "
                   "its console says why)")
        if waiting:
            return EngineDisconnectedError(
                f"the connection to the engine at {self.engine_address} closed {why} before "
                "the reply to this call came")
        return EngineDisconnectedError(
            f"the connection to the engine at {self.engine_address} is closed: it closed {why}")

    def async_request(self, handler, *args, **kwargs):
        timeout = kwargs.pop("timeout", None)
        if kwargs:
            raise TypeError(f"got unexpected keyword argument(s) {list(kwargs)}")
        if self.closed:
            raise self.disconnected_error()
        result = ReplyResult(self)
        try:
            self._async_request(handler, args, result)
        except (EOFError, ConnectionError) as exc:  # it closed while sending
            raise self.disconnected_error() from exc
        if timeout is not None:
            result.set_expiry(timeout)
        return result

    def _dispatch(self, data):
        try:
            super()._dispatch(data)
        except (EOFError, OSError):
            # The engine's close request (RPyC's HANDLE_CLOSE) closes this
            # connection while it is dispatched, and its reply then cannot
            # go. Stock serve() would leave the receive lock held for good.
            if not self.closed:
                raise

    def _cleanup(self, _anyway=True):
        # Once: the engine's close request and close() on another thread
        # may both get here, and stock cleanup fails the second time.
        with self._cleanup_lock:
            if self._cleaned_up or (self._closed and not _anyway):
                return
            self._cleaned_up = True
            pending = self._request_callbacks.copy()  # stock cleanup forgets them
            super()._cleanup(_anyway)
        for callback in pending.values():
            try:
                callback(True, self.disconnected_error(waiting=True))
            except Exception:
                pass  # a caller's add_callback function: its error is its own
        with self._recv_event:
            self._recv_event.notify_all()


class ClientService(rpyc.Service):
    """Base service for clients. Subclass it and add exposed_* methods."""

    _protocol = ClientConnection

    def __init__(self, name=None):
        super().__init__()
        self.name = name or os.environ.get("UNDERSTUDY_CLIENT_NAME") or "client"
        self.shutdown_notices = []  # invite_retry values received, oldest first
        self.server_shutdown = threading.Event()
        self.name_asked = threading.Event()
        self.conn = None

    def on_connect(self, conn):
        # Services that call back into the engine use self.conn.root: it is
        # set before the engine can call anything here, unlike the value
        # connect() returns.
        self.conn = conn

    def exposed_client_name(self):
        self.name_asked.set()
        return self.name

    def exposed_on_server_shutdown(self, invite_retry):
        self.shutdown_notices.append(bool(invite_retry))
        # The connection it came on: the one the engine is about to close
        # (a client has one live connection at a time).
        if self.conn is not None:
            self.conn.shutdown_notice = bool(invite_retry)
        self.server_shutdown.set()


def parse_address(address=None):
    """("tcp", host, port) or ("unix", path, None)."""
    address = address or os.environ.get("UNDERSTUDY_RPC") or default_address()
    if address.startswith("unix://"):
        return "unix", address[len("unix://"):], None
    if address.startswith("tcp://"):
        address = address[len("tcp://"):]
    host, _, port = address.rpartition(":")
    return "tcp", host.strip("[]") or "127.0.0.1", int(port)


def auth_token(path=None):
    """The engine's shared secret (bytes) from the file `path`, else from the
    file $UNDERSTUDY_AUTH_TOKEN_FILE names; None when neither is set."""
    path = path or os.environ.get(AUTH_TOKEN_FILE_ENV)
    if not path:
        return None
    with open(path, "rb") as f:
        token = f.read().strip()
    if not token:
        raise ValueError(f"the auth token file {path} is empty")
    return token


def open_connection(address=None, service=rpyc.VoidService, config=None, auth_token_file=None):
    """A plain RPyC connection to the engine, not served by anyone. Over TCP
    the auth token (see auth_token()) goes first, when there is one."""
    kind, where, port = parse_address(address)
    if kind == "unix":
        return unix_connect(where, service=service, config=config or {})
    token = auth_token(auth_token_file)
    stream = SocketStream.connect(where, port, nodelay=True)
    try:
        if token is not None:
            stream.sock.sendall(token + b"\n")
        return connect_stream(stream, service=service, config=config or {})
    except BaseException:
        stream.close()
        raise


def dump_stacks(file=None, current_frame=None):
    """Every thread's stack to `file` (stderr), in faulthandler's format, the
    calling thread last (from `current_frame` when given: a signal handler
    passes the frame it interrupted)."""
    out = file or sys.stderr
    current = threading.get_ident()
    frames = sys._current_frames()
    if current_frame is not None:
        frames[current] = current_frame
    order = [ident for ident in frames if ident != current] + [current]
    text = []
    for ident in order:
        frame = frames.get(ident)
        if frame is None:
            continue
        label = "Current thread" if ident == current else "Thread"
        text.append(f"{label} 0x{ident:016x} (most recent call first):")
        while frame is not None:
            text.append(f'  File "{frame.f_code.co_filename}", line {frame.f_lineno} '
                        f"in {frame.f_code.co_name}")
            frame = frame.f_back
        text.append("")
    data = ("\n".join(text) + "\n").encode(errors="replace")
    try:
        # Straight to the descriptor: the handler may interrupt a print on
        # this very stream, whose buffer would refuse a reentrant write.
        os.write(out.fileno(), data)
    except (AttributeError, OSError, ValueError):
        out.write(data.decode())
        out.flush()


def dump_stacks_on(signum=signal.SIGUSR1, file=None):
    """Every thread's stack to `file` (stderr) when `signum` arrives.

    A Python handler, run by the main thread holding the GIL (a blocked wait
    is interrupted for it), rather than faulthandler.register: that one walks
    the threads without the GIL, and crashed a client with SIGSEGV in the
    fault matrix while its threads came and went."""
    signal.signal(signum, lambda _signum, frame: dump_stacks(file, frame))


class EngineClient:
    """A connection to the engine, served on its own thread.

    `conn` and `root` change after a reconnect; `connected` tells whether a
    connection is live; `wait_connected(timeout)` waits for one.

    Contract for reconnecting (reconnect=True, serving="thread"): when the
    engine closes the connection, unless it said on_server_shutdown(
    invite_retry=False), one reconnect loop retries every retry_interval
    until a connection is registered or reconnect_timeout passes. A client
    has at most one such loop: connections closing while it runs (a burst of
    reloads) are absorbed by it. Only one connection is live at a time: an
    attempt that fails is closed with its serving thread before the next.
    When the loop gives up, `reconnect_error` says why (and stderr, the
    client's log), and wait_connected() returns False at once."""

    def __init__(self, service, address=None, config=None, serving="thread", reconnect=False,
                 retry_interval=1.0, on_connect=None, auth_token_file=None,
                 reconnect_timeout=60.0):
        self.service = service
        self.address = address
        self.auth_token_file = auth_token_file
        self.config = {"allow_public_attrs": True, "sync_request_timeout": 30, **(config or {})}
        self.serving = serving
        self.reconnect = reconnect
        self.retry_interval = retry_interval
        self.reconnect_timeout = reconnect_timeout
        self.on_connect = on_connect
        self.conn = None
        self.connections_made = 0
        self.reconnect_error = None  # a ConnectionError once the reconnect loop gave up
        # Guards conn, _connecting and _closing; notified when a connection
        # is registered or the reconnect loop gives up.
        self._state = threading.Condition()
        self._connecting = False  # open() or the reconnect loop is making a connection
        self._closing = False
        self._stop = threading.Event()  # close(): ends the reconnect loop's pauses
        self._thread = None
        self._reconnector = None
        self._bg = None

    @property
    def root(self):
        return self.conn.root

    @property
    def connected(self):
        return self.conn is not None and not self.conn.closed

    def address_text(self):
        kind, where, port = parse_address(self.address)
        return f"{kind}://{where}{':' + str(port) if port else ''}"

    def open(self, timeout=10.0):
        """Connects (retrying until `timeout` while the engine starts)."""
        with self._state:
            self._connecting = True
        self._establish(time.monotonic() + timeout, min(0.1, self.retry_interval),
                        f"could not connect to the engine at {self.address_text()} within "
                        f"{timeout} s")
        return self

    def _establish(self, deadline, pause, failure):
        """Makes and registers a connection, retrying every `pause` s until
        `deadline`; ConnectionError(`failure`: the last error) after that.
        The caller has set _connecting, which this clears either way."""
        try:
            while True:
                if self._closing:
                    raise ConnectionError(f"{failure}: the client was closed meanwhile")
                try:
                    conn = self._open_once()
                except (OSError, EOFError) as exc:
                    # EOFError: the engine closed the connection while
                    # registering it (a domain reload at that moment); it is
                    # back in a moment. Kept without its traceback, whose
                    # frames hold the socket of a refused connect (RPyC does
                    # not close it): it would stay open until a garbage
                    # collection.
                    error = exc.with_traceback(None)
                else:
                    with self._state:
                        if not conn.closed and not self._closing:
                            self._connecting = False
                            self._state.notify_all()
                            break
                    error = EngineDisconnectedError(
                        f"the engine at {self.address_text()} closed the connection as soon as "
                        "it had registered it (another domain reload)")
                    self._discard(conn)
                if time.monotonic() + pause >= deadline:
                    raise ConnectionError(f"{failure}: {error}") from error
                self._stop.wait(pause)
        finally:
            with self._state:
                self._connecting = False
        if self.on_connect is not None:
            self.on_connect(self)

    def _open_once(self):
        """A new registered connection, now self.conn; on an error, nothing
        of it is left open."""
        conn = open_connection(self.address, self.service, self.config, self.auth_token_file)
        with self._state:
            old, self.conn = self.conn, conn
            self.connections_made += 1
        if old is not None:
            old.close()  # closed already, unless the engine left it open: never two live
        self.service.server_shutdown.clear()
        self.service.name_asked.clear()
        try:
            if self.serving == "bgthread":
                self._bg = rpyc.BgServingThread(conn)
            else:
                self._thread = threading.Thread(target=self._serve, args=(conn,),
                                                name="understudy-serve", daemon=True)
                self._thread.start()
            self._await_registration(conn)
        except BaseException:
            self._discard(conn)
            raise
        return conn

    def _discard(self, conn):
        """Closes a connection that will not be used, and waits (briefly)
        for its serving thread, so that no descriptor or thread outlives it."""
        conn.close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1.0)

    def _await_registration(self, conn, timeout=10.0):
        """Returns once the engine has registered this client, so that the
        engine can call it by name as soon as connect() returns. The engine
        asks client_name() and registers the client before it serves any
        other request; a ping sent after the answer is served after that."""
        deadline = time.monotonic() + timeout
        while not self.service.name_asked.wait(0.05):
            if conn.closed:
                raise ConnectionError(
                    "the engine closed the connection before asking this client's name (a "
                    "missing or wrong auth token? the engine's console says why)")
            if time.monotonic() >= deadline:
                raise ConnectionError(
                    f"the engine did not ask this client's name within {timeout} s")
        conn.ping(timeout=timeout)

    def _serve(self, conn):
        try:
            conn.serve_all()
        except Exception:
            pass  # serve_all closes the connection; reconnecting decides what next
        self._connection_ended(conn)

    def _connection_ended(self, conn):
        """The serving thread of `conn`, once it closed: starts the reconnect
        loop when this was the live connection and no loop (nor open()) is
        making one already; a loop running absorbs this closing."""
        with self._state:
            if (not self.reconnect or self._closing or self._connecting
                    or conn is not self.conn
                    or getattr(conn, "shutdown_notice", None) is False):
                return
            self._connecting = True
            self.reconnect_error = None
            self._reconnector = threading.Thread(target=self._reconnect_loop,
                                                 name="understudy-reconnect", daemon=True)
        try:
            self._reconnector.start()
        except RuntimeError as exc:  # "can't start new thread"
            self._give_up(ConnectionError(
                f"could not reconnect to the engine at {self.address_text()}: no thread for "
                f"the reconnect loop ({exc})"))

    def _reconnect_loop(self):
        started = time.monotonic()
        self._stop.wait(self.retry_interval)  # the engine is restarting its server
        try:
            self._establish(started + self.reconnect_timeout, self.retry_interval,
                            f"could not reconnect to the engine at {self.address_text()} "
                            f"within {self.reconnect_timeout} s after it closed the connection")
        except ConnectionError as exc:
            if not self._closing:
                self._give_up(exc)

    def _give_up(self, error):
        with self._state:
            self._connecting = False
            self.reconnect_error = error
            self._state.notify_all()
        print(f"understudy_client: {error}", file=sys.stderr, flush=True)

    def wait_connected(self, timeout):
        """Waits for a live connection (after a reload); False on timeout,
        and at once when the reconnect loop has given up (reconnect_error)."""
        deadline = time.monotonic() + timeout
        with self._state:
            while not self.connected or self._connecting:
                left = deadline - time.monotonic()
                if left <= 0 or (self.reconnect_error is not None and not self._connecting):
                    return False
                self._state.wait(left)
        return True

    def close(self):
        with self._state:
            self._closing = True
            conn = self.conn
        self._stop.set()
        if self._bg is not None:
            try:
                self._bg.stop()
            except Exception:
                pass
        if conn is not None:
            conn.close()
        for thread in (self._reconnector, self._thread):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5)
        if self.conn is not None and self.conn is not conn:
            self.conn.close()  # made by the reconnect loop while closing

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(name=None, service=None, address=None, config=None, serving="thread",
            reconnect=False, retry_interval=1.0, on_connect=None, timeout=10.0,
            stack_dump_signal=signal.SIGUSR1, auth_token_file=None, reconnect_timeout=60.0):
    """Connects to the engine and serves the connection on a thread.

    `service` is a ClientService instance (one is made from `name` if not
    given). Returns an EngineClient; use `.root` to call the engine. With
    reconnect=True it reconnects after a domain reload, trying every
    `retry_interval` s for at most `reconnect_timeout` s (see EngineClient)."""
    if service is None:
        service = ClientService(name)
    elif name is not None:
        service.name = name
    if stack_dump_signal is not None and threading.current_thread() is threading.main_thread():
        dump_stacks_on(stack_dump_signal)
    client = EngineClient(service, address=address, config=config, serving=serving,
                          reconnect=reconnect, retry_interval=retry_interval,
                          on_connect=on_connect, auth_token_file=auth_token_file,
                          reconnect_timeout=reconnect_timeout)
    return client.open(timeout=timeout)


__all__ = ["ClientConnection", "ClientService", "EngineClient", "EngineDisconnectedError",
           "ReplyResult", "auth_token", "connect", "dump_stacks", "dump_stacks_on",
           "open_connection", "parse_address"]
