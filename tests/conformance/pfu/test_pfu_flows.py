"""PfU 2.1.1's own client package and Unity's own test clients
(Tests/rpyc/*.py), unchanged, against the engine: the flows of Unity's
rpycTests.cs, evalExecTests.cs and MultiServerTest.cs, each written as the
C# test does it, through the engine-side PythonRunner (C#'s names) in
engine-side Python on the main thread (pfu_editor.Editor). The samples are
in test_pfu_samples.py.

The engine listens where PfU's unity_client.connect() looks (its Unix socket
in the engine's private TMPDIR); clients spawned by PythonRunner.SpawnClient
get PfU's site-packages first on their PYTHONPATH, as in Unity. The engine
loads rpyc_tests.schema.toml, Unity's test assembly as a studio declares
its C# classes, so that TestClientWithoutServices's client can set
rpycUnitTests.ClientContactFlag through clr.

TestEvalExecDerived's client needs unity_python/client on its PYTHONPATH
on Python 3 (see that test). TestServedExposedFunctions runs unchanged and
fails in the client itself on RPyC 5, as recorded below. No flow of the
three C# files is left out."""

import getpass
import os
import time

from pfu_editor import (CLIENT_NAME, EVALEXEC, INIT_MODULE, SITE_PACKAGES, TESTS,
                        skip_without_corpus)

skip_without_corpus()


def test_socket_is_pfus_path_in_the_engines_tmpdir(editor):
    path = editor.run("PythonRunner.GetSocketPath()")
    assert path == os.path.join(str(editor.engine.tmpdir),
                                f"com.unity.scripting.python-{getpass.getuser()}.socket")
    assert editor.engine.address == f"unix://{path}"


def test_start_and_stop_server(editor):
    """StartAndStopServer: call, soft restart with the client reconnecting
    and counting the restart, then stop it for good."""
    client_id = f"{os.getpid():x}"
    editor.start_client(client_id)
    # RestartServer
    editor.run("PythonRunner.StopServer(True)")
    assert not editor.connected()
    editor.run("PythonRunner.StartServer()")
    editor.wait_for_connection()
    assert editor.call("get_argv", 1) == client_id
    assert editor.call("get_restart_count") == 1
    editor.stop_client_and_wait_for_process_end()


def test_stop_server_while_client_is_busy(editor):
    """UT1449StopServerWhileClientIsBusy: the server stops while the client
    sleeps in busy_work (called through CallAsyncServiceOnClient); the engine
    does not hang and the client's process ends."""
    editor.start_client("busyClient")
    editor.run("task = PythonRunner.CallAsyncServiceOnClient("
               f"{CLIENT_NAME!r}, 'busy_work')")
    time.sleep(4)  # the engine keeps running frames meanwhile
    assert not editor.run("task.IsCompleted")
    started = time.monotonic()
    editor.run("PythonRunner.StopServer(False)", timeout=10)
    stopped_in = time.monotonic() - started
    assert stopped_in < 2.0, f"StopServer took {stopped_in:.2f} s with a busy client"
    assert not editor.connected()
    editor.wait_for_process_end("process", timeout=8)
    editor.engine.wait_until(lambda: editor.run("task.IsCompleted"),
                             "the busy_work task to end once its client is gone", timeout=10)
    assert editor.run("type(task.Exception).__name__") == "ClientDisconnectedError"


def kill_and_wait_until_gone(editor, process, what):
    """Kills the client process the editor holds as `process` and waits until
    the server no longer lists the client."""
    editor.run(f"{process}.kill()")
    editor.engine.wait_until(
        lambda: editor.run(f"{process}.poll() is not None and "
                           f"not PythonRunner.IsClientConnected({CLIENT_NAME!r})"),
        f"{what} to be gone", timeout=10)


