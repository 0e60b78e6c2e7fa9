"""The shared-token authenticator (--auth-token-file, or
$UNDERSTUDY_AUTH_TOKEN_FILE): a real client process with the token registers
and the engine calls it; peers with a wrong token, without one, or silent are
closed with a console line naming them, while the engine keeps serving the
others. The harness's own connection (engine.execute) sends the token too."""

import re
import time
from pathlib import Path

import pytest
import rpyc

import understudy_client
from conftest import record_figure, wait_closed_by_peer

ECHO_CLIENT = Path(__file__).resolve().parents[1] / "rpc" / "clients" / "echo_client.py"



def refused(engine, port, reason, since):
    return engine.wait_for_console(rf"^closing connection from 127\.0\.0\.1:{port}: {reason}$",
                                   since=since, severity="warning")


def test_the_right_token_works_end_to_end(understudy_engine, client_process, token_file):
    engine = understudy_engine("--auth-token-file", str(token_file))
    client_process(ECHO_CLIENT, name="echo")
    outcome = engine.call_client("echo", "echo", 41)
    assert outcome.value == 41, outcome
    assert engine.execute("x = 6 * 7")["x"] == 42  # the harness's connection sent it too
    engine.assert_no_console(r"^closing connection from")


def test_wrong_missing_and_late_tokens_are_refused_while_others_are_served(
        understudy_engine, bystander, hostile_socket, token_file, tmp_path):
    engine = understudy_engine("--auth-token-file", str(token_file), "--frame-deadline", "1",
                               control=True)
    with bystander(engine) as watch:
        mark = engine.console_mark()
        wrong = hostile_socket(engine.port)
        wrong.sendall(b"not-the-token-at-all-but-just-as-long\n")
        took = wait_closed_by_peer(wrong)
        refused(engine, wrong.getsockname()[1], "wrong auth token", mark)
        record_figure("auth: wrong token refused after (s)", f"{took:.4f}")

        plain = rpyc.connect("127.0.0.1", engine.port)  # RPyC without the token
        port = plain._channel.stream.sock.getsockname()[1]
        with pytest.raises(EOFError):
            plain.root.list()
        refused(engine, port, r"sent an RPyC frame instead of the auth token \(a client without "
                              r"the token\)", mark)

        silent = hostile_socket(engine.port)
        took = wait_closed_by_peer(silent)
        refused(engine, silent.getsockname()[1], "no auth token within 1 s", mark)
        assert 0.95 <= took <= 2.0, f"a silent peer was dropped after {took:.3f} s, not ~1 s"

        wrong_file = tmp_path / "wrong.token"
        wrong_file.write_text("another-secret\n")
        with pytest.raises(ConnectionError, match="missing or wrong auth token"):
            understudy_client.connect("impostor", address=engine.address, timeout=0.5,
                                      auth_token_file=str(wrong_file), stack_dump_signal=None)
        figures = watch.check()
    assert engine.connected_clients() == {"bystander": 1}
    record_figure("auth: refusals, bystander", figures)


def test_the_token_file_can_come_from_the_environment(understudy_engine, client_process,
                                                      hostile_socket, token_file):
    engine = understudy_engine(env={"UNDERSTUDY_AUTH_TOKEN_FILE": str(token_file)})
    client_process(ECHO_CLIENT, name="echo")
    assert engine.call_client("echo", "echo", "hi").value == "hi"
    mark = engine.console_mark()
    sock = hostile_socket(engine.port)
    sock.sendall(b"x" * 36 + b"\n")
    wait_closed_by_peer(sock)
    refused(engine, sock.getsockname()[1], "wrong auth token", mark)


@pytest.mark.parametrize("content, problem", [("", "is empty"), ("a\nb\n", "holds more than one line")])
def test_an_unusable_token_file_stops_the_engine(understudy_engine, tmp_path, content, problem):
    path = tmp_path / "bad.token"
    path.write_text(content)
    ended = understudy_engine.run_to_exit("--auth-token-file", str(path))
    assert ended.returncode != 0, ended
    assert re.search(rf"the auth token file {re.escape(str(path))} {problem}", ended.stderr), ended


def test_a_token_file_others_can_read_is_warned_about(understudy_engine, token_file):
    token_file.chmod(0o644)
    engine = understudy_engine("--auth-token-file", str(token_file))
    engine.wait_for_console(r"is readable by other users \(mode 0644\); chmod 600 it",
                            severity="warning")


def test_a_peer_still_owing_its_token_does_not_hold_up_a_stop(understudy_engine, hostile_socket,
                                                              token_file):
    engine = understudy_engine("--auth-token-file", str(token_file))
    silent = hostile_socket(engine.port)
    engine.wait_until(lambda: silent.getpeername(), "the silent peer to be connected")
    started = time.monotonic()
    assert engine.stop() == 0
    took = time.monotonic() - started
    assert took < 2.0, f"the engine took {took:.3f} s to stop beside a silent peer"
    engine.assert_no_console(r"did not stop")
