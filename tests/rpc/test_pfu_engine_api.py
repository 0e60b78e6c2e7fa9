"""PfU 2.x's engine-side API: unity_python.server.server (PfU's functions,
arguments and errors) and understudy_engine.PythonRunner (C#'s names), with
real client processes; and the transport PfU's clients expect (the Unix
socket in TMPDIR). The PfU corpus's own clients run in the conformance
suite (tests/conformance/pfu); these need no corpus."""

import os
import signal

import pytest

PLAIN = "clients/plain_client.py"
ECHO = "clients/echo_client.py"


def py(engine, code):
    """Engine-side code in the control channel's shared namespace; the value
    of its final expression."""
    return engine.control_request("python", code=code)


def test_call_service_on_client_by_index_with_pfus_errors(understudy_engine, client_process):
    engine = understudy_engine()
    first = client_process(PLAIN, name="tool")
    second = client_process(PLAIN, name="tool")
    py(engine, "from unity_python.server import server")

    assert py(engine, "server.num_clients_connected('tool')") == 2
    assert py(engine, "server.get_connected_clients()") == ["tool"]
    assert py(engine, "server.get_total_connected_clients()") == 2
    peers = py(engine, "[e._conn._channel.stream.sock.getpeername() for e in server.clients['tool']]")
    assert len(peers) == 2
    assert py(engine, "server.call_service_on_client('tool', 0, 'echo', ['oldest'])") == "oldest"
    assert py(engine, "server.call_service_on_client('tool', -1, 'echo', (), {'value': 7})") == 7

    assert py(engine, "try:\n    server.call_service_on_client('tool', 5, 'echo', [1])\n"
                      "except IndexError as exc:\n    caught = str(exc)\ncaught") == \
        "Getting client 'tool' [5] but only 2 are connected"
    assert py(engine, "try:\n    server.call_service_on_client('nobody', -1, 'echo')\n"
                      "except KeyError as exc:\n    caught = str(exc)\ncaught") == \
        "No client 'nobody' is connected (connected: tool)"
    result_type = py(engine, "pending = server.call_service_on_client_async('tool', -1, 'echo',"
                             " ['later'])\ntype(pending).__name__")
    assert result_type == "AsyncResult"
    assert py(engine, "pending.value") == "later"
    first.send_signal(signal.SIGTERM)
    second.send_signal(signal.SIGTERM)
    engine.wait_for_clients({})


def test_a_remote_exception_keeps_its_type_and_names_its_client(understudy_engine,
                                                                client_process):
    engine = understudy_engine()
    client_process(PLAIN, name="tool")
    caught = py(engine, "from understudy_engine import PythonRunner\n"
                        "try:\n    PythonRunner.CallServiceOnClient('tool', 'echo')\n"
                        "except TypeError as exc:\n"
                        "    caught = [type(exc).__name__, exc.__notes__]\ncaught")
    assert caught[0] == "TypeError", caught
    assert "raised by service 'echo' on client 'tool'" in caught[1][0], caught
    outcome = engine.call_client("tool", "echo")
    assert outcome.error_type == "TypeError", outcome


def test_python_runner_paths(understudy_engine, client_process):
    engine = understudy_engine()
    tool = client_process(PLAIN, name="tool")
    py(engine, "from understudy_engine import PythonRunner, start_coroutine")
    assert py(engine, "PythonRunner.IsClientConnected('tool')") is True
    assert py(engine, "PythonRunner.NumClientsConnected('tool')") == 1
    assert py(engine, "PythonRunner.NumClientsConnected()") == 1
    assert py(engine, "PythonRunner.GetConnectedClients()") == ["tool"]
    assert py(engine, "PythonRunner.CallServiceOnClient('tool', 'echo', 'sync')") == "sync"

    py(engine, "task = PythonRunner.CallAsyncServiceOnClient('tool', 'echo', 'async')")
    engine.wait_until(lambda: py(engine, "task.IsCompleted"), "the async task to complete",
                      timeout=10)
    assert py(engine, "[task.IsFaulted, task.Result]") == [False, "async"]

    py(engine, "steps = []\n"
               "def drive():\n"
               "    for value in PythonRunner.CallCoroutineServiceOnClient('tool', 'echo', 'co'):\n"
               "        steps.append(value)\n"
               "        yield None\n"
               "start_coroutine(drive())")
    engine.wait_until(lambda: py(engine, "steps and steps[-1] == 'co'"),
                      "the coroutine call to yield its value", timeout=10)

    py(engine, "waited = list(PythonRunner.WaitForConnection('nobody', 0.2))")
    assert py(engine, "len(waited) > 0"), "WaitForConnection yields until its timeout"
    tool.send_signal(signal.SIGTERM)
    engine.wait_for_clients({})


def test_understudy_client_finds_the_engine_on_pfus_socket(understudy_engine, client_process):
    """Without UNDERSTUDY_RPC, understudy_client connects where PfU's clients
    look: the socket in TMPDIR, which the plugin gives engine and clients."""
    engine = understudy_engine(socket="pfu")
    path = py(engine, "from understudy_engine import PythonRunner\nPythonRunner.GetSocketPath()")
    assert path.startswith(str(engine.tmpdir) + os.sep), path
    assert engine.address == f"unix://{path}"
    tool = client_process(ECHO, name="tool", env={"UNDERSTUDY_RPC": ""})
    assert engine.call_client("tool", "echo", "found").value == "found"

    py(engine, "PythonRunner.ForceRestart()")
    assert os.path.exists(path), "ForceRestart starts the server again on the same socket"
    tool.send_signal(signal.SIGTERM)


def test_tcp_is_on_request(understudy_engine):
    engine = understudy_engine("--tcp", "--port", "0")
    assert engine.address.startswith("tcp://127.0.0.1:"), engine.address
    assert not os.listdir(engine.tmpdir), "a TCP engine puts no socket in TMPDIR"


def test_start_and_stop_server_are_idempotent(understudy_engine):
    engine = understudy_engine(socket="pfu")
    py(engine, "from unity_python.server import server")
    assert py(engine, "server.start_server()") is False
    assert py(engine, "[server.close_server(False), server.close_server(False)]") == [True, False]
    assert py(engine, "server.is_server_active()") is False
    assert py(engine, "server.start_server()") is True
    with pytest.raises(AssertionError, match="already listening"):
        py(engine, "import understudy_engine\nunderstudy_engine.rpc_server.start()")