def test_kill_client(editor):
    """TestKillClient: the server survives a killed client."""
    editor.spawn("to_kill", INIT_MODULE, "testKill")
    editor.wait_for_connection()
    assert editor.call("get_argv", 1) == "testKill"
    kill_and_wait_until_gone(editor, "to_kill", "the killed client")
    editor.spawn("new_process", INIT_MODULE, "testReconnect")
    editor.wait_for_connection()
    assert editor.call("get_argv", 1) == "testReconnect"
    kill_and_wait_until_gone(editor, "new_process", "the second killed client")


def test_newer_client(editor):
    """TestNewerClient: of two clients with one name the newest is called,
    and both are counted."""
    editor.spawn("process_a", INIT_MODULE, "A")
    editor.wait_for_connection()
    assert editor.call("get_argv", 1) == "A"
    original_state = editor.call("get_state")
    editor.call("set_state", "modified")
    assert editor.call("get_state") == "modified"

    editor.spawn("process_b", INIT_MODULE, "B")
    editor.engine.wait_until(lambda: editor.call("get_argv", 1) == "B",
                             "the newer client B to be the one called", timeout=10)
    assert editor.run(f"PythonRunner.NumClientsConnected({CLIENT_NAME!r})") == 2
    assert editor.run(f"PythonRunner.GetConnectedClients()") == [CLIENT_NAME]
    # PfU's index: 0 is the oldest connection.
    assert editor.run(f"server.call_service_on_client({CLIENT_NAME!r}, 0, 'get_argv', [1])") \
        == "A"
    assert editor.call("get_state") == original_state

    editor.stop_client_and_wait_for_process_end("process_b")
    editor.stop_client_and_wait_for_process_end("process_a")


def test_call_service_without_client(editor):
    """CallServiceWithoutClient: PfU raises KeyError("No client '...' is connected")."""
    editor.run("PythonRunner.StartServer()")
    error = editor.error_of("PythonRunner.CallServiceOnClient('Not a client, shhh', "
                            "'hello_client')")
    assert error is not None and "KeyError" in error[2], error
    assert error[1].startswith("No client 'Not a client, shhh' is connected"), error
    index_error = editor.error_of("server.call_service_on_client('Not a client, shhh', 0, "
                                  "'hello_client')")
    assert "KeyError" in index_error[2], index_error


def test_client_without_services(editor):
    """TestClientWithoutServices: the client with no services of its own
    (named "Unity Client") connects, and two seconds later its root.execute
    runs `clr.AddReference('RpycTests')`, imports rpycUnitTests from the
    rpycTests namespace and sets its static ClientContactFlag, which the C#
    test waits up to 15 s for, engine-side."""
    editor.run("import clr\n"
               "clr.AddReference('rpycTests')\n"
               "from rpycTests import rpycUnitTests\n"
               "rpycUnitTests.ClientContactFlag = False")  # the fixture's SetUp
    editor.spawn("empty", TESTS / "empty_client.py", "testEmpty")
    editor.wait_for_connection("Unity Client")
    editor.engine.wait_until(lambda: editor.run("rpycUnitTests.ClientContactFlag") is True,
                             "rpycUnitTests.ClientContactFlag to be set by empty_client.py's "
                             f"execute (the client's output is in {editor.engine.log_path})",
                             timeout=15)
    editor.stop_client_and_wait_for_process_end("empty", "Unity Client")


def test_coroutine_client_to_server_call(editor):
    """CoroutineClientToServerCall: the client's create_cylinder, called as a
    coroutine stepped once per frame, calls back into UnityEngine through
    its connection (GameObject.CreatePrimitive, name, Debug.Log) while the
    engine waits for it: the re-entrant pattern the engine serves without
    deadlocking."""
    editor.start_client("CoroutineClient")
    assert editor.run("UnityEngine.GameObject.Find('myCylinder') is None")
    error, _ = editor.drive(f"PythonRunner.CallCoroutineServiceOnClient({CLIENT_NAME!r}, "
                            "'create_cylinder', 'myCylinder')",
                            "the create_cylinder coroutine call")
    assert error is None, error
    assert editor.run("UnityEngine.GameObject.Find('myCylinder') is not None")
    editor.engine.wait_for_console(r"^created a cylinder named 'myCylinder'$", severity="log")
    editor.stop_client_and_wait_for_process_end()


