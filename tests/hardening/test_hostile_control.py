"""The engine's control channel (--control PATH, JSON lines on a Unix socket)
against hostile and careless peers: lines nested 200,000 deep, answers that
JSON cannot carry, a connection that never reads, a peer of another uid, and
a --control path with something else already there. Each peer is a real
socket in this process (or, for the other uid, a real process that dropped
to uid 65534); the engine is the real one."""

import json
import os
import socket
import stat
import subprocess
import sys
import time

import threading

import pytest
from conftest import record_figure

import understudy_client as client_library
import understudy_protocol as protocol
from understudy_pytest import ControlProtocolError

OTHER_UID = 65534  # nobody
ANSWER_TIMEOUT = 10.0
NESTING = 200_000  # a 400 KB line: it killed the engine with SIGSEGV


class ControlPeer:
    """A raw connection to the engine's control socket that reads only when
    told to."""

    def __init__(self, engine):
        self.engine = engine
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(engine.control_path))
        self.buffered = b""

    def close(self):
        self.sock.close()

    def send(self, line):
        self.sock.sendall(line.encode() + b"\n")

    def read_line(self, timeout=ANSWER_TIMEOUT):
        """The next line as the engine wrote it (bytes, no newline)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffered:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line from the engine within {timeout} s; read so far "
                                     f"{self.buffered[:200]!r}\n{self.engine.failure_context()}")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            if not chunk:
                raise AssertionError(f"the engine closed the control connection without a line "
                                     f"(engine alive: {self.engine.popen.poll() is None})\n"
                                     f"{self.engine.failure_context()}")
            self.buffered += chunk
        line, _, self.buffered = self.buffered.partition(b"\n")
        return line

    def answer(self, request_id, timeout=ANSWER_TIMEOUT):
        """The response to `request_id`, decoded; events before it are skipped.
        Fails if a line is not JSON."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.read_line(max(0.01, deadline - time.monotonic()))
            try:
                message = json.loads(line)
            except ValueError as exc:
                raise AssertionError(f"the engine sent a line that is not JSON ({exc}): "
                                     f"{line[:200]!r}") from None
            if message.get("id") == request_id and "event" not in message:
                return message


@pytest.fixture
def control_peer():
    peers = []

    def connect(engine):
        peer = ControlPeer(engine)
        peers.append(peer)
        return peer

    yield connect
    for peer in peers:
        peer.close()


def nested(depth):
    return "[" * depth + "]" * depth


def test_a_request_nested_200000_deep_is_refused_and_the_engine_stays_up(
        understudy_engine, control_peer):
    engine = understudy_engine()
    peer = control_peer(engine)
    # Each of these copied or printed the request recursively.
    for request_id, (op, where) in enumerate(
            [("call", "args"), ("registry", "filter"), ("python", "code")], start=1):
        peer.send(f'{{"id": {request_id}, "op": "{op}", "client": "x", "service": "y", '
                  f'"{where}": {nested(NESTING)}}}')
        answer = peer.answer(None)
        assert answer["ok"] is False, (op, answer)
        assert answer["error"]["type"] == "BadRequest", (op, answer)
        assert "nested deeper than 100 levels" in answer["error"]["message"], (op, answer)
    # The same connection and the engine go on serving.
    peer.send('{"id": 9, "op": "python", "code": "6 * 7"}')
    assert peer.answer(9)["result"] == 42
    assert engine.frame() > 0


def test_a_request_nested_as_deep_as_the_limit_is_served(understudy_engine, control_peer):
    engine = understudy_engine()
    peer = control_peer(engine)
    # The request object is one level; its "x" is 99 more.
    peer.send(f'{{"id": 1, "op": "python", "code": "len([1])", "x": {nested(99)}}}')
    assert peer.answer(1) == {"id": 1, "ok": True, "result": 1}


