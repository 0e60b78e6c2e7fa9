"""Hostile bytes on the RPC port. Each test attacks a real engine over a raw
socket while a real client (the bystander) keeps calling it, and checks that
the engine closes the attacker's connection, says why in a console line
naming the attacker's address and port, keeps ticking, and keeps answering
the bystander with normal results."""

import random
import re
import signal
import socket
import struct
import threading
import time
import zlib

import pytest

from conftest import call_paused_client, record_figure, wait_closed_by_peer

HEADER = struct.Struct("!LB")  # RPyC's channel frame header: length, compressed
DEADLINE = 1.0  # --frame-deadline for these tests, so that they stay fast


def start_engine(understudy_engine, *flags):
    # Loopback TCP: the attacks come from any local process on a port.
    return understudy_engine("--frame-deadline", str(DEADLINE), *flags, socket="tcp",
                             control=True)


def closing_line(engine, sock, reason, since):
    """The console record refusing `sock`'s connection with `reason` (a regex)."""
    host, port = sock.getsockname()[:2]
    return engine.wait_for_console(
        rf"^closing connection from {re.escape(host)}:{port}: {reason}", since=since,
        severity="warning")


def test_a_frame_announcing_4_gib_is_refused_at_its_header(understudy_engine, bystander,
                                                           hostile_socket):
    engine = start_engine(understudy_engine)
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(engine.port)
        sock.sendall(HEADER.pack(0xFFFFFFFF, 0))
        took = wait_closed_by_peer(sock)
        closing_line(engine, sock, r"frame of 4294967295 bytes exceeds the 64 MiB limit$", mark)
        time.sleep(0.3)  # the bystander keeps going after the attack too
        figures = watch.check()
    assert took < 0.5, f"the engine took {took:.3f} s to drop a 4 GiB frame header"
    record_figure("rpc: drop a 4 GiB frame header (s)", f"{took:.4f}")
    record_figure("rpc: 4 GiB header, bystander", figures)


def test_random_bytes_close_only_that_connection(understudy_engine, bystander, hostile_socket):
    """Random bytes, and random payloads behind a header that passes the size
    check (plain and "compressed"), so that every path through the channel
    and the decoder sees garbage."""
    engine = start_engine(understudy_engine)
    generator = random.Random(7)
    attacks = []
    for _ in range(3):
        payload = generator.randbytes(4096)
        attacks += [payload, HEADER.pack(len(payload), 0) + payload + b"\n",
                    HEADER.pack(len(payload), 1) + payload + b"\n"]
    with bystander(engine) as watch:
        for number, attack in enumerate(attacks):
            mark = engine.console_mark()
            sock = hostile_socket(engine.port)
            sock.sendall(attack)
            took = wait_closed_by_peer(sock, DEADLINE + CLOSE_MARGIN)
            line = closing_line(engine, sock, r"\S", mark)
            record_figure(f"rpc: random bytes #{number} closed after (s)", f"{took:.4f}: "
                          f"{line.text}")
        figures = watch.check()
    record_figure("rpc: random bytes, bystander", figures)


CLOSE_MARGIN = 1.0  # the engine closes a timed-out frame within this of its deadline


def test_a_valid_frame_of_garbage_is_an_undecodable_message(understudy_engine, bystander,
                                                            hostile_socket):
    engine = start_engine(understudy_engine)
    payload = b"\xfe" * 100  # no brine tag: not a message
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(engine.port)
        sock.sendall(HEADER.pack(len(payload), 0) + payload + b"\n")
        took = wait_closed_by_peer(sock)
        closing_line(engine, sock, r"undecodable message of 100 bytes", mark)
        watch.check()
    assert took < 0.5, f"the engine took {took:.3f} s to drop an undecodable message"
    record_figure("rpc: drop an undecodable message (s)", f"{took:.4f}")


def test_a_compression_bomb_is_refused(understudy_engine, bystander, hostile_socket):
    engine = start_engine(understudy_engine)
    bomb = zlib.compress(bytes(100 << 20), 9)  # 100 MiB of zeros in ~100 KiB
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(engine.port)
        sock.sendall(HEADER.pack(len(bomb), 1) + bomb + b"\n")
        took = wait_closed_by_peer(sock)
        closing_line(engine, sock, r"compressed frame inflates beyond the 64 MiB limit$", mark)
        watch.check()
    record_figure("rpc: drop a 100 MiB compression bomb (s)", f"{took:.4f}")


