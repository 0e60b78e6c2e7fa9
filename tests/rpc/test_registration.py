"""Registration and the client registry, with real client processes:
the engine asks client_name() on connect, the newest of several connections
with one name is the one called, a disconnect forgets the client."""

import pytest

ECHO = "clients/echo_client.py"


def test_client_is_registered_under_its_name(understudy_engine, client_process):
    engine = understudy_engine()
    tool = client_process(ECHO, name="tool")

    assert engine.registered_clients() == [("tool", tool.pid)]
    assert engine.connected_clients() == {"tool": 1}
    engine.wait_for_console(r"^client 'tool' connected from ")
    outcome = engine.call_client("tool", "echo", 41)
    assert (outcome.error_type, outcome.value) == (None, 41), outcome


def test_newest_of_two_clients_with_one_name_is_called(understudy_engine, client_process):
    engine = understudy_engine()
    older = client_process(ECHO, name="twin")
    newer = client_process(ECHO, name="twin")

    assert engine.connected_clients() == {"twin": 2}
    outcome = engine.call_client("twin", "pid")
    assert outcome.value == newer.pid, (
        f"expected the newest connection (pid {newer.pid}) to answer, got {outcome}; "
        f"older is pid {older.pid}")

    newer.kill()
    engine.wait_for_clients({"twin": 1})
    outcome = engine.call_client("twin", "pid")
    assert outcome.value == older.pid, outcome


def test_disconnect_removes_the_client(understudy_engine, client_process):
    engine = understudy_engine()
    tool = client_process(ECHO, name="tool")
    mark = engine.console_mark()

    tool.send_signal(15)
    tool.wait_exit()
    engine.wait_for_console(r"^client 'tool' disconnected", since=mark)
    engine.wait_for_clients({})
    outcome = engine.call_client("tool", "echo", 1)
    assert outcome.error_type == "ClientNotFoundError", outcome


def test_calling_a_client_that_is_not_connected_is_client_not_found(understudy_engine,
                                                                     client_process):
    engine = understudy_engine()
    client_process(ECHO, name="tool")

    outcome = engine.call_client("nobody", "echo", 1)

    assert outcome.error_type == "ClientNotFoundError", outcome
    assert "'nobody'" in outcome.error and "tool" in outcome.error, (
        f"the error should name the missing client and the connected ones: {outcome.error!r}")
    assert outcome.elapsed < 0.5, outcome


@pytest.mark.parametrize("transport", ["tcp", "unix"])
def test_client_without_services_can_still_execute(understudy_engine, client_process, transport):
    engine = understudy_engine(socket=(transport == "unix"))
    mark = engine.console_mark()

    void = client_process("clients/void_client.py", args=["from-void"], ready=None)

    assert void.wait_exit() == 0, void.failure_context()
    engine.wait_for_console(r"has no client_name\(\); it can call the engine but the engine "
                            r"cannot call it", since=mark)
    engine.wait_for_console(r"^void client spawned from-void$", since=mark)
    assert engine.actor_labels().count("from-void") == 1
    assert engine.connected_clients() == {}