def test_async_client_to_server_call(editor):
    """AsyncClientToServerCall: create_cube through CallAsyncServiceOnClient,
    the engine polling the task's IsCompleted frame after frame."""
    editor.start_client("AsyncClient")
    assert editor.run("UnityEngine.GameObject.Find('myCube') is None")
    editor.run(f"task = PythonRunner.CallAsyncServiceOnClient({CLIENT_NAME!r}, 'create_cube', "
               "'myCube')")
    editor.engine.wait_until(lambda: editor.run("task.IsCompleted"),
                             "the create_cube task to complete", timeout=20)
    assert editor.run("task.Exception") is None, editor.run("repr(task.Exception)")
    cube = "UnityEngine.GameObject.Find('myCube')"
    assert editor.run(f"{cube} is not None")
    assert editor.run(f"{cube}.GetComponent(UnityEngine.MeshFilter).sharedMesh") == "Cube"
    editor.stop_client_and_wait_for_process_end()


def test_served_exposed_functions(editor):
    """TestServedExposedFunctions: the client's test_server checks the root
    services (list, dict, import_module, execute with a dict) through a
    coroutine call. Unity's client looks up netref classes under RPyC 4's
    keys (('list', '__builtin__')); RPyC 5 keys them 'builtins.list', so
    the unchanged client raises KeyError in its own code before it reaches
    the engine. Checked as that, so that a change on either side shows."""
    editor.start_client("test_exposed")
    error, value = editor.drive(f"PythonRunner.CallCoroutineServiceOnClient({CLIENT_NAME!r}, "
                                "'test_server')", "the test_server coroutine call")
    assert error is not None and error[0] == "KeyError" and "__builtin__" in error[1], \
        f"expected the client's RPyC 4 netref lookup to fail on RPyC 5: {error}, value {value}"
    editor.stop_client_and_wait_for_process_end()


def test_base_client(editor):
    """TestBaseClient: the base UnityClientService answers client_name and
    leaves on on_server_shutdown(True), the caller getting EOFError."""
    editor.spawn("base", TESTS / "test_base_client.py")
    editor.wait_for_connection("Unity Client")
    assert editor.call("client_name", client="Unity Client") == "Unity Client"
    error = editor.error_of("PythonRunner.CallServiceOnClient('Unity Client', "
                            "'on_server_shutdown', True)")
    assert error is not None and "EOFError" in error[2], error
    editor.wait_for_process_end("base")


def test_timeout(editor):
    """TestTimeout: a call outlasting the connection's sync_request_timeout
    (lowered to 5 s through server.clients, as the C# test does) fails with
    a timeout; the timeout is restored."""
    editor.start_client("test_timeout_client")
    editor.run(f"connection = server.clients[{CLIENT_NAME!r}][0]._conn\n"
               "previous_timeout = connection._config['sync_request_timeout']\n"
               "connection._config['sync_request_timeout'] = 5.0")
    started = time.monotonic()
    error = editor.error_of(f"PythonRunner.CallServiceOnClient({CLIENT_NAME!r}, 'wait', 10.0)")
    elapsed = time.monotonic() - started
    assert error is not None and "Timeout" in f"{error[0]} : {error[1]}", error
    assert 4.5 < elapsed < 8, f"the call failed after {elapsed:.2f} s, not the 5 s timeout"
    editor.run("connection._config['sync_request_timeout'] = previous_timeout")
    assert editor.run("connection._config['sync_request_timeout']") == \
        editor.run("previous_timeout")
    editor.stop_client_and_wait_for_process_end()