def test_compressed_frames_inflate_up_to_the_limit_and_not_a_byte_more(understudy_engine):
    """The channel inflates in pieces (channel.py says why); the limit must
    still hold to the byte, whether it falls on a piece's edge or inside one,
    and a broken or truncated stream is refused, not passed on."""
    engine = understudy_engine(socket="tcp")
    ns = engine.execute("""
        import socket
        import zlib
        from rpyc.core.stream import SocketStream
        from understudy_engine.channel import BoundedChannel, PeerRejected

        def receive(payload, limit, compressed=True):
            ours, theirs = socket.socketpair()
            reasons = []
            channel = BoundedChannel(SocketStream(ours), "pair", limit, 5.0,
                                     lambda peer, reason: reasons.append(reason))
            body = zlib.compress(payload, 9) if compressed else payload
            theirs.sendall(channel.FRAME_HEADER.pack(len(body), 1) + body + channel.FLUSHER)
            try:
                got = channel.recv()
                outcome = "same" if got == payload else f"different ({len(got)} bytes)"
            except PeerRejected:
                outcome = reasons[0]
            channel.close()
            theirs.close()
            return outcome

        piece = BoundedChannel.INFLATE_PIECE
        pattern = bytes(range(256)) * (piece // 256)
        outcomes = {}
        for name, limit in (("on a piece's edge", 3 * piece),
                            ("inside a piece", 3 * piece + 1000)):
            payload = (pattern * 4)[:limit]
            outcomes[name + ", at the limit"] = receive(payload, limit)
            outcomes[name + ", a byte over"] = receive(payload + b"!", limit)
        outcomes["empty"] = receive(b"", piece)
        outcomes["no limit"] = receive(pattern * 5, 0)
        whole = zlib.compress(pattern, 9)
        outcomes["truncated"] = receive(whole[:len(whole) // 2], piece, compressed=False)
        outcomes["garbage"] = receive(b"not zlib at all", piece, compressed=False)
    """)
    outcomes = dict(ns["outcomes"])
    over = "compressed frame inflates beyond the 3 MiB limit"
    assert outcomes == {
        "on a piece's edge, at the limit": "same",
        "on a piece's edge, a byte over": over,
        "inside a piece, at the limit": "same",
        "inside a piece, a byte over": "compressed frame inflates beyond the 3146728 bytes limit",
        "empty": "same",
        "no limit": "same",
        "truncated": "compressed frame is truncated",
        "garbage": outcomes["garbage"],
    }, outcomes
    assert outcomes["garbage"].startswith("compressed frame does not inflate (Error -3"), outcomes


def test_frames_read_ahead_arrive_whole_and_in_order(understudy_engine):
    """Small frames are read with what arrived behind them (channel.py's
    READ_AHEAD): frames that arrive together, a header split by the end of
    a read, a large frame behind a small one and a frame trickling in must
    all come out whole and in order, and poll() must see the bytes kept."""
    engine = understudy_engine(socket="tcp")
    ns = engine.execute("""
        import socket
        import threading
        import time
        from rpyc.core.stream import SocketStream
        from understudy_engine.channel import BoundedChannel

        ours, theirs = socket.socketpair()
        channel = BoundedChannel(SocketStream(ours), "pair", 1 << 20, 5.0,
                                 lambda peer, reason: None)
        ahead = BoundedChannel.READ_AHEAD

        def frame(payload):
            return channel.FRAME_HEADER.pack(len(payload), 0) + payload + channel.FLUSHER

        def payload(index, size):
            return (b"%d:" % index + bytes(range(256)) * (size // 256 + 1))[:size]

        # Together: 40 small ones; one ending 2 bytes into the next header;
        # a large one behind a small one.
        sizes = [100] * 40 + [ahead - 8, 50, 100, 3 * ahead, 10]
        sent = [payload(i, size) for i, size in enumerate(sizes)]
        theirs.sendall(b"".join(frame(p) for p in sent))
        received, polled = [], []
        for _ in sent:
            polled.append(channel.poll(0))
            received.append(channel.recv())
        polled_after = channel.poll(0)

        # Trickling: a small frame a few bytes at a time, from another thread.
        last = payload(99, 300)
        def trickle():
            data = frame(last)
            for at in range(0, len(data), 7):
                theirs.sendall(data[at:at + 7])
                time.sleep(0.001)
        writer = threading.Thread(target=trickle)
        writer.start()
        trickled = channel.recv()
        writer.join()
        channel.close()
        theirs.close()
        in_order = received == sent
        whole = trickled == last
        every_poll = all(polled)
    """)
    assert ns["in_order"], "frames read ahead came out changed or out of order"
    assert ns["every_poll"], "poll() missed bytes read ahead"
    assert not ns["polled_after"], "poll() saw bytes after every frame was received"
    assert ns["whole"], "a frame arriving a few bytes at a time came out changed"