def test_the_python_codec_refuses_the_requests_the_engine_refuses(understudy_engine, control_peer):
    """understudy_protocol, the codec of every Python end of the channel,
    draws the nesting line where the engine's codec does."""
    engine = understudy_engine()
    peer = control_peer(engine)
    for request_id, depth in enumerate([98, 99, 100, 101], start=1):
        line = f'{{"id": {request_id}, "op": "ping", "x": {nested(depth)}}}'
        peer.send(line)
        engine_served = peer.answer(request_id if depth < 100 else None)["ok"]
        try:
            protocol.decode_request(line.encode())
            python_served = True
        except protocol.ProtocolError as exc:
            assert "nested deeper than 100 levels" in str(exc), exc
            python_served = False
        assert python_served == engine_served == (depth < 100), (depth, engine_served)


def test_a_python_value_json_cannot_carry_is_an_error_naming_it(understudy_engine, control_peer):
    engine = understudy_engine()
    peer = control_peer(engine)
    for request_id, (code, named) in enumerate([
            ("float('nan')", "the code's value is nan"),
            ("[1.0, float('inf')]", "the code's value[1] is inf"),
            ("{'a': {'b': -float('inf')}}", "the code's value['a']['b'] is -inf"),
    ], start=1):
        peer.send(json.dumps({"id": request_id, "op": "python", "code": code}))
        answer = peer.answer(request_id)  # fails on a line that is not JSON
        assert answer["ok"] is False, (code, answer)
        assert answer["error"]["type"] == "NonFiniteNumber", (code, answer)
        assert named in answer["error"]["message"], (code, answer)
        assert "JSON cannot carry" in answer["error"]["message"], (code, answer)


def test_a_client_value_json_cannot_carry_is_an_error_naming_it(
        understudy_engine, understudy_client, control_peer):
    class NotANumber(client_library.ClientService):
        def exposed_reading(self):
            return (0.5, float("nan"))  # a tuple: RPyC sends it by value

    engine = understudy_engine()
    understudy_client("sensor", service=NotANumber())
    peer = control_peer(engine)
    peer.send(json.dumps({"id": 1, "op": "call", "client": "sensor", "service": "reading"}))
    answer = peer.answer(1)
    assert answer["ok"] is False, answer
    assert answer["error"]["type"] == "NonFiniteNumber", answer
    assert "the call's outcome['value'][1] is nan" in answer["error"]["message"], answer


def test_a_client_value_nested_past_the_channels_limit_is_an_error_naming_it(
        understudy_engine, understudy_client, control_peer):
    """A client's answer of tuples nested 150 deep (the engine lets RPyC
    messages nest 200 deep here) is parsed by the engine with the control
    channel's own bound: the call fails with an error saying why, not with a
    line the harness would refuse, and the engine serves the next request."""
    class Nested(client_library.ClientService):
        def exposed_reading(self):
            value = 0
            for _ in range(150):
                value = (value,)  # tuples: RPyC sends them by value
            return value

    engine = understudy_engine("--max-message-depth", "200")
    understudy_client("sensor", service=Nested())
    peer = control_peer(engine)
    peer.send(json.dumps({"id": 1, "op": "call", "client": "sensor", "service": "reading"}))
    answer = peer.answer(1)
    assert answer["ok"] is False, answer
    assert answer["error"]["type"] == "UnsendableValue", answer
    assert "nested deeper than 100 levels" in answer["error"]["message"], answer
    peer.send(json.dumps({"id": 2, "op": "registry"}))
    assert peer.answer(2)["ok"] is True


def test_the_plugin_names_a_control_line_that_is_not_json(understudy_engine, tmp_path):
    """What the engine sent as a NaN before it refused them: the plugin's
    control_request fails naming the line, not with a bare JSONDecodeError.
    The garbling peer is a real socket standing in for the engine's control
    path."""
    engine = understudy_engine()
    path = tmp_path / "garbling-control.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    listener.settimeout(ANSWER_TIMEOUT)

    def answer_with_garbage():
        with listener, listener.accept()[0] as peer:
            peer.recv(4096)
            peer.sendall(b'{"id": 1, "ok": true, "result": <discarded>}\n')

    garbler = threading.Thread(target=answer_with_garbage, daemon=True)
    garbler.start()
    real_path, engine.control_path = engine.control_path, path
    try:
        with pytest.raises(ControlProtocolError) as failure:
            engine.control_request("ping", timeout=ANSWER_TIMEOUT)
    finally:
        engine.control_path = real_path
        garbler.join(ANSWER_TIMEOUT)
    message = str(failure.value)
    assert "sent a control line that is not JSON" in message, message
    assert "answering control request ping" in message, message
    assert "<discarded>" in message, message


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS in /proc/{pid}/status")


