"""The engine's RPyC channel sends, and receives what has already arrived,
without releasing the GIL (fake_engine/python/gil_held_socket_io.h): the
native calls on a socket pair inside the engine, then frames larger than a
socket buffer each way, which take the blocking fallback."""

BIG = 8 * 1024 * 1024  # far beyond a loopback socket's buffer


def test_native_calls_report_data_would_block_end_of_stream_and_errors(understudy_engine):
    engine = understudy_engine()
    ns = engine.execute("""
        import errno
        import socket
        import _understudy_engine as native

        a, b = socket.socketpair()
        nothing_yet = native.recv_holding_gil(b.fileno(), 16)
        sent = native.send_holding_gil(a.fileno(), b"hello")
        got = native.recv_holding_gil(b.fileno(), 16)

        # Fill a's buffer: the send that finds no room returns 0, not blocks.
        buffered = 0
        while True:
            n = native.send_holding_gil(a.fileno(), b"x" * 65536)
            if n == 0:
                break
            buffered += n
        b.close()
        try:
            native.send_holding_gil(a.fileno(), b"after the peer left")
            peer_gone = "no error"
        except OSError as exc:
            peer_gone = errno.errorcode.get(exc.errno, str(exc.errno))
        a.close()

        c, d = socket.socketpair()
        c.close()
        end_of_stream = native.recv_holding_gil(d.fileno(), 16)
        d.close()
        try:
            native.recv_holding_gil(-1, 16)
            bad_fd = "no error"
        except OSError as exc:
            bad_fd = errno.errorcode.get(exc.errno, str(exc.errno))
    """)
    assert ns["nothing_yet"] is None
    assert ns["sent"] == 5
    assert ns["got"] == b"hello"
    assert ns["buffered"] > 0
    assert ns["peer_gone"] in ("EPIPE", "ECONNRESET"), ns["peer_gone"]
    assert ns["end_of_stream"] == b""
    assert ns["bad_fd"] == "EBADF"
    assert engine.running(), engine.failure_context()  # no SIGPIPE


def test_frames_larger_than_the_socket_buffer_go_both_ways(understudy_engine, understudy_client):
    understudy_engine()
    client = understudy_client("big")
    # Into the engine: an 8 MiB request, read in chunks as it arrives.
    text = "a" * BIG
    echo = client.root.dict(payload=text)
    # Out of the engine: an 8 MiB reply, more than one non-blocking send takes.
    payload = echo["payload"]
    assert len(payload) == BIG and payload == text
    assert client.root.execute("pass") is None  # the connection is still in step