def test_a_truncated_frame_is_dropped_at_the_frame_deadline(understudy_engine, bystander,
                                                            hostile_socket):
    engine = start_engine(understudy_engine)
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(engine.port)
        sock.sendall(HEADER.pack(1000, 0) + b"x" * 10)
        took = wait_closed_by_peer(sock)
        closing_line(engine, sock, r"frame incomplete after the 1 s frame deadline \(10 bytes of "
                                   r"its payload arrived\)$", mark)
        figures = watch.check()
    assert DEADLINE - 0.05 <= took <= DEADLINE + CLOSE_MARGIN, (
        f"the truncated frame was dropped after {took:.3f} s; expected about the {DEADLINE} s "
        "deadline")
    record_figure("rpc: truncated frame dropped after (s, deadline 1)", f"{took:.4f}")
    record_figure("rpc: truncated frame, bystander", figures)


def test_a_byte_a_second_is_dropped_at_the_frame_deadline(understudy_engine, bystander,
                                                          hostile_socket):
    engine = understudy_engine("--frame-deadline", "2.5", socket="tcp", control=True)
    frame = HEADER.pack(20, 0) + b"x" * 20 + b"\n"
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(engine.port)
        stop = threading.Event()

        def send_slowly():
            for byte in frame:
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    return
                if stop.wait(1.0):
                    return

        sender = threading.Thread(target=send_slowly, daemon=True)
        sender.start()
        try:
            took = wait_closed_by_peer(sock, 5.0)
        finally:
            stop.set()
            sender.join(timeout=2)
        closing_line(engine, sock, r"frame incomplete after the 2\.5 s frame deadline \(3 bytes "
                                   r"of its header arrived\)$", mark)
        figures = watch.check()
    assert 2.5 - 0.05 <= took <= 2.5 + CLOSE_MARGIN, (
        f"the slow sender was dropped after {took:.3f} s; expected the 2.5 s deadline")
    record_figure("rpc: slowloris (1 byte/s) dropped after (s, deadline 2.5)", f"{took:.4f}")
    record_figure("rpc: slowloris, bystander", figures)


def test_limits_are_flags_and_faithful_keeps_them(understudy_engine, hostile_socket):
    """--faithful is stock RPyC's dispatch, not stock RPyC's lack of limits:
    it still refuses the 4 GiB header. Only every limit at 0 (the frame
    budget too) reads like stock RPyC: the connection waits for the
    announced bytes."""
    faithful = understudy_engine("--faithful", "--max-frame-bytes", "1024", socket="tcp")
    mark = faithful.console_mark()
    sock = hostile_socket(faithful.port)
    sock.sendall(HEADER.pack(2048, 0))
    wait_closed_by_peer(sock)
    closing_line(faithful, sock, r"frame of 2048 bytes exceeds the 1 KiB limit$", mark)

    stock = understudy_engine("--faithful", "--max-frame-bytes", "0", "--frame-deadline", "0",
                              "--max-buffered-bytes", "0", socket="tcp")
    mark = stock.console_mark()
    sock = hostile_socket(stock.port)
    sock.sendall(HEADER.pack(0xFFFFFFFF, 0) + b"x" * 10)
    try:
        wait_closed_by_peer(sock, 1.5)
    except AssertionError:
        pass  # still open, as stock RPyC leaves it
    else:
        raise AssertionError("with every limit at 0 the engine closed the connection; stock "
                             "RPyC would still be waiting for the 4 GiB it was promised")
    stock.assert_no_console(r"^closing connection from", since=mark)