# Records in the flood: enough that an unbounded queue (about 24 MiB per
# 100,000) stands well clear of the allocator's own growth while the engine
# makes them (6-15 MiB, whatever the queue does).
FLOOD = 200_000
_FLOOD_CODE = """
import unreal_engine as ue
for i in range({count}):
    ue.log(f"{prefix} {{i:06d}} " + "x" * 80)
"""


def test_a_connection_that_never_reads_costs_bounded_memory_and_is_told_what_it_missed(
        understudy_engine, control_peer):
    engine = understudy_engine()
    idle = control_peer(engine)
    idle.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    idle.send('{"id": 1, "op": "ping"}')
    idle.answer(1)  # it is served: from here on every event is sent to it
    # The console keeps the newest 20,000 records whoever reads them: they
    # are there before measuring.
    engine.control_request("python", code=_FLOOD_CODE.format(count=20_000, prefix="warm-up"),
                           timeout=60)
    before = rss_kib(engine.popen.pid)
    engine.control_request("python", code=_FLOOD_CODE.format(count=FLOOD, prefix="flood"),
                           timeout=60)
    engine.frame()  # answered after the control thread queued every record
    grown_mib = (rss_kib(engine.popen.pid) - before) / 1024
    record_figure("control.idle_connection_rss_growth_mib_per_200k_records", round(grown_mib, 1))
    assert grown_mib < 24, (f"the engine grew by {grown_mib:.1f} MiB while one control "
                            f"connection did not read {FLOOD} console records (its queue is "
                            f"bounded at 8 MiB)\n{engine.failure_context()}")
    engine.wait_for_console(r"^control connection \d+ \(pid \d+ uid \d+\) reads too slowly",
                            severity="warning")

    # Now it reads: every line is JSON, and each gap in the records is
    # covered by an events_dropped event where the gap is.
    received, dropped_since_last, last = 0, 0, -1
    while last < FLOOD - 1:
        message = json.loads(idle.read_line())
        if message.get("event") == "events_dropped":
            dropped_since_last += message["data"]["count"]
            continue
        text = message.get("data", {}).get("text", "") if message.get("event") == "console" else ""
        if not text.startswith("flood "):
            continue
        index = int(text.split()[1])
        missed = index - last - 1
        assert missed <= dropped_since_last, (
            f"records {last + 1}..{index - 1} of the flood never came and only "
            f"{dropped_since_last} were said to be dropped there")
        received, dropped_since_last, last = received + 1, 0, index
    record_figure("control.idle_connection_records_received_of_200k", received)
    assert received < FLOOD, "nothing was dropped: did the connection read after all?"
    engine.frame()  # the engine answers others meanwhile


def test_a_connection_that_asks_without_reading_the_answers_is_closed(
        understudy_engine, control_peer):
    engine = understudy_engine()
    greedy = control_peer(engine)
    greedy.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    mark = engine.console_mark()
    # 12 answers of 8 MB: more than the 64 MiB of unread answers a
    # connection may leave.
    for request_id in range(12):
        greedy.send(json.dumps({"id": request_id, "op": "python", "code": "'x' * 8_000_000"}))
    engine.wait_for_console(
        r"^closing control connection \d+ \(pid \d+ uid \d+\): it left more than 67108864 "
        r"bytes of answers unread$", timeout=30, since=mark, severity="warning")
    greedy.sock.settimeout(ANSWER_TIMEOUT)
    while greedy.sock.recv(1 << 20):  # what was written before it was closed, then EOF
        pass
    assert engine.control_request("python", code="6 * 7") == 42


