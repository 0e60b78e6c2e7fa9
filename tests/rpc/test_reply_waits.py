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
    def exposed_answer(self):
        return 42


def stale_first_look(base):
    """`base` whose first read of _is_ready (the waiter's check) reads the
    value, then waits until the reply has been dispatched before returning
    it: the waiter acts on what it saw before the dispatch."""

    class StaleFirstLook(base):
        def __init__(self, conn):
            self.dispatched = threading.Event()
            self.looks = 0
            super().__init__(conn)

        @property
        def _is_ready(self):
            value = self._ready_value
            self.looks += 1
            if self.looks == 1 and not value:
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


@pytest.fixture
def connections():
    """(client connection served on its own thread, as connect() does it)."""
    client_sock, server_sock = socket.socketpair()
    server = connect_stream(SocketStream(server_sock), service=AnswerService)
    server_thread = threading.Thread(target=server.serve_all, daemon=True)
    server_thread.start()
    opened = []

    def open_client(service):
        conn = connect_stream(SocketStream(client_sock), service=service)
        conn.root  # fetched before the serving thread starts, as connect() does
        threading.Thread(target=conn.serve_all, daemon=True).start()
        opened.append(conn)
        return conn

    yield open_client
    for conn in opened:
        conn.close()
    # The server's serving thread sees the client go and closes its own
    # connection; closing it from here as well races that close inside RPyC
    # (both pass its closed check and the second finds no root to notify).
    server_thread.join(5.0)
    assert not server_thread.is_alive(), "the server connection was still serving 5 s after the client closed"


def wait_for_answer(conn, result_type):
    result = result_type(conn)
    conn._async_request(consts.HANDLE_CALLATTR, (conn._remote_root, "answer", (), ()), result)
    result.set_expiry(TTL)
    started = time.monotonic()
    result.wait()
    return result.value, time.monotonic() - started, result.looks


def test_client_connection_wait_sees_a_reply_dispatched_by_the_serving_thread(connections):
    conn = connections(understudy_client.ClientService())
    assert isinstance(conn, understudy_client.ClientConnection)
    value, elapsed, looks = wait_for_answer(conn, stale_first_look(understudy_client.ReplyResult))
    assert looks >= 2, "the forced interleaving did not happen"
    assert value == 42
    assert elapsed < TTL / 2, (
        f"the wait took {elapsed:.3f} s: it missed the reply the serving thread had dispatched "
        f"and waited for more data (the request's timeout is {TTL} s)")


@pytest.mark.reproduces_original
def test_stock_wait_misses_a_reply_dispatched_by_the_serving_thread(connections):
    class StockService(understudy_client.ClientService):
        _protocol = rpyc.Connection

    conn = connections(StockService())
    value, elapsed, looks = wait_for_answer(conn, stale_first_look(AsyncResult))
    assert looks >= 2, "the forced interleaving did not happen"
    assert value == 42
    assert elapsed >= TTL * 0.9, (
        f"stock RPyC's wait returned after {elapsed:.3f} s; it used to miss the reply and wait "
        f"for the {TTL} s timeout (RPyC issues #354, #530): has RPyC fixed the race?")
