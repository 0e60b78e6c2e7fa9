"""The re-entrant deadlock: the engine's main thread calls a client service
synchronously, and the service calls back into the engine for something that
needs the main thread. Then the documented fixes, which work in the default
engine and under --faithful (PfU 2.x, whose RPyC 4.0.2 receives while a
request waits), the stock RPyC 5.x trap that --faithful=rpyc5 reproduces, and
--on-deadlock fail-fast.

Every scenario uses clients/spawner_client.py, whose services spawn one actor
labelled after the call by calling back `root.execute(...)`."""

import os
import re
import subprocess
import time

import pytest
import understudy_client as understudy_client_module

SPAWNER = "clients/spawner_client.py"
CALL_TIMEOUT = 2.0  # --call-timeout: short, so the deadlock costs 2 s, not 30
DETECTION_BUDGET = 0.5  # the deadlock is reported this soon after the call, long before the timeout
QUICK = 1.0  # a call that does not deadlock ends well within this


def spawned(engine, label):
    return engine.actor_labels().count(label)


def assert_spawned_exactly_once(engine, label):
    engine.wait_until(lambda: spawned(engine, label) >= 1, f"an actor labelled {label!r}",
                      seen=lambda: repr(engine.actor_labels()))
    # The main thread runs jobs in order: this query runs after any job the
    # client had queued, so a second actor would show now.
    assert spawned(engine, label) == 1, (
        f"expected exactly one actor labelled {label!r}, found {engine.actor_labels()}\n"
        + engine.failure_context())


def test_synchronous_call_back_into_the_engine_deadlocks_until_the_timeout(
        understudy_engine, client_process):
    engine = understudy_engine("--call-timeout", str(CALL_TIMEOUT))
    spawner = client_process(SPAWNER, name="spawner")
    mark = engine.console_mark()

    ns = engine.execute("""
        import time
        import unreal_engine as ue
        import understudy_engine as u

        def count():
            world = ue.get_editor_world()
            return sum(a.get_actor_label() == "sync-bug" for a in world.all_actors())

        ue.log("scenario: calling spawn_sync")
        started = time.monotonic()
        try:
            u.call_service_on_client("spawner", "spawn_sync", "sync-bug")
            error_type = error = None
        except Exception as exc:
            error_type, error = type(exc).__name__, str(exc)
        elapsed = time.monotonic() - started
        actors_when_the_call_ended = count()
        ue.log("scenario: the call ended")
    """, timeout=CALL_TIMEOUT + 5)

    outcome = {k: ns[k] for k in ("error_type", "error", "elapsed")}
    assert ns["error_type"] == "ServiceCallTimeout", outcome
    assert "result expired" in ns["error"], outcome
    assert CALL_TIMEOUT - 0.1 <= ns["elapsed"] < CALL_TIMEOUT + 1.0, outcome

    started = engine.wait_for_console(r"^scenario: calling spawn_sync$", since=mark)
    ended = engine.wait_for_console(r"^scenario: the call ended$", since=mark)
    report = engine.wait_for_console(r"^deadlock detected", severity="error", since=mark)
    summary = report.text.splitlines()[0]
    assert "main -> client:spawner#" in summary and summary.endswith("-> main (execute)"), (
        f"the report should name the cycle main -> spawner -> main: {summary!r}")
    assert report.time - started.time < DETECTION_BUDGET, (
        f"the deadlock was reported {report.time - started.time:.3f} s after the call started; "
        f"expected within {DETECTION_BUDGET} s, long before the {CALL_TIMEOUT} s timeout")
    assert report.time < ended.time

    # The main thread was stuck in the call, so the client's execute could not
    # run before the call timed out: it completes late, and exactly once.
    assert ns["actors_when_the_call_ended"] == 0
    late = spawner.wait_for_output(r"spawn_sync\(sync-bug\): execute returned after (\S+) s")
    assert float(late.group(1)) >= CALL_TIMEOUT - 0.1, late.group(0)
    assert_spawned_exactly_once(engine, "sync-bug")


FIXES = {
    "client rpyc.async_ without waiting": ("spawn_fire_and_forget", "sync"),
    "client keeps the AsyncResult and polls it": ("spawn_and_poll", "sync"),
    "engine coroutine path": ("spawn_sync", "coroutine"),
    "engine async path": ("spawn_sync", "async"),
}