def _eval_exec_routine(editor, client, value):
    """evalExecTests.TestRoutine."""
    editor.call("exec", f"x={value}", client=client)
    assert editor.run(f"'x' in PythonRunner.CallServiceOnClient({client!r}, 'globals')")
    assert editor.run(f"PythonRunner.CallServiceOnClient({client!r}, 'globals')['x']") == value
    assert editor.call("eval", "x", client=client) == value
    error = editor.error_of(f"PythonRunner.CallServiceOnClient({client!r}, 'eval', 'y')")
    assert error is not None and "NameError" in error[2], error


def test_eval_exec(editor):
    """TestEvalExec with PfU's own evalexec_client.py."""
    client = "com.unity.scripting.python.clients.evalexec"
    editor.run("PythonRunner.StartServer()")
    editor.spawn("evalexec", EVALEXEC)
    editor.wait_for_connection(client)
    _eval_exec_routine(editor, client, 5)
    editor.run("PythonRunner.StopServer(False)")
    editor.wait_for_process_end("evalexec", timeout=10)


def test_eval_exec_derived(editor, client_process):
    """TestEvalExecDerived: a derived client with a service of its own that
    reconnects from inside on_server_shutdown(True). Unity's
    evalexec_client.py imports its sibling as `import unity_client`, which
    only Python 2 resolves (an implicit relative import): on Python 3 the
    derived client needs unity_python/client on its path too, so it runs
    from the harness with that PYTHONPATH (the files stay unchanged)."""
    client = "com.unity.scripting.python.clients.evalexec.derived"
    client_dir = SITE_PACKAGES / "unity_python" / "client"
    derived = client_process(TESTS / "derived_evalexec.py", name=client,
                             env={"PYTHONPATH": f"{SITE_PACKAGES}{os.pathsep}{client_dir}"})
    editor.wait_for_connection(client)
    _eval_exec_routine(editor, client, 5)
    special = "I'm a special service but all I got is this lousy log"
    assert editor.call("special_service", client=client) == special
    editor.run("PythonRunner.StopServer(True)")
    editor.run("PythonRunner.StartServer()")
    editor.wait_for_connection(client)
    assert editor.run(f"PythonRunner.NumClientsConnected({client!r})") == 1
    _eval_exec_routine(editor, client, 7)
    assert editor.call("special_service", client=client) == special
    editor.run("PythonRunner.StopServer(False)")
    derived.wait_exit(10)


def test_only_one_server_allowed(editor):
    """MultiServerTest.OnlyOneServerAllowed: PfU's own server.py, run as a
    process with the same TMPDIR, cannot take the engine's lock and exits
    with an error; the engine keeps serving."""
    editor.spawn("other_server", SITE_PACKAGES / "unity_python" / "server" / "server.py")
    editor.wait_for_process_end("other_server", timeout=10)
    assert editor.run("other_server.returncode") != 0
    assert os.path.exists(editor.run("PythonRunner.GetSocketPath()"))
    editor.start_client("still serving")
    editor.stop_client_and_wait_for_process_end()


def test_second_engine_in_the_same_tmpdir_is_refused(editor, understudy_engine):
    """One server per user (and TMPDIR): a second engine there exits at once."""
    second = understudy_engine.run_to_exit(socket="pfu",
                                           env={"TMPDIR": str(editor.engine.tmpdir)})
    assert second.returncode != 0
    assert "already served by another engine or editor" in second.stderr, second


def test_harness_client_process_finds_the_engine(editor, client_process):
    """The pytest plugin's client processes get the engine's TMPDIR, so
    PfU's unity_client.connect() in a client started by the harness finds it."""
    proc = client_process(INIT_MODULE, name=CLIENT_NAME, args=["from-the-harness"],
                          env={"PYTHONPATH": str(SITE_PACKAGES)})
    assert editor.call("get_argv", 1) == "from-the-harness"
    editor.stop_client()
    proc.wait_exit(10)
