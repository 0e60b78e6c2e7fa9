"""Tests of the blockout tool (unity/blockout_tool.py) against a real engine.

The fixtures come from Understudy's pytest plugin, which the installed
package loads by itself:

    understudy_engine   starts an engine (understudy-engine on PATH) for the
                        test, listening where PfU's editor does, in a private
                        TMPDIR; stopped, and judged, when the test ends
    client_process      starts a script as its own process, as a studio's
                        tool runs, and returns once the engine registered it
    understudy_client   connects a client inside the test's own process

engine.call_client(...) has the engine's main thread call a client service,
as the editor's C# PythonRunner.CallServiceOnClient does. When a test
fails, pytest's report ends with the tail of every process's log.
"""

import re

import blockout_tool  # from unity/, which pytest.ini puts on the path

TOOL = "../unity/blockout_tool.py"  # relative to this file
TOOL_NAME = blockout_tool.CLIENT_NAME

# Engine-side code reading back a row: it runs on the engine's main thread,
# in a namespace of its own, and the test reads the names it leaves there.
READ_ROW = """
    import UnityEngine
    row = UnityEngine.GameObject.Find(name)
    crates = [row.transform.GetChild(i) for i in range(row.transform.childCount)]
    names = [crate.name for crate in crates]
    positions = [str(crate.position) for crate in crates]
"""


def start_tool(engine, client_process):
    """Starts the tool as its own process and waits until it said it is
    ready: client_process returns once the engine registered it, and the
    tool looks up UnityEngine just after that."""
    mark = engine.console_mark()
    client_process(TOOL, name=TOOL_NAME)
    engine.wait_for_console(rf"^{re.escape(TOOL_NAME)}: ready$", since=mark)


def test_the_editor_asks_for_a_row_and_the_tool_builds_it(understudy_engine, client_process):
    engine = understudy_engine()
    start_tool(engine, client_process)

    # The editor's main thread calls the tool synchronously. The service
    # only queues the request, so the answer comes at once...
    outcome = engine.call_client(TOOL_NAME, "build_row", "Row", 3, 2.0)
    assert outcome.value == "queued Row", outcome
    assert outcome.elapsed < 1.0, outcome

    # ... and the tool builds the row afterwards, on its own thread. Wait
    # for what it logs when it is done, never sleep.
    engine.wait_for_console(r"^Row: 3 crates, the last at \(4\.00, 0\.50, 10\.00\)$",
                            severity="log")
    row = engine.execute(READ_ROW, name="Row")
    assert list(row["names"]) == ["Row-crate-0", "Row-crate-1", "Row-crate-2"]
    assert list(row["positions"]) == [
        "(0.00, 0.50, 10.00)", "(2.00, 0.50, 10.00)", "(4.00, 0.50, 10.00)"]


def test_build_row_from_the_test_process(understudy_engine, understudy_client):
    # The tool's functions can be tested without its process: connect a
    # client here and hand it the engine's UnityEngine. The test's thread
    # is not the engine's main thread, so nothing waits for itself.
    understudy_engine()
    client = understudy_client("blockout-test")
    UnityEngine = client.root.import_module("UnityEngine")

    assert blockout_tool.build_row(UnityEngine, "Fence", 2, 3.0) == "(3.00, 0.50, 10.00)"
    assert UnityEngine.GameObject.Find("Fence-crate-1") is not None


def test_building_inside_the_service_deadlocks(understudy_engine, client_process):
    # The mistake the tool's docstring warns about, reproduced on purpose: a
    # 2 s call timeout instead of RPyC's 30 s keeps the test short.
    engine = understudy_engine("--call-timeout", "2")
    start_tool(engine, client_process)

    # Without expect_deadlock=True, wait() would fail the test at once with
    # DeadlockDetected, naming the cycle, the line of the tool where the
    # service waits, and the ways out. Here the test waits for the engine's
    # own answer: the call times out, as it does in Unity.
    outcome = engine.call_client(TOOL_NAME, "build_row_blocking", "Row", 3, 2.0,
                                 expect_deadlock=True)
    assert outcome.error_type == "ServiceCallTimeout", outcome

    # The engine found the cycle long before the timeout and said so.
    report = engine.wait_for_console(r"^deadlock detected", severity="error")
    assert f"main -> client:{TOOL_NAME}" in report.text, report


def test_the_coroutine_path_lets_a_service_call_back(understudy_engine, client_process):
    # The engine-side way out: PythonRunner.CallCoroutineServiceOnClient
    # does not hold the main thread while the tool works, so even the
    # blocking service finishes, and its answer is the built row.
    engine = understudy_engine("--call-timeout", "2")
    start_tool(engine, client_process)

    outcome = engine.call_client(TOOL_NAME, "build_row_blocking", "Row", 3, 2.0,
                                 path="coroutine")
    assert outcome.value == "(4.00, 0.50, 10.00)", outcome