def assert_the_fix_works(engine, spawner, service, label, path="sync"):
    """The engine calls `service`: it returns the label at once, the actor is
    spawned once, and no deadlock is reported."""
    call = engine.start_call("spawner", service, label, path=path)
    outcome = call.wait(timeout=CALL_TIMEOUT + 5)

    assert outcome.ok and outcome.value == label, outcome
    assert outcome.elapsed < QUICK, outcome
    assert_spawned_exactly_once(engine, label)
    if service == "spawn_and_poll":
        polled = spawner.wait_for_output(rf"spawn_and_poll\({label}\): execute (.*) after")
        assert polled.group(1) == "ready", polled.group(0)
    engine.assert_no_console(r"deadlock", since=call.mark)


@pytest.mark.parametrize("fix", list(FIXES))
def test_documented_fixes_do_not_deadlock(understudy_engine, client_process, fix):
    service, path = FIXES[fix]
    label = re.sub(r"\W+", "-", fix)
    engine = understudy_engine("--call-timeout", str(CALL_TIMEOUT))
    spawner = client_process(SPAWNER, name="spawner")

    assert_the_fix_works(engine, spawner, service, label, path=path)


CLIENT_FIXES = ["spawn_fire_and_forget", "spawn_and_poll"]


@pytest.mark.reproduces_original
@pytest.mark.parametrize("faithful", ["--faithful", "--faithful=pfu"])
@pytest.mark.parametrize("service", CLIENT_FIXES)
def test_faithful_pfu_mode_lets_the_client_side_fixes_work(
        understudy_engine, client_process, service, faithful):
    """PfU 2.x's RPyC 4.0.2 gives the receive lock back before it dispatches
    the client's execute, which then waits for the main thread on the
    reader: the main thread, waiting for the service's reply, receives it
    itself. So the documented client-side fixes work there, and the execute
    runs when the main thread next drains its jobs."""
    label = f"pfu-{service}"
    engine = understudy_engine(faithful, "--call-timeout", str(CALL_TIMEOUT))
    spawner = client_process(SPAWNER, name="spawner")

    assert_the_fix_works(engine, spawner, service, label)


@pytest.mark.reproduces_original
def test_faithful_pfu_mode_keeps_the_synchronous_deadlock_until_the_timeout(
        understudy_engine, client_process):
    """Under PfU the reader waits for the main thread while the main thread
    waits for the client, which waits for its execute: nothing moves until the
    call times out. It is reported at once, and the execute runs late."""
    engine = understudy_engine("--faithful", "--call-timeout", str(CALL_TIMEOUT))
    spawner = client_process(SPAWNER, name="spawner")

    call = engine.start_call("spawner", "spawn_sync", "pfu-sync")
    outcome = call.wait(timeout=CALL_TIMEOUT + 5, expect_deadlock=True)

    assert outcome.error_type == "ServiceCallTimeout", outcome
    assert "result expired" in outcome.error, outcome
    assert outcome.elapsed >= CALL_TIMEOUT - 0.1, outcome
    report = engine.wait_for_console(r"^deadlock detected", severity="error", since=call.mark)
    assert report.time - outcome.started.time < DETECTION_BUDGET, report
    assert "rpyc.async_(conn.root.execute)" in report.text, (
        "under PfU the client-side fixes work, so the report should offer them:\n" + report.text)
    late = spawner.wait_for_output(r"spawn_sync\(pfu-sync\): execute returned after (\S+) s")
    assert float(late.group(1)) >= CALL_TIMEOUT - 0.1, late.group(0)
    assert_spawned_exactly_once(engine, "pfu-sync")


