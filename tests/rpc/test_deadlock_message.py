"""What a user of the pytest plugin sees when their call deadlocks: the wait
fails within two seconds, although the engine's call timeout is RPyC's 30 s,
with the cycle in one line, the client's frame in the user's code, the
engine-side caller and the ways out; and a failing test's log tail keeps the
engine's deadlock report whole."""

import os
import time
from pathlib import Path

import pytest
import understudy_client as understudy_client_module
import understudy_pytest

CALLBACK = "clients/callback_client.py"
FAILS_WITHIN = 2.0  # the done-when target: a deadlock fails the test this soon
CYCLE = "main -> client:tool (service refresh) -> main (execute)"
WAYS_OUT = ["rpyc.async_", "scenarios/deadlock/fix_client_async.toml",
            "scenarios/deadlock/fix_client_poll.toml", "scenarios/deadlock/fix_engine_coroutine.toml",
            "scenarios/deadlock/fix_engine_async.toml", "scenarios/deadlock/fix_basic_types.toml"]


def line_of(path, text):
    """The 1-based number of the first line of `path` containing `text`."""
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"no line containing {text!r} in {path}")


def callback_frame():
    path = Path(__file__).parent / CALLBACK
    return f"{os.path.normpath(path)}:{line_of(path, '# the deadlock')} in exposed_refresh"


def test_an_unexpected_deadlock_fails_the_wait_within_two_seconds_and_explains_it(
        understudy_engine, client_process):
    engine = understudy_engine()  # RPyC's default call timeout, 30 s
    client_process(CALLBACK, name="tool", ready="^connected$")

    started = time.monotonic()
    with pytest.raises(understudy_pytest.DeadlockDetected) as failure:
        engine.call_client("tool", "refresh")
    took = time.monotonic() - started

    message = str(failure.value)
    assert took < FAILS_WITHIN, f"the deadlock failed the test after {took:.3f} s:\n{message}"
    assert CYCLE in message.splitlines()[0], message
    assert f"client side: {callback_frame()}" in message, message
    assert f"engine side: {__file__}:" in message and "in test_an_unexpected_deadlock" in message, \
        message
    for way in WAYS_OUT:
        assert way in message, f"{way!r} missing from:\n{message}"
    assert "deadlock detected at frame" in message, message


def test_a_fail_fast_deadlock_fails_the_wait_with_the_same_explanation(
        understudy_engine, client_process):
    engine = understudy_engine("--on-deadlock", "fail-fast")
    client_process(CALLBACK, name="tool", ready="^connected$")

    with pytest.raises(understudy_pytest.DeadlockDetected) as failure:
        engine.call_client("tool", "refresh")

    message = str(failure.value)
    assert CYCLE in message.splitlines()[0], message
    # The engine released the client at once: its stack, taken after the
    # console record was read, may or may not still show the callback.
    assert "client side: " in message, message
    assert "scenarios/deadlock/fix_engine_async.toml" in message, message


class CallsBack(understudy_client_module.ClientService):
    execute = None  # looked up once, as clients/callback_client.py explains

    def exposed_refresh(self):
        self.execute("pass")  # the in-process client's own deadlock
        return "refreshed"


def test_an_in_process_client_is_named_by_its_frame_in_this_file(
        understudy_engine, understudy_client):
    engine = understudy_engine("--call-timeout", "3")
    service = CallsBack("tool")
    service.execute = understudy_client("tool", service=service).root.execute

    with pytest.raises(understudy_pytest.DeadlockDetected) as failure:
        engine.call_client("tool", "refresh")

    number = line_of(__file__, "the in-process client's own deadlock")
    assert f"client side: {__file__}:{number} in exposed_refresh" in str(failure.value), \
        str(failure.value)
    # The engine's call ends at its timeout; the client is closed after that.
    engine.wait_for_console(r"^understudy_pytest: call #1 tool.refresh \(sync\) ended", timeout=10)


def test_the_log_tail_keeps_the_deadlock_report_whole(understudy_engine, client_process):
    engine = understudy_engine("--call-timeout", "1")
    client_process(CALLBACK, name="tool", ready="^connected$")
    outcome = engine.call_client("tool", "refresh", expect_deadlock=True)
    assert outcome.error_type == "ServiceCallTimeout", outcome
    engine.execute("""
        import unreal_engine as ue
        for i in range(2 * lines):
            ue.log(f"filler {i}")
    """, lines=understudy_pytest.LOG_TAIL_LINES)
    engine.wait_for_console(rf"^filler {2 * understudy_pytest.LOG_TAIL_LINES - 1}$")

    shown = understudy_pytest.tail(engine.log_path, console=engine.console_file)
    report = engine.find_console(r"^deadlock detected", severity="error")[0]
    assert report.text.splitlines()[0] in shown, shown
    assert "  ways out:" in shown, shown
    assert shown.rstrip().endswith(f"filler {2 * understudy_pytest.LOG_TAIL_LINES - 1}"), shown
    assert "lines) ..." in shown, shown
