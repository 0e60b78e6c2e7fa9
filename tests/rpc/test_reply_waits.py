"""A thread waiting for its reply while another thread serves the same
connection (connect()'s serving thread): stock RPyC 5.3 can miss a reply the
other thread dispatched between its check and its wait (RPyC issues #354 and
#530) and then waits for data that may never come. understudy_client's
ClientConnection cannot. The interleaving is forced: the waiter's first look
at the result sees it not ready and is held until the serving thread has
dispatched the reply. Real RPyC connections over a socket pair, in this
process."""

import socket
import threading
import time

import pytest
import rpyc
from rpyc.core import consts
from rpyc.core.async_ import AsyncResult
from rpyc.core.stream import SocketStream
from rpyc.utils.factory import connect_stream

import understudy_client

TTL = 2.0  # the request's timeout: how long a missed reply costs stock RPyC


class AnswerService(rpyc.Service):
    """Answers only once the waiter has taken its first look at the result,
    so that the look always comes before the reply."""

    def __init__(self, first_look):
        super().__init__()
        self.first_look = first_look

    def exposed_answer(self):
        if not self.first_look.wait(5.0):
            raise AssertionError("the waiter did not look at its result in 5 s")
        return 42


def stale_first_look(base, first_look):
    """`base` whose waiting thread's first read of _is_ready (the waiter's
    check) reads the value, lets the server answer, and waits until the
    serving thread has dispatched the reply before returning what it read:
    the waiter acts on what it saw before the dispatch. Only the waiter's
    looks count; the serving thread reads _is_ready too while dispatching."""

    class StaleFirstLook(base):
        def __init__(self, conn):
            self.waiter = threading.current_thread()
            self.dispatched = threading.Event()
            self.looks = 0
            super().__init__(conn)

        @property
        def _is_ready(self):
            value = self._ready_value
            if threading.current_thread() is not self.waiter:
                return value
            self.looks += 1
            if self.looks == 1:
                first_look.set()
                if not self.dispatched.wait(5.0):
                    raise AssertionError("the serving thread did not dispatch the reply in 5 s")
                time.sleep(0.05)  # the serving thread is back in its next serve()
            return value

        @_is_ready.setter
        def _is_ready(self, value):
            self._ready_value = value
            if value:
                self.dispatched.set()

    return StaleFirstLook


class Connections:
    """A server connection and the client connections opened to it, each
    served on its own thread, as connect() does it."""

    def __init__(self):
        self.first_look = threading.Event()
        self._client_sock, server_sock = socket.socketpair()
        self._server = connect_stream(SocketStream(server_sock),
                                      service=AnswerService(self.first_look))
        self._server_thread = threading.Thread(target=self._server.serve_all, daemon=True)
        self._server_thread.start()
        self._opened = []

    def open_client(self, service):
        conn = connect_stream(SocketStream(self._client_sock), service=service)
        conn.root  # fetched before the serving thread starts, as connect() does
        threading.Thread(target=conn.serve_all, daemon=True).start()
        self._opened.append(conn)
        return conn

    def close(self):
        for conn in self._opened:
            conn.close()
        # The server's serving thread sees the client go and closes its own
        # connection; closing it from here as well races that close inside
        # RPyC (both pass its closed check; the second finds no root to notify).
        self._server_thread.join(5.0)
        assert not self._server_thread.is_alive(), (
            "the server connection was still serving 5 s after the client closed")


@pytest.fixture
def connections():
    opened = Connections()
    yield opened
    opened.close()


def wait_for_answer(conn, result_type):
    result = result_type(conn)
    conn._async_request(consts.HANDLE_CALLATTR, (conn._remote_root, "answer", (), ()), result)
    result.set_expiry(TTL)
    started = time.monotonic()
    result.wait()
    return result.value, time.monotonic() - started, result.looks


def test_client_connection_wait_sees_a_reply_dispatched_by_the_serving_thread(connections):
    conn = connections.open_client(understudy_client.ClientService())
    assert isinstance(conn, understudy_client.ClientConnection)
    value, elapsed, looks = wait_for_answer(
        conn, stale_first_look(understudy_client.ReplyResult, connections.first_look))
    assert looks >= 2, "the forced interleaving did not happen"
    assert value == 42
    assert elapsed < TTL / 2, (
        f"the wait took {elapsed:.3f} s: it missed the reply the serving thread had dispatched "
        f"and waited for more data (the request's timeout is {TTL} s)")


@pytest.mark.reproduces_original
def test_stock_wait_misses_a_reply_dispatched_by_the_serving_thread(connections):
    class StockService(understudy_client.ClientService):
        _protocol = rpyc.Connection

    conn = connections.open_client(StockService())
    value, elapsed, looks = wait_for_answer(conn, stale_first_look(AsyncResult, connections.first_look))
    assert looks >= 2, "the forced interleaving did not happen"
    assert value == 42
    assert elapsed >= TTL * 0.9, (
        f"stock RPyC's wait returned after {elapsed:.3f} s; it used to miss the reply and wait "
        f"for the {TTL} s timeout (RPyC issues #354, #530): has RPyC fixed the race?")
