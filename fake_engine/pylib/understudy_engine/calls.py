"""The three ways the engine calls a service on a client (Unity's
PythonRunner.CallServiceOnClient and its coroutine and async variants).

All three make one round trip: the service is called by name on the client's
root (RPyC's CALLATTR), where the original looked the attribute up first and
then called it. Faithful modes keep the one round trip: a lookup first would
make a call to a client that stopped reading wait out sync_request_timeout
before the frame deadline could bound its send (tests/hardening).

Sending a call never waits for the client: the connection's outbox queues
what the socket cannot take (outbox.py). A synchronous call's timeout counts
from the call's start, so it bounds the whole call, its sending included: a
call to a client that stopped reading times out as one that does not answer
does, and the request stays queued for the client (as a late reply is
dropped, not cancelled) until the frame deadline closes the connection."""

import threading
import time

from rpyc.core import consts

import _understudy_engine as native

from .scheduler import EngineFuture

from .errors import ClientDisconnectedError, DeadlockError, ServiceCallTimeout, seconds


class ClientCalls:
    def __init__(self, server, scheduler, default_timeout):
        self._server = server
        self._scheduler = scheduler
        self.default_timeout = default_timeout

    def _send(self, client, service, args, kwargs, conn=None, index=-1):
        conn = conn or self._server.registry.connection(client, index)
        try:
            if self._server.faithful:
                result = conn.async_request(consts.HANDLE_CALLATTR, conn._remote_root, service,
                                            args, tuple(kwargs.items()))
            else:
                result = conn.async_root_call(service, args, tuple(kwargs.items()))
        except (EOFError, OSError) as exc:
            raise ClientDisconnectedError(
                f"client {client!r} is gone: cannot call {service!r} ({exc!r})",
                client=client, service=service, elapsed=0.0) from exc
        return conn, result

    # --- synchronous ---

    def call(self, client, service, args, kwargs, timeout=None, index=-1):
        """Calls and waits for the reply on this thread (normally the main
        thread). Raises ClientNotFoundError, ServiceCallTimeout,
        ClientDisconnectedError, DeadlockError or what the service raised.
        Without `timeout`, the connection's sync_request_timeout (which a
        caller may change per connection, as PfU's own timeout test does)."""
        started = time.monotonic()
        conn = self._server.registry.connection(client, index)
        if timeout is None:
            timeout = conn._config.get("sync_request_timeout", self.default_timeout)
        waiter = "main" if native.is_main_thread() else f"thread:{threading.current_thread().name}"
        node = self._server.node_of(conn)
        # The wait begins before the request leaves: a client calling back from
        # inside the service must be seen to wait after us (deadlocks.py).
        wait = self._server.monitor.begin(waiter, node, service, wake=lambda: _wake(conn))
        on_main = waiter == "main"
        if on_main:
            self._server.main_thread_sync_calls += 1
        try:
            conn, result = self._send(client, service, args, kwargs, conn)
            result.set_expiry(max(0.0, timeout - (time.monotonic() - started)))
            while not (result._is_ready or result.expired):
                if wait.failed:
                    raise DeadlockError(
                        f"call to {service!r} on client {client!r} would never return: "
                        f"{wait.report['summary']} (failed fast after "
                        f"{seconds(time.monotonic() - started)}; report follows)\n"
                        f"{wait.report['text']}",
                        wait.report, client=client, service=service,
                        elapsed=time.monotonic() - started)
                if conn.closed:
                    raise _disconnected(conn, client, service, started)
                try:
                    # Waits for the connection's reader to hand us the reply (a
                    # thread other than the main one may read it itself); wakes
                    # early on fail-fast. Faithful "rpyc5" keeps stock RPyC
                    # 5.x's wait, reply race included.
                    if self._server.faithful == "rpyc5":
                        conn.serve(_slice(result), True)
                    else:
                        conn.serve_until(lambda: result._is_ready, _slice(result))
                except (EOFError, OSError, AttributeError):
                    pass  # closed under us: the next round reports it
        finally:
            if on_main:
                self._server.main_thread_sync_calls -= 1
            self._server.monitor.end(wait)
        return _outcome(result, client, service, started, timeout)

    # --- coroutine ---

    def coroutine(self, client, service, args, kwargs, expiry=None, index=-1):
        """An engine coroutine, stepped once per frame: each step polls the
        connection (serving requests that arrived) until the reply is ready."""
        started = time.monotonic()
        conn, result = self._send(client, service, args, kwargs, index=index)
        if expiry is not None:
            result.set_expiry(expiry)

        def steps():
            while not result.ready:
                if result.expired:
                    break
                if conn.closed:
                    raise _disconnected(conn, client, service, started)
                yield None
            return _outcome(result, client, service, started, expiry)

        return self._scheduler.start(steps(), name=f"{client}.{service}")

    # --- async ---

    def async_(self, client, service, args, kwargs, expiry=None, index=-1):
        """An EngineFuture completed on the main thread when the reply arrives
        (or when `expiry` passes)."""
        started = time.monotonic()
        conn, result = self._send(client, service, args, kwargs, index=index)
        call = AsyncCall(EngineFuture(f"{client}.{service}", self._scheduler), conn, result,
                         client, service, started, expiry)
        result.add_callback(call.reply_arrived)
        self._scheduler.watch(call)
        return call.future


