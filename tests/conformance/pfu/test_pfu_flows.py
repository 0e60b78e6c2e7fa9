"""PfU 2.1.1's own client package and Unity's own test clients
(Tests/rpyc/*.py), unchanged, against the engine: the flows of Unity's
rpycTests.cs, evalExecTests.cs and MultiServerTest.cs that need no
UnityEngine, each written as the C# test does it, through the engine-side
PythonRunner (C#'s names) in engine-side Python on the main thread.

The engine listens where PfU's unity_client.connect() looks (its Unix socket
in the engine's private TMPDIR); clients spawned by PythonRunner.SpawnClient
get PfU's site-packages first on their PYTHONPATH, as in Unity.

TestEvalExecDerived's client needs unity_python/client on its PYTHONPATH
on Python 3 (see that test). Flows left for the UnityEngine modules: CoroutineClientToServerCall
(create_cylinder), AsyncClientToServerCall (create_cube), and the contact
flag of TestClientWithoutServices (its execute needs `clr` and a C#
assembly). TestServedExposedFunctions runs unchanged and fails in the client
itself on RPyC 5, as recorded below."""

import getpass
import json
import os
import sys
import time
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("UNDERSTUDY_PFU_CORPUS", ""))
SITE_PACKAGES = CORPUS / "Python~" / "site-packages"
TESTS = CORPUS / "Tests" / "rpyc"
INIT_MODULE = TESTS / "rpyc_test_client_init.py"
CLIENT_NAME = "com.unity.scripting.python.tests.rpyc"
EVALEXEC = SITE_PACKAGES / "unity_python" / "client" / "evalexec_client.py"
# Extra engine flags (the must-fail cases load a broken engine script this way).
EXTRA_FLAGS = json.loads(os.environ.get("UNDERSTUDY_PFU_ENGINE_FLAGS", "[]"))

if not (SITE_PACKAGES / "unity_python" / "client" / "unity_client.py").is_file():
    pytest.skip(f"no PfU 2.1.1 corpus at {CORPUS!s} (UNDERSTUDY_PFU_CORPUS)",
                allow_module_level=True)


class Editor:
    """The engine as the C# tests see it: engine-side Python on its main
    thread, in the control channel's shared namespace (so that a Popen from
    SpawnClient outlives the step), with PythonRunner imported."""

    def __init__(self, engine):
        self.engine = engine
        self.run("from understudy_engine import PythonRunner, start_coroutine\n"
                 "from unity_python.server import server")

    def run(self, code, timeout=60):
        return self.engine.control_request("python", code=code, timeout=timeout)

    def call(self, service, *args, client=CLIENT_NAME):
        return self.run(f"PythonRunner.CallServiceOnClient({client!r}, {service!r}, "
                        f"*{list(args)!r})")

    def error_of(self, code):
        """The error `code` raises engine-side: (type name, message, the names
        of its classes), or None."""
        return self.run("try:\n"
                        + "".join(f"    {line}\n" for line in code.splitlines())
                        + "    _error = None\n"
                        "except BaseException as _exc:\n"
                        "    _error = [type(_exc).__name__, str(_exc),"
                        " [c.__name__ for c in type(_exc).__mro__]]\n"
                        "_error")

    def connected(self, client=CLIENT_NAME):
        return self.run(f"PythonRunner.IsClientConnected({client!r})")

    def wait_for_connection(self, client=CLIENT_NAME, timeout=10.0):
        """WaitForConnection(name, timeout), then the C# tests' assertion."""
        self.engine.wait_until(lambda: self.connected(client),
                               f"client {client!r} to connect (PythonRunner.IsClientConnected)",
                               timeout=timeout)

    def spawn(self, variable, path, *arguments):
        self.run(f"{variable} = PythonRunner.SpawnClient({str(path)!r}, True, "
                 f"*{list(arguments)!r})")

    def wait_for_process_end(self, variable, timeout=5.0):
        self.engine.wait_until(lambda: self.run(f"{variable}.poll()") is not None,
                               f"process {variable} (a spawned client) to end", timeout=timeout)

    def stop_client(self, client=CLIENT_NAME):
        """rpycTests.StopClient: the client drops off before it answers, so
        the call normally raises EOFError."""
        error = self.error_of(f"PythonRunner.CallServiceOnClient({client!r}, "
                              "'on_server_shutdown', False)")
        assert error is None or "EOFError" in error[2], error

    def start_client(self, client_id):
        """rpycTests.StartClient."""
        self.spawn("process", INIT_MODULE, client_id)
        self.wait_for_connection()
        assert self.call("get_argv", 1) == client_id
        assert self.call("get_restart_count") == 0

    def stop_client_and_wait_for_process_end(self, variable="process", client=CLIENT_NAME):
        self.stop_client(client)
        self.wait_for_process_end(variable)

    def assert_no_clients(self):
        """rpycTests.TearDown."""
        self.engine.wait_until(lambda: self.run("PythonRunner.NumClientsConnected()") == 0,
                               "no client connected at the end of the flow", timeout=5)


@pytest.fixture
def editor(understudy_engine):
    engine = understudy_engine(*EXTRA_FLAGS, socket="pfu",
                               env={"UNDERSTUDY_PFU_SITE_PACKAGES": str(SITE_PACKAGES),
                                    "UNDERSTUDY_CLIENT_PYTHON": sys.executable})
    editor = Editor(engine)
    yield editor
    if engine.running():
        editor.run("PythonRunner.StartServer()")
        editor.assert_no_clients()


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


def test_client_without_services_can_execute(editor):
    """TestClientWithoutServices, up to the C# test assembly: the client with
    no services of its own (named "Unity Client") connects and its
    root.execute runs engine-side: `import clr` works, and
    `clr.AddReference('RpycTests')` fails as Python.NET does for an assembly
    nobody declared (Unity's test assembly, whose `ClientContactFlag` the
    C# test reads, is not part of the stand-in), reaching the client as the
    error."""
    editor.spawn("empty", TESTS / "empty_client.py", "testEmpty")
    editor.wait_for_connection("Unity Client")
    log = editor.engine.log_path
    editor.engine.wait_until(lambda: "Unable to find assembly 'RpycTests'"
                             in log.read_text(errors="replace"),
                             "the empty client's execute to have run in the engine (its error, "
                             f"in the client's output in {log})", timeout=15)
    editor.stop_client_and_wait_for_process_end("empty", "Unity Client")


def test_served_exposed_functions(editor):
    """TestServedExposedFunctions: the client's test_server checks the root
    services (list, dict, import_module, execute with a dict) through a
    coroutine call. Unity's client looks up netref classes under RPyC 4's
    keys (('list', '__builtin__')); RPyC 5 keys them 'builtins.list', so
    the unchanged client raises KeyError in its own code before it reaches
    the engine. Checked as that, so that a change on either side shows."""
    editor.start_client("test_exposed")
    editor.run("outcome = {}\n"
               "def drive():\n"
               "    try:\n"
               "        for value in PythonRunner.CallCoroutineServiceOnClient("
               f"{CLIENT_NAME!r}, 'test_server'):\n"
               "            outcome['value'] = value\n"
               "            yield None\n"
               "    except Exception as exc:\n"
               "        outcome['error'] = [type(exc).__name__, str(exc)]\n"
               "    outcome['done'] = True\n"
               "start_coroutine(drive())")
    editor.engine.wait_until(lambda: editor.run("outcome.get('done')"),
                             "the test_server coroutine call to finish", timeout=20)
    error, value = editor.run("[outcome.get('error'), outcome.get('value')]")
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