@pytest.mark.reproduces_original
@pytest.mark.parametrize("service", CLIENT_FIXES)
def test_faithful_rpyc5_mode_reproduces_the_stock_rpyc5_trap_for_client_fixes(
        understudy_engine, client_process, service):
    """Stock RPyC 5.x keeps the connection's reader blocked while the client's
    execute waits for the main thread, so the reply the main thread waits for
    cannot be received: the documented client-side fixes deadlock anyway."""
    engine = understudy_engine("--faithful=rpyc5", "--call-timeout", str(CALL_TIMEOUT))
    client_process(SPAWNER, name="spawner")

    call = engine.start_call("spawner", service, "rpyc5")
    outcome = call.wait(timeout=CALL_TIMEOUT + 5, expect_deadlock=True)

    assert outcome.error_type == "ServiceCallTimeout", outcome
    assert "result expired" in outcome.error, outcome
    assert outcome.elapsed >= CALL_TIMEOUT - 0.1, outcome
    report = engine.wait_for_console(r"^deadlock detected", severity="error", since=call.mark)
    assert report.time - outcome.started.time < DETECTION_BUDGET, report
    assert "under --faithful=rpyc5" in report.text, report.text
    assert_spawned_exactly_once(engine, "rpyc5")


def test_faithful_takes_only_pfu_or_rpyc5(pytestconfig):
    """A misspelt variant is refused at start, naming the ones there are."""
    binary = pytestconfig.getoption("--understudy-engine") or os.environ["UNDERSTUDY_ENGINE"]
    run = subprocess.run([binary, "--faithful=rpyc4", "--frames", "1", "--no-rpc"],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode != 0, run
    assert "rpyc4" in run.stderr and "pfu" in run.stderr and "rpyc5" in run.stderr, run.stderr


def test_fail_fast_fails_the_synchronous_call_at_once(understudy_engine, client_process):
    long_timeout = 10.0  # fail-fast must not wait for it
    engine = understudy_engine("--on-deadlock", "fail-fast", "--call-timeout", str(long_timeout))
    client_process(SPAWNER, name="spawner")

    call = engine.start_call("spawner", "spawn_sync", "fail-fast")
    outcome = call.wait(timeout=long_timeout + 5, expect_deadlock=True)

    assert outcome.error_type == "DeadlockError", outcome
    assert outcome.elapsed < DETECTION_BUDGET, outcome
    assert "would never return" in outcome.error and "main" in outcome.error, outcome
    engine.wait_for_console(r"^deadlock detected", severity="error", since=call.mark)
    # Released at once, the main thread then runs the client's execute.
    assert_spawned_exactly_once(engine, "fail-fast")


class SlowService:
    """Answers after a while: longer than the monitor's confirmation window,
    so that a cycle through this client holds while it answers."""

    ANSWER_SECONDS = 0.3

    def exposed_slow(self):
        time.sleep(self.ANSWER_SECONDS)
        return "slow done"


def test_a_request_already_waiting_for_the_main_thread_is_not_a_deadlock(
        understudy_engine, understudy_client):
    """The client asked for the main thread before the engine called it, not
    from inside the engine's call: RPyC serves the engine's call while the
    client waits, so the cycle unwinds by itself. Under load such cycles hold
    for longer than the confirmation window; with fail-fast a report would
    fail a healthy call."""
    engine = understudy_engine("--on-deadlock", "fail-fast", "--call-timeout", "10")
    service = type("Slow", (understudy_client_module.ClientService, SlowService), {})("early")
    client = understudy_client("early", service=service)
    mark = engine.console_mark()

    # The main thread waits (deterministically, by the wait-for graph) until
    # the client's execute is queued behind it, then calls the client.
    call = engine.execute_in_background("""
        import time
        import _understudy_engine as native
        import unreal_engine as ue
        import understudy_engine as u

        ue.log("test: the main thread waits for the client's request")
        deadline = time.monotonic() + 10
        while not any(e["waiter"].startswith("client:early") for e in native.wait_edges()):
            if time.monotonic() > deadline:
                raise AssertionError("the client's execute never waited for the main thread")
            time.sleep(0.005)
        started = time.monotonic()
        answer = u.call_service_on_client("early", "slow")
        elapsed = time.monotonic() - started
    """, timeout=20)
    # Once the engine's job runs, the client's execute queues behind it.
    engine.wait_for_console(r"^test: the main thread waits for the client's request$", since=mark)
    queued = client.root.execute("early_request_ran = True")
    assert queued is None

    ns = call.result(timeout=20)
    assert ns["answer"] == "slow done", dict(ns)
    assert ns["elapsed"] >= SlowService.ANSWER_SECONDS, dict(ns)
    engine.assert_no_console(r"deadlock", since=mark)