@pytest.mark.parametrize("mode", [(), ("--faithful",)], ids=["default", "faithful"])
def test_garbage_instead_of_a_reply_fails_the_call_at_once(understudy_engine, client_process,
                                                           mode):
    """The main thread waits for the client's reply and may be the thread
    that reads the garbage: the call fails as a disconnect, not after the
    call timeout, and the connection's receive lock is not left held."""
    engine = start_engine(understudy_engine, *mode)
    garbler = client_process("clients/garbling_client.py", name="garbler")
    mark = engine.console_mark()
    outcome = engine.call_client("garbler", "garble", timeout=10)
    assert outcome.error_type == "ClientDisconnectedError", outcome
    assert outcome.elapsed < 1.0, f"the call failed after {outcome.elapsed:.3f} s, not at once"
    engine.wait_for_console(r"^closing connection from 127\.0\.0\.1:\d+: undecodable message of "
                            r"100 bytes", since=mark, severity="warning")
    garbler.wait_for_output(r"the engine closed the connection$")
    engine.wait_for_clients({})
    record_figure(f"rpc: call answered with garbage fails after (s, {mode or 'default'})",
                  f"{outcome.elapsed:.4f}")


@pytest.mark.parametrize("mode", [(), ("--faithful",)], ids=["default", "faithful"])
def test_a_client_that_stops_reading_is_dropped_at_the_frame_deadline(understudy_engine,
                                                                      client_process, mode):
    """A paused client stops reading; a call bigger than the socket buffers
    cannot be sent. Stock RPyC's send waits for ever, holding the main thread;
    here the frame deadline bounds it: the call fails as a disconnect, the
    connection is closed and logged, and the engine goes on serving. The
    payload is random so that RPyC's compression leaves it large; compressing
    it takes time of its own, measured first."""
    engine = start_engine(understudy_engine, *mode)
    paused = client_process("clients/sized_client.py", name="paused")
    mark = engine.console_mark()
    paused.send_signal(signal.SIGSTOP)
    try:
        ns = call_paused_client(engine, mib=16, timeout=30, measure_compress=True)
    finally:
        paused.send_signal(signal.SIGCONT)
    outcome = {k: ns[k] for k in ("error_type", "error", "elapsed", "compress_seconds")}
    assert ns["error_type"] == "ClientDisconnectedError", outcome
    assert "peer stopped reading" in ns["error"], outcome
    assert DEADLINE - 0.05 <= ns["elapsed"], outcome
    assert ns["elapsed"] <= 2 * ns["compress_seconds"] + DEADLINE + CLOSE_MARGIN, outcome
    engine.wait_for_console(r"^closing connection from 127\.0\.0\.1:\d+: peer stopped reading: "
                            r"\d+ of the \d+ bytes of a frame to it unsent after the 1 s frame "
                            r"deadline$", since=mark, severity="warning")
    engine.wait_for_clients({})
    frame = engine.frame()
    engine.wait_until(lambda: engine.frame() > frame, "frames after the paused client was dropped")
    record_figure(f"rpc: call to a client that stopped reading fails after (s, deadline 1, "
                  f"{mode or 'default'}; compressing took {ns['compress_seconds']:.2f})",
                  f"{ns['elapsed']:.4f}")


def still_open(sock, wait=0.3):
    """True if the engine keeps `sock` open (it sends nothing to an idle peer)."""
    sock.settimeout(wait)
    try:
        return sock.recv(1) != b""
    except socket.timeout:
        return True
    except (ConnectionResetError, BrokenPipeError):
        return False


def test_connections_beyond_the_cap_are_closed_and_logged(understudy_engine, bystander,
                                                         hostile_socket):
    """Every connection costs the engine a thread: past --max-connections a
    new one is closed at accept, with a console line naming it, while the
    open ones (the bystander's among them) are served; closing one makes
    room again."""
    cap = 6
    engine = start_engine(understudy_engine, "--max-connections", str(cap))
    with bystander(engine) as watch:
        mark = engine.console_mark()
        admitted = []
        refused = None
        for _ in range(cap + 1):  # the harness and the bystander hold some already
            sock = hostile_socket(engine.port)
            if still_open(sock):
                admitted.append(sock)
            else:
                refused = sock
                break
        assert refused is not None, f"{len(admitted)} idle connections beyond the harness's " \
                                    f"were all kept open with --max-connections {cap}"
        closing_line(engine, refused, rf"{cap} connections are open, the --max-connections cap$",
                     mark)
        assert all(still_open(sock) for sock in admitted), "an admitted connection was closed"

        admitted.pop().close()
        engine.wait_until(lambda: still_open(hostile_socket(engine.port)),
                          "a new connection to be kept once one had closed")
        figures = watch.check()
    record_figure("rpc: connections beyond the cap, bystander", figures)
