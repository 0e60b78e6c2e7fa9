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
  invite_retry=True), retrying about once a second as the shipped clients did;
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


class ReplyResult(AsyncResult):
    """An AsyncResult whose wait() cannot miss its reply.

    Stock wait() checks for the reply, then serves the connection: when
    another thread (connect()'s serving thread) dispatches the reply in
    between, the waiter polls the socket for a reply that has already come,
    until more data arrives or the request's timeout passes: RPyC issues #354
    and #530, the "30-second lag", and a hang for rpyc.async_ results, which
    have no timeout. Here the reply is checked under the receive-event lock,
    which the serving thread takes to announce each message it dispatched,
    and again once this thread holds the receive lock, which the serving
    thread releases only after dispatching."""

    def wait(self):
        conn = self._conn
        while not (self._is_ready or self.expired):
            with conn._recv_event:
                if self._is_ready:
                    break
                if not conn._recvlock.acquire(False):
                    conn._recv_event.wait(self._ttl.timeleft())
                    continue
            try:
                if not self._is_ready:
                    conn.serve(self._ttl, True)
            finally:
                conn._recvlock.release()
                with conn._recv_event:
                    conn._recv_event.notify_all()
        if not self._is_ready:
            raise AsyncResultTimeout("result expired")


class ClientConnection(rpyc.Connection):
    """An RPyC 5.3 connection whose waits for replies cannot miss them (see
    ReplyResult). ClientService uses it; a service with
    `_protocol = rpyc.Connection` gets stock RPyC's waits."""

    def async_request(self, handler, *args, **kwargs):
        timeout = kwargs.pop("timeout", None)
        if kwargs:
            raise TypeError(f"got unexpected keyword argument(s) {list(kwargs)}")
        result = ReplyResult(self)
        self._async_request(handler, args, result)
        if timeout is not None:
            result.set_expiry(timeout)
        return result


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
    connection is live; `wait_connected(timeout)` waits for one."""

    def __init__(self, service, address=None, config=None, serving="thread", reconnect=False,
                 retry_interval=1.0, on_connect=None, auth_token_file=None):
        self.service = service
        self.address = address
        self.auth_token_file = auth_token_file
        self.config = {"allow_public_attrs": True, "sync_request_timeout": 30, **(config or {})}
        self.serving = serving
        self.reconnect = reconnect
        self.retry_interval = retry_interval
        self.on_connect = on_connect
        self.conn = None
        self.connections_made = 0
        self._closing = False
        self._connected = threading.Condition()
        self._thread = None
        self._bg = None

    @property
    def root(self):
        return self.conn.root

    @property
    def connected(self):
        return self.conn is not None and not self.conn.closed

    def open(self, timeout=10.0):
        """Connects (retrying until `timeout` while the engine starts)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._open_once()
                return self
            # EOFError: the engine closed the connection while registering it
            # (a domain reload at that moment); it is back in a moment.
            except (OSError, EOFError) as exc:
                if time.monotonic() >= deadline:
                    kind, where, port = parse_address(self.address)
                    raise ConnectionError(
                        f"could not connect to the engine at {kind}://{where}"
                        f"{':' + str(port) if port else ''} within {timeout} s: {exc}") from exc
                time.sleep(min(0.1, self.retry_interval))

    def _open_once(self):
        conn = open_connection(self.address, self.service, self.config, self.auth_token_file)
        self.conn = conn
        self.connections_made += 1
        self.service.server_shutdown.clear()
        self.service.name_asked.clear()
        if self.serving == "bgthread":
            self._bg = rpyc.BgServingThread(conn)
        else:
            self._thread = threading.Thread(target=self._serve, args=(conn,),
                                            name="understudy-serve", daemon=True)
            self._thread.start()
        self._await_registration(conn)
        with self._connected:
            self._connected.notify_all()
        if self.on_connect is not None:
            self.on_connect(self)

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
        if self.reconnect and not self._closing and (
                not self.service.shutdown_notices or self.service.shutdown_notices[-1]):
            threading.Thread(target=self._reconnect_loop, name="understudy-reconnect",
                             daemon=True).start()

    def _reconnect_loop(self):
        while not self._closing:
            time.sleep(self.retry_interval)
            try:
                self._open_once()
                return
            except (OSError, EOFError):  # another reload while reconnecting: try again
                continue

    def wait_connected(self, timeout):
        """Waits for a live connection (after a reload); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._connected:
            while not self.connected:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._connected.wait(left)
        return True

    def close(self):
        self._closing = True
        if self._bg is not None:
            try:
                self._bg.stop()
            except Exception:
                pass
        if self.conn is not None:
            self.conn.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(name=None, service=None, address=None, config=None, serving="thread",
            reconnect=False, retry_interval=1.0, on_connect=None, timeout=10.0,
            stack_dump_signal=signal.SIGUSR1, auth_token_file=None):
    """Connects to the engine and serves the connection on a thread.

    `service` is a ClientService instance (one is made from `name` if not
    given). Returns an EngineClient; use `.root` to call the engine."""
    if service is None:
        service = ClientService(name)
    elif name is not None:
        service.name = name
    if stack_dump_signal is not None and threading.current_thread() is threading.main_thread():
        dump_stacks_on(stack_dump_signal)
    client = EngineClient(service, address=address, config=config, serving=serving,
                          reconnect=reconnect, retry_interval=retry_interval,
                          on_connect=on_connect, auth_token_file=auth_token_file)
    return client.open(timeout=timeout)


__all__ = ["ClientConnection", "ClientService", "EngineClient", "ReplyResult", "auth_token",
           "connect", "dump_stacks", "dump_stacks_on", "open_connection", "parse_address"]
