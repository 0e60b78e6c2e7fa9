"""What the PfU conformance flows share: where PfU 2.1.1's corpus is (read
from UNDERSTUDY_PFU_CORPUS, never copied), and the Editor through which the
flows drive the engine as Unity's C# tests drive the editor. The `editor`
fixture (conftest.py) starts the engine and hands out an Editor."""

import json
import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("UNDERSTUDY_PFU_CORPUS", ""))
SITE_PACKAGES = CORPUS / "Python~" / "site-packages"
TESTS = CORPUS / "Tests" / "rpyc"
INIT_MODULE = TESTS / "rpyc_test_client_init.py"
CLIENT_NAME = "com.unity.scripting.python.tests.rpyc"
EVALEXEC = SITE_PACKAGES / "unity_python" / "client" / "evalexec_client.py"
# Unity's test assembly (rpycTests, with rpycUnitTests.ClientContactFlag), as a
# studio declares its C# classes; every flow's engine loads it.
RPYC_TESTS_SCHEMA = Path(__file__).resolve().parent / "rpyc_tests.schema.toml"
# Extra engine flags (the must-fail cases load a broken engine script this way).
EXTRA_FLAGS = json.loads(os.environ.get("UNDERSTUDY_PFU_ENGINE_FLAGS", "[]"))


def skip_without_corpus():
    """Skips the calling test module when the corpus is absent."""
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
                 "from unity_python.server import server\n"
                 "import UnityEngine")

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

    def drive(self, iterator, what, timeout=20):
        """C#'s `while (iter.MoveNext()) yield return null;` in a [UnityTest]:
        steps the engine-side iterator (Python source) once per frame in a
        coroutine (start_coroutine) and waits for its end. Returns
        [the error it raised as [type name, message], or None; its last value]."""
        self.run("outcome = {}\n"
                 "def drive():\n"
                 "    try:\n"
                 f"        for value in {iterator}:\n"
                 "            outcome['value'] = value\n"
                 "            yield None\n"
                 "    except Exception as exc:\n"
                 "        outcome['error'] = [type(exc).__name__, str(exc)]\n"
                 "    outcome['done'] = True\n"
                 "start_coroutine(drive())")
        self.engine.wait_until(lambda: self.run("outcome.get('done')"),
                               f"{what} to finish (stepped once per frame)", timeout=timeout)
        return self.run("[outcome.get('error'), outcome.get('value')]")

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
