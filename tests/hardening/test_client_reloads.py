"""understudy_client under domain reloads (SIGHUP), with real client
processes: a call waiting for its reply when the engine closes the
connection fails at once with a disconnect error naming the engine, not
after RPyC's 30 s sync_request_timeout; a burst of reloads leaves each
client registered once, with one reconnect loop having run and no
descriptor or thread left behind; reconnecting has a deadline."""

import os
import re
import signal
import time

import pytest

from conftest import record_figure

RELOAD_CLIENT = "clients/reload_client.py"
SLOW_CALL_S = 2.0  # the engine's connection thread sleeps this long in each client's call
CALL_FAILS_WITHIN_S = 2.0  # SIGHUP -> the call failed (the engine closes after its 0.5 s notice)
BURST = 10
BURST_GAP_S = 0.05
SETTLE_S = 10.0  # the burst sent -> every client registered once, resources at baseline
STABLE_S = 1.0  # ... and still so this long later (ten of the clients' retry intervals)


def client_resources(process):
    """(open descriptors, threads) of a client process."""
    return (len(os.listdir(f"/proc/{process.pid}/fd")),
            len(os.listdir(f"/proc/{process.pid}/task")))


def registrations(engine, processes):
    """{client name: how many connections the engine has registered from its process}."""
    pids = {p.pid: p.name for p in processes}
    counts = {p.name: 0 for p in processes}
    for _, pid in engine.registered_clients():
        if pid in pids:
            counts[pids[pid]] += 1
    return counts


def assert_holds_for(condition, what, seconds, seen):
    """`condition()` stays true for `seconds` (checked every 50 ms)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        assert condition(), f"{what} held, then no longer: {seen()}"
        time.sleep(0.05)


def reloads_settled(engine, since, frame):
    """No reload left to come: the engine is 3 frames past `frame` (a SIGHUP
    received before it starts its reload at the next frame, or the one
    after), and every reload it began since the console mark has finished."""
    if engine.frame() < frame + 3:
        return False
    begun = len(engine.find_console(r"^domain reload: stopping", since=since))
    done = len(engine.find_console(r"^domain reload: done", since=since))
    return begun == done


def test_a_call_in_flight_during_a_reload_fails_at_once_and_the_clients_reconnect(
        understudy_engine, client_process):
    engine = understudy_engine()
    clients = [client_process(RELOAD_CLIENT, name=f"busy{i}",
                              args=["--slow-call", str(SLOW_CALL_S)]) for i in range(3)]
    for client in clients:
        client.wait_for_output(r"ready for the slow call")
    for client in clients:
        client.send_signal(signal.SIGUSR2)
    for client in clients:
        client.wait_for_output(r"slow call started")
    mark = engine.console_mark()
    sighup_at = time.monotonic()
    engine.reload()

    pattern = r"^(\S+) slow call (failed|returned) after (\S+) s: ?(.*)$"
    took = {}
    for client in clients:
        ended = client.wait_for_output(pattern, timeout=CALL_FAILS_WITHIN_S + 3)
        at, how, _, error = ended.groups()
        assert how == "failed", (f"{client.describe()}'s call returned although the reload closed "
                                 f"its connection: {ended.group(0)!r}")
        took[client.name] = float(at) - sighup_at
        assert took[client.name] <= CALL_FAILS_WITHIN_S, (
            f"{client.describe()}'s call failed {took[client.name]:.3f} s after SIGHUP, expected "
            f"within {CALL_FAILS_WITHIN_S} s (the engine closes the connection 0.5 s after its "
            f"notice): {ended.group(0)!r}; its log: {client.log_path}")
        assert error.startswith("EngineDisconnectedError: "), (
            f"{client.describe()}'s call failed with the wrong error: {error!r}")
        assert engine.address in error and "closed during a domain reload" in error, (
            f"the error should name the engine's address {engine.address} and the reload: "
            f"{error!r}")

    engine.wait_reloaded(since=mark)
    for client in clients:
        client.wait_for_output(r"connected \(connection 2\)")
    engine.wait_for_clients({client.name: 1 for client in clients})
    record_figure("client reloads: SIGHUP -> in-flight call failed (s), 3 clients",
                  {name: round(seconds, 3) for name, seconds in took.items()})


@pytest.mark.parametrize("transport", ["pfu", "tcp"])  # PfU's Unix socket, loopback TCP
def test_a_burst_of_reloads_leaves_each_client_registered_once_and_nothing_leaked(
        understudy_engine, client_process, transport):
    engine = understudy_engine(socket=transport)
    clients = [client_process(RELOAD_CLIENT, name=f"steady{i}") for i in range(3)]
    for client in clients:
        client.wait_for_output(r"connected \(connection 1\)")
    baseline = {client.name: client_resources(client) for client in clients}
    mark = engine.console_mark()

    for _ in range(BURST):
        engine.reload()
        time.sleep(BURST_GAP_S)
    burst_sent = time.monotonic()
    burst_frame = engine.frame()

    expected = {client.name: 1 for client in clients}

    def settled():
        return (reloads_settled(engine, mark, burst_frame)
                and registrations(engine, clients) == expected
                and {c.name: client_resources(c) for c in clients} == baseline)

    def seen():
        return (f"registrations {registrations(engine, clients)}, (fds, threads) "
                f"{ {c.name: client_resources(c) for c in clients} } against {baseline} before "
                f"the burst; reloads begun/done "
                f"{len(engine.find_console(r'^domain reload: stopping', since=mark))}/"
                f"{len(engine.find_console(r'^domain reload: done', since=mark))}; "
                f"client logs: {[str(c.log_path) for c in clients]}")

    what = (f"each client registered once with its descriptors and threads back to {baseline} "
            f"after {BURST} SIGHUPs {BURST_GAP_S} s apart")
    engine.wait_until(settled, what, timeout=SETTLE_S, seen=seen)
    settled_after = time.monotonic() - burst_sent
    # A second reconnect loop would register a second connection a retry
    # interval or more later.
    assert_holds_for(settled, what, STABLE_S, seen)

    reloads = len(engine.find_console(r"^domain reload: done", since=mark))
    connections = {c.name: len(re.findall(r"connected \(connection \d+\)", c.output()))
                   for c in clients}
    for client in clients:
        # Connected where the engine registered it: it answers the engine's call.
        answer = engine.call_client(client.name, "client_name")
        assert (answer.error_type, answer.value) == (None, client.name), answer
    record_figure(f"client reloads: burst of {BURST} SIGHUPs {BURST_GAP_S * 1000:.0f} ms apart "
                  f"({transport})",
                  {"reloads": reloads, "settled_s": round(settled_after, 3),
                   "connections_made": connections})


def test_reconnecting_gives_up_at_its_deadline_with_a_message(understudy_engine, client_process):
    engine = understudy_engine()
    client = client_process(RELOAD_CLIENT, name="orphan", args=["--reconnect-timeout", "1"])
    client.wait_for_output(r"connected \(connection 1\)")  # connect() has returned
    address = engine.address
    killed_at = time.monotonic()
    engine.kill()  # no shutdown notice, and nobody listens any more

    gave_up = client.wait_for_output(
        rf"^understudy_client: could not reconnect to the engine at {re.escape(address)} within "
        r"1\.0 s after it closed the connection: \S", timeout=5)
    after = time.monotonic() - killed_at
    assert after >= 0.9, f"the client gave up {after:.3f} s after the engine died, before its 1 s"
    assert client.running(), f"the client should outlive its connection: {gave_up.group(0)!r}"
