"""The plugin's engine fixture and engine errors: a test whose engine had an
exception that engine-side Python did not catch fails at teardown, with the
error's file:line and traceback, unless the test declared it; a declared
error that never occurred fails it too; the factory returns only once the
startup scripts have run. Each case runs a small test file of its own in a
separate pytest process (pytester), so that its failure is what is checked."""

import textwrap

import pytest

pytest_plugins = ["pytester"]

RAISES_AT_STARTUP = """
    def load():
        raise ValueError("boom in the startup script")

    load()
"""

TICKER_RAISES = """
    import unreal_engine as ue

    def exploding(delta_time):
        raise KeyError("the ticker's key")

    ticker = ue.add_ticker(exploding)  # the ticker lives as long as its handle
"""

TASK_NEVER_RETRIEVED = """
    import asyncio
    import ue_asyncio

    async def fail():
        raise RuntimeError("nobody retrieved the task's exception")

    asyncio.ensure_future(fail(), loop=ue_asyncio.loop)
"""

SLOW_STARTUP = """
    import time
    import unreal_engine as ue

    time.sleep(0.3)
    ue.log("the slow startup script is done")
"""


# One test file with a case per behaviour, run once (a pytest process and
# its engines cost seconds on a loaded machine): each case's verdict is
# checked below.
CASES = """
    def test_undeclared_script_error(understudy_engine):
        understudy_engine("--script", SCRIPTS["raises_at_startup"])

    def test_declared_script_error(understudy_engine):
        engine = understudy_engine("--script", SCRIPTS["raises_at_startup"],
                                   expect_errors=["boom in the startup"])
        assert [e["source"] for e in engine.engine_errors()] == ["script"]

    def test_declared_error_never_occurs(understudy_engine):
        engine = understudy_engine("--script", SCRIPTS["slow_startup"])
        engine.expect_errors("a ticker that never raised")

    def test_declared_ticker_error(understudy_engine):
        engine = understudy_engine("--script", SCRIPTS["ticker_raises"])
        engine.wait_for_console("raised and was removed")
        engine.expect_errors("the ticker's key")

    def test_undeclared_ticker_error(understudy_engine):
        engine = understudy_engine("--script", SCRIPTS["ticker_raises"])
        engine.wait_for_console("raised and was removed")

    def test_undeclared_task_error(understudy_engine):
        engine = understudy_engine("--script", SCRIPTS["task_never_retrieved"])
        engine.wait_for_console("Task exception was never retrieved")
"""


@pytest.fixture
def cases_run(pytester):
    scripts = {}
    for name, text in (("raises_at_startup", RAISES_AT_STARTUP),
                       ("ticker_raises", TICKER_RAISES),
                       ("task_never_retrieved", TASK_NEVER_RETRIEVED),
                       ("slow_startup", SLOW_STARTUP)):
        path = pytester.path / f"{name}.py"
        path.write_text(textwrap.dedent(text))
        scripts[name] = str(path)
    pytester.makepyfile(test_cases=f"SCRIPTS = {scripts!r}\n" + textwrap.dedent(CASES))
    return pytester.runpytest_subprocess("-p", "understudy_pytest", "-p", "no:cacheprovider",
                                         "-v")


def test_engine_errors_fail_the_test_at_teardown_unless_declared(cases_run):
    out = cases_run.stdout
    # Every test body passes; the undeclared errors and the missing one fail teardowns.
    cases_run.assert_outcomes(passed=6, errors=4)
    for case in ("undeclared_script_error", "declared_error_never_occurs",
                 "undeclared_ticker_error", "undeclared_task_error"):
        out.fnmatch_lines([f"*test_{case} ERROR*"])
    for case in ("declared_script_error", "declared_ticker_error"):
        assert not [line for line in out.lines if f"test_{case} ERROR" in line], out.str()
    out.fnmatch_lines([
        "*ERROR at teardown of test_undeclared_script_error*",
        "*had engine errors the test did not expect*",
        "*unexpected script error at */raises_at_startup.py:3: ValueError: boom in the startup*",
        "*Traceback (most recent call last):*",
    ])
    out.fnmatch_lines([
        "*ERROR at teardown of test_declared_error_never_occurs*",
        "*expected an engine error containing 'a ticker that never raised', none occurred*",
    ])
    out.fnmatch_lines([
        "*ERROR at teardown of test_undeclared_ticker_error*",
        "*unexpected ticker error at */ticker_raises.py:5: KeyError*",
    ])
    out.fnmatch_lines([
        "*ERROR at teardown of test_undeclared_task_error*",
        "*unexpected asyncio error at */task_never_retrieved.py:6: RuntimeError: nobody*",
    ])


def test_the_factory_returns_once_the_startup_scripts_ran(understudy_engine, tmp_path):
    script = tmp_path / "slow_startup.py"
    script.write_text(textwrap.dedent(SLOW_STARTUP))
    engine = understudy_engine("--script", str(script))
    # No wait: the record is in the log already.
    assert engine.find_console("^the slow startup script is done$"), engine.failure_context()
