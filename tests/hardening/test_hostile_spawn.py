"""Hostile bytes on the spawn port: scenarios/engine/tcp_spawn_server.py (the
asyncio tutorial's server, one Character per line) running in a real engine,
attacked over raw sockets while the bystander keeps calling the engine over
RPC. The server runs on the engine's asyncio loop, ticked once per frame, so
a stuck handler would stop the frames: the bystander would see it."""

import random
import re
import socket
import threading
from pathlib import Path

import pytest

from conftest import record_figure, wait_closed_by_peer

SPAWN_SERVER = Path(__file__).resolve().parents[2] / "scenarios" / "engine" / "tcp_spawn_server.py"
LINE_DEADLINE = 1.5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_spawn_server(understudy_engine):
    port = free_port()
    engine = understudy_engine(
        "--script", str(SPAWN_SERVER), control=True,
        env={"UNDERSTUDY_SCENARIO_PORT": str(port),
             "SPAWN_SERVER_LINE_DEADLINE": str(LINE_DEADLINE)})
    engine.wait_for_console(rf"^tcp server spawned on 127\.0\.0\.1:{port}$")
    return engine, port


def closing_line(engine, sock, reason, since):
    host, port = sock.getsockname()[:2]
    return engine.wait_for_console(
        rf"^closing connection from {re.escape(host)}:{port}: {reason}", since=since,
        severity="warning")


def disconnected_line(engine, sock, since):
    host, port = sock.getsockname()[:2] if hasattr(sock, "getsockname") else sock
    record = engine.wait_for_console(
        rf"^client {re.escape(host)}:{port} disconnected after (\d+) lines$", since=since)
    return int(re.search(r"after (\d+) lines", record.text).group(1))


@pytest.mark.parametrize("end", [b"", b"\n"], ids=["unfinished", "finished"])
def test_an_over_long_line_gets_an_error_and_is_closed(understudy_engine, bystander,
                                                       hostile_socket, end):
    """Finished or not: a line that ends after more than 65536 bytes spans
    reads, and must not spawn an actor when its newline finally comes."""
    engine, port = start_spawn_server(understudy_engine)
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(port)
        sock.sendall(b"ok-line\n" + b"x" * 100_000 + end)
        sock.settimeout(5)
        assert sock.recv(200) == b"error: line longer than 65536 bytes\n"
        took = wait_closed_by_peer(sock)
        closing_line(engine, sock, r"it sent a line longer than 65536 bytes$", mark)
        assert disconnected_line(engine, sock, mark) == 1
        watch.check()
    assert "x" * 100 not in "".join(engine.actor_labels())
    record_figure("spawn: over-long line closed after the error line (s)", f"{took:.4f}")


def test_a_byte_a_second_is_dropped_at_the_line_deadline(understudy_engine, bystander,
                                                         hostile_socket):
    engine, port = start_spawn_server(understudy_engine)
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(port)
        stop = threading.Event()

        def send_slowly():
            for byte in b"slow-label-never-ends":
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    return
                if stop.wait(1.0):
                    return

        sender = threading.Thread(target=send_slowly, daemon=True)
        sender.start()
        try:
            took = wait_closed_by_peer(sock)
        finally:
            stop.set()
            sender.join(timeout=2)
        closing_line(engine, sock, r"a line was not finished within 1\.5 s \(2 bytes so far\)$",
                     mark)
        assert disconnected_line(engine, sock, mark) == 0
        figures = watch.check()
    assert LINE_DEADLINE - 0.05 <= took <= LINE_DEADLINE + 1.0, (
        f"the slow sender was dropped after {took:.3f} s; expected the {LINE_DEADLINE} s deadline")
    record_figure("spawn: slowloris (1 byte/s) dropped after (s, deadline 1.5)", f"{took:.4f}")
    record_figure("spawn: slowloris, bystander", figures)


def test_random_bytes_spawn_one_actor_per_line_and_the_rest_times_out(understudy_engine,
                                                                       bystander, hostile_socket):
    engine, port = start_spawn_server(understudy_engine)
    data = random.Random(11).randbytes(64 * 1024)
    data = data[:data.rfind(b"\n") + 1] + b"unfinished"
    with bystander(engine) as watch:
        mark = engine.console_mark()
        sock = hostile_socket(port)
        sock.sendall(data)
        took = wait_closed_by_peer(sock)
        closing_line(engine, sock, r"a line was not finished within 1\.5 s \(10 bytes so far\)$",
                     mark)
        spawned = disconnected_line(engine, sock, mark)
        watch.check()
    lines = data.count(b"\n")
    assert spawned == lines, f"the server spawned {spawned} actors for {lines} lines"
    assert engine.find_console(r"sent a line that is not UTF-8", since=mark), \
        "random bytes are not UTF-8: the server should have said so"
    record_figure("spawn: 64 KiB of random bytes (lines, closed after s)", f"{spawned}, {took:.4f}")


def test_bytes_that_are_not_utf8_are_replaced_and_logged(understudy_engine, hostile_socket):
    """Not a reason to close: the tutorial's server labels actors with what
    it gets, and the shipped scenario expects the replacement characters."""
    engine, port = start_spawn_server(understudy_engine)
    mark = engine.console_mark()
    sock = hostile_socket(port)
    sock.sendall(b"bad-\xff\xfe-utf8\nafter-it\n")
    host, client_port = sock.getsockname()[:2]
    engine.wait_for_console(rf"^client {re.escape(host)}:{client_port} sent a line that is not "
                            r"UTF-8 \(invalid start byte at byte 4\); undecodable bytes "
                            r"replaced$", since=mark, severity="warning")
    engine.wait_until(lambda: {"bad-\ufffd\ufffd-utf8", "after-it"} <= set(engine.actor_labels()),
                      "actors labelled 'bad-\ufffd\ufffd-utf8' and 'after-it'",
                      seen=engine.actor_labels)
    sock.close()
    assert disconnected_line(engine, (host, client_port), mark) == 2