class AsyncCall:
    """One async call in flight: its EngineFuture, completed on the main
    thread by settle(), and what settle() needs. One object, where
    closures would make a cell per variable and two functions per call."""

    __slots__ = ("future", "conn", "result", "client", "service", "started", "expiry")

    def __init__(self, future, conn, result, client, service, started, expiry):
        self.future = future
        self.conn = conn
        self.result = result
        self.client = client
        self.service = service
        self.started = started
        self.expiry = expiry

    def reply_arrived(self, _result):
        """The reply arrived, on the connection's reader thread: the future
        is completed on the main thread, taking turns with the connection's
        requests (one job per connection a turn)."""
        if native.is_main_thread():
            self.settle()  # the main thread read it (main_thread_reading.py)
        elif not self.conn._hooks.main_reading.grant(self.conn, self):
            native.post_to_main_thread(self.settle, f"complete {self.service}", id(self.conn))

    def settle(self, conn_closed=False):
        """Main thread: completes the future with the reply, the timeout or
        the disconnection, once."""
        future = self.future
        if future.done():
            return
        result = self.result
        try:
            if conn_closed and not result._is_ready:
                raise _disconnected(self.conn, self.client, self.service, self.started)
            future.set_result(_outcome(result, self.client, self.service, self.started,
                                       self.expiry))
        except Exception as exc:
            future.set_exception(exc)


def _slice(result):
    left = result._ttl.timeleft()
    return 0.5 if left is None else max(0.0, min(left, 0.5))


def _wake(conn):
    cond = getattr(conn, "_recv_event", None)
    if cond is not None:
        with cond:
            cond.notify_all()


def _disconnected(conn, client, service, started):
    """The error of a call whose connection closed before the reply came;
    it says why when the engine closed it (the peer stopped reading, sent
    garbage, ...)."""
    elapsed = time.monotonic() - started
    why = getattr(conn._channel, "rejection", None)
    because = f": the engine closed the connection ({why})" if why else ""
    return ClientDisconnectedError(
        f"client {client!r} disconnected during {service!r} after {seconds(elapsed)}{because}",
        client=client, service=service, elapsed=elapsed)


def _outcome(result, client, service, started, timeout):
    elapsed = time.monotonic() - started
    if not result._is_ready:
        raise ServiceCallTimeout(
            f"call to {service!r} on client {client!r} timed out after {seconds(elapsed)} "
            f"(timeout {timeout} s): result expired",
            client=client, service=service, elapsed=elapsed)
    if result._is_exc:
        raise remote_error(result._obj, client, service, elapsed)
    return result._obj


def remote_error(remote, client, service, elapsed):
    """What a client's service raised, as RPyC re-raises it (its class derived
    from the original type, the remote traceback in its text), noted once
    with who raised it and when."""
    note = f"raised by service {service!r} on client {client!r} after {seconds(elapsed)}"
    # Through BaseException: RPyC copies the remote exception's public
    # attributes onto it, methods as their repr strings (add_note included).
    if note not in getattr(remote, "__notes__", ()):
        BaseException.add_note(remote, note)
    return remote