# Run as the other user: send a python request, report what came back.
_REQUEST_AS_OTHER = """
import socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.settimeout(5)
sock.connect(sys.argv[1])
print("connected as uid", __import__("os").getuid(), flush=True)
try:
    sock.sendall(b'{"id": 1, "op": "python", "code": "__import__(\\'os\\').getuid()"}\\n')
    data = sock.recv(65536)
    print("closed by the engine" if not data else f"engine answered {data!r}")
except (ConnectionResetError, BrokenPipeError):
    print("closed by the engine")
except socket.timeout:
    print("still open after 5 s")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another uid needs root")
def test_a_peer_of_another_uid_is_refused_even_if_the_socket_is_opened_up(understudy_engine):
    engine = understudy_engine()
    # As a careless chmod would: the folder and the socket reachable by all.
    os.chmod(engine.control_path.parent, 0o711)
    os.chmod(engine.control_path, 0o666)
    mark = engine.console_mark()
    done = subprocess.run([sys.executable, "-c", _REQUEST_AS_OTHER, str(engine.control_path)],
                          user=OTHER_UID, group=OTHER_UID, extra_groups=[], cwd="/",
                          capture_output=True, text=True, timeout=15)
    assert done.returncode == 0, done
    said = done.stdout.strip()
    assert said.splitlines() == [f"connected as uid {OTHER_UID}", "closed by the engine"], said
    engine.wait_for_console(
        rf"^closing control connection from unix socket peer pid \d+ uid {OTHER_UID}: uid "
        rf"{OTHER_UID} is not the engine's user \(uid {os.geteuid()}\)$",
        since=mark, severity="warning")
    assert engine.control_request("python", code="6 * 7") == 42  # the owner is served


# --- what is at the --control path before the engine starts ---

def refused_start(understudy_engine, path, what):
    ended = understudy_engine.run_to_exit("--control", str(path), timeout=20)
    assert ended.returncode == 1, (ended.returncode, ended.stderr[-2000:])
    expected = (f"understudy-engine: error: cannot use {path} for the control socket: it is "
                f"{what}, not a socket")
    assert expected in ended.stderr, ended.stderr[-2000:]


def test_a_regular_file_at_the_control_path_is_left_alone(understudy_engine, tmp_path):
    path = tmp_path / "precious.txt"
    path.write_text("keep me")
    refused_start(understudy_engine, path, "a regular file")
    assert path.read_text() == "keep me"


def test_a_symbolic_link_at_the_control_path_is_not_followed(understudy_engine, tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    path = tmp_path / "control.sock"
    path.symlink_to(target)
    refused_start(understudy_engine, path, "a symbolic link")
    assert path.is_symlink() and target.read_text() == "keep me"


def test_a_directory_at_the_control_path_is_left_alone(understudy_engine, tmp_path):
    path = tmp_path / "control.sock"
    path.mkdir()
    refused_start(understudy_engine, path, "a directory")
    assert path.is_dir()


def test_a_socket_another_process_listens_on_is_left_alone(understudy_engine, tmp_path):
    path = tmp_path / "control.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        listener.listen()
        ended = understudy_engine.run_to_exit("--control", str(path), timeout=20)
        assert ended.returncode == 1, (ended.returncode, ended.stderr[-2000:])
        assert f"cannot use {path} for the control socket: another process listens on it" in \
            ended.stderr, ended.stderr[-2000:]
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
        listener.settimeout(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as late:
            late.connect(str(path))  # still its socket
            listener.accept()[0].close()


def test_a_socket_left_by_an_engine_that_is_gone_is_replaced(understudy_engine):
    first = understudy_engine()
    path = first.control_path
    first.kill()  # SIGKILL: its socket file stays
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    # The factory gives every engine a control path of its own; this one
    # gets the dead engine's.
    second = understudy_engine._make((), None, control=True)
    second.control_path = path
    second.start()
    assert second.control_request("python", code="6 * 7") == 42
