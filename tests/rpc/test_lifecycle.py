"""Clients and servers coming and going: a client killed in the middle of a
call, a domain reload while clients are busy, one server per port or socket,
and the Unix socket transport."""

import signal
import stat

ECHO = "clients/echo_client.py"


def test_client_killed_during_a_synchronous_call_releases_the_main_thread(
        understudy_engine, client_process):
    call_timeout = 10.0  # the release must come long before it
    engine = understudy_engine("--call-timeout", str(call_timeout))
    victim = client_process(ECHO, name="victim")
    bystander = client_process(ECHO, name="bystander")
    mark = engine.console_mark()

    call = engine.start_call("victim", "work", 30)
    victim.wait_for_output(r"work started")
    victim.kill()
    outcome = call.wait(timeout=call_timeout + 5)

    assert outcome.error_type == "ClientDisconnectedError", outcome
    assert outcome.elapsed < 2.0, (
        f"the main thread should be released as soon as the client is gone, long before the "
        f"{call_timeout} s timeout: {outcome}")
    engine.wait_for_console(r"^client 'victim' disconnected", since=mark)
    engine.wait_for_clients({"bystander": 1})
    assert engine.call_client("victim", "echo", 1).error_type == "ClientNotFoundError"
    answer = engine.call_client("bystander", "echo", "still here")
    assert (answer.error_type, answer.value) == (None, "still here"), answer
    assert bystander.running()


def test_reload_while_a_client_is_busy_does_not_hang_and_clients_come_back(
        understudy_engine, client_process):
    # TCP: the busy client answers its call after the server closed, and on
    # TCP that first write succeeds, so it goes on to read the notice waiting
    # for it. On a Unix socket the write fails at once (EPIPE) and the client
    # reconnects without reading the notice (the same in Unity).
    engine = understudy_engine(socket="tcp")
    idle = client_process(ECHO, name="idle", args=["--reconnect"])
    busy = client_process(ECHO, name="busy", args=["--reconnect"])
    busy_seconds = 1.5

    # The coroutine path leaves the main thread free while the client works.
    busy_call = engine.start_call("busy", "work", busy_seconds, path="coroutine")
    busy.wait_for_output(r"work started")
    mark = engine.console_mark()
    engine.reload()

    begun = engine.wait_for_console(r"^domain reload: stopping the rpc server", since=mark)
    done = engine.wait_reloaded(since=mark)
    assert done.time - begun.time < 1.0, (
        f"the reload took {done.time - begun.time:.3f} s while a client was busy; it must not "
        "wait for the client")
    engine.assert_no_console(r"did not stop within", since=mark)
    idle.wait_for_output(r"on_server_shutdown invite_retry=True")
    idle.wait_for_output(r"connected \(connection 2\)")
    # The busy client reads the notice once its service returns, then reconnects.
    busy.wait_for_output(r"work finished")
    busy.wait_for_output(r"on_server_shutdown invite_retry=True", timeout=busy_seconds + 5)
    busy.wait_for_output(r"connected \(connection 2\)")
    # The engine coroutine waiting for the busy client belonged to the old
    # domain: it ended with an error during the reload, not with a reply later.
    ended = busy_call.ended()
    assert not ended.text.endswith(": returned") and ended.time <= done.time, (ended, done)

    engine.wait_for_clients({"idle": 1, "busy": 1})
    for name in ("idle", "busy"):
        answer = engine.call_client(name, "echo", f"{name} is back")
        assert (answer.error_type, answer.value) == (None, f"{name} is back"), answer


def test_a_second_engine_on_the_same_port_exits_with_one_line_error(understudy_engine):
    first = understudy_engine()

    second = understudy_engine.run_to_exit("--port", str(first.port))

    assert second.returncode != 0, second
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected a one-line error, got {second.stderr!r}"
    assert "error" in lines[0] and str(first.port) in lines[0], lines[0]
    assert second.stdout == "", "a server that did not start must not announce it"
    assert first.running()


def test_a_second_engine_on_the_same_socket_exits_with_one_line_error(understudy_engine):
    first = understudy_engine(socket=True)

    second = understudy_engine.run_to_exit("--socket", str(first.socket_path))

    assert second.returncode != 0, second
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected a one-line error, got {second.stderr!r}"
    assert "error" in lines[0] and str(first.socket_path) in lines[0], lines[0]
    assert first.running()
    assert stat.S_ISSOCK(first.socket_path.stat().st_mode), "the first engine's socket survives"


def test_unix_socket_is_private_and_clients_can_use_it(understudy_engine, client_process):
    engine = understudy_engine(socket=True)
    assert engine.address == f"unix://{engine.socket_path}"

    mode = engine.socket_path.stat().st_mode
    assert stat.S_ISSOCK(mode), oct(mode)
    assert stat.S_IMODE(mode) == 0o600, f"socket mode {oct(stat.S_IMODE(mode))}, expected 0o600"

    tool = client_process("clients/plain_client.py", name="tool")
    assert engine.registered_clients() == [("tool", tool.pid)]
    answer = engine.call_client("tool", "echo", "over unix")
    assert (answer.error_type, answer.value) == (None, "over unix"), answer
    tool.send_signal(signal.SIGTERM)
    engine.wait_for_clients({})


def test_understudy_client_connects_over_the_unix_socket(understudy_engine, client_process):
    engine = understudy_engine(socket=True)

    tool = client_process(ECHO, name="tool")

    answer = engine.call_client("tool", "echo", "over unix")
    assert (answer.error_type, answer.value) == (None, "over unix"), answer
    assert tool.running()


def test_the_engines_hello_says_where_it_serves_rpc_and_who_it_is(understudy_engine):
    engine = understudy_engine()
    hello = engine.control_request("hello")
    assert hello == {"protocol_version": 1, "pid": engine.popen.pid,
                     "rpc_address": engine.address}, hello
