"""The engine under resource exhaustion: a peer in another process opens
connections until the engine's descriptor limit (set low for the engine
alone, through the plugin's rlimits=), and the engine must keep accepting:
the connection cap comes from the limit, accept() failures are ridden out
with one warning per episode, and once the flood is gone a real client
connects and registers at once, and the engine's descriptors and threads
are back to where they were. Also a plain RPyC client that stays quiet
after connecting, which must not be dropped at registration."""

import re
import resource
import socket
import time

from conftest import (back_to_baseline, engine_fds, engine_threads, record_figure,
                      wait_closed_by_peer)

NOFILE = 256  # the engine's RLIMIT_NOFILE in these tests
FLOOD = 400  # connections the flood tries: more than NOFILE
RECOVERY_DEADLINE = 5.0  # flood gone -> a new client registered
THREADLESS_CONNECTIONS = 5  # connections made while no thread can start


def flood(client_process, engine):
    proc = client_process("clients/connection_flood.py", args=[str(engine.port), str(FLOOD)],
                          ready=r"^opened \d+$", timeout=60)
    opened = int(re.search(r"^opened (\d+)$", proc.output(), re.MULTILINE).group(1))
    return proc, opened


def end_flood(proc):
    proc.kill()  # the kernel closes every connection it held
    return time.monotonic()


def connect_after_flood(engine, understudy_client, ended):
    client = understudy_client("after-flood", timeout=RECOVERY_DEADLINE)
    recovered = time.monotonic() - ended
    assert recovered < RECOVERY_DEADLINE, \
        f"a client took {recovered:.2f} s to register after the flood ended"
    assert client.root.execute is not None
    return client, recovered


def test_accept_survives_running_out_of_descriptors(understudy_engine, client_process,
                                                    understudy_client):
    """With no cap (--max-connections 0, stock RPyC's), the flood reaches
    RLIMIT_NOFILE and accept() fails with EMFILE: one warning for the whole
    episode, the accept thread stays, and new clients get in once the
    flood's connections close."""
    engine = understudy_engine("--max-connections", "0", socket="tcp",
                               rlimits={"NOFILE": (NOFILE, NOFILE)})
    fds, threads = engine_fds(engine), engine_threads(engine)
    mark = engine.console_mark()
    proc, _ = flood(client_process, engine)
    engine.wait_for_console(r"^rpc server cannot take new connections: accept\(\) failed: "
                            r"\[Errno 24\] Too many open files; retrying with a backoff",
                            since=mark, severity="warning")
    peak = engine_fds(engine)
    time.sleep(1.0)  # the backoff keeps failing meanwhile: still one warning
    warnings = engine.find_console(r"^rpc server cannot take new connections", since=mark)
    assert len(warnings) == 1, f"expected one warning for the episode, saw {len(warnings)}"
    ended = end_flood(proc)
    engine.wait_for_console(r"^rpc server accepting again after [\d.]+ s \(\d+ failed attempts "
                            r"to accept\)$", since=mark)
    client, recovered = connect_after_flood(engine, understudy_client, ended)
    client.close()
    back_to_baseline(engine, fds, threads)
    record_figure("exhaustion: connections accepted before EMFILE (NOFILE 256, no cap)",
                  peak - fds)
    record_figure("exhaustion: flood ended -> new client registered, EMFILE (s)",
                  f"{recovered:.3f}")


def test_the_default_cap_comes_from_the_descriptor_limit(understudy_engine, client_process,
                                                         understudy_client):
    """Without --max-connections the cap is RLIMIT_NOFILE less what the
    engine holds and a reserve: the flood meets the cap (one warning), never
    EMFILE, and the engine stays under its limit."""
    engine = understudy_engine(socket="tcp", rlimits={"NOFILE": (NOFILE, NOFILE)})
    line = engine.wait_for_console(r"^rpc connections capped at (\d+): RLIMIT_NOFILE 256 less "
                                   r"the \d+ descriptors the engine holds and a reserve of \d+$")
    cap = int(re.search(r"capped at (\d+)", line.text).group(1))
    assert 0 < cap < NOFILE, f"a cap of {cap} under RLIMIT_NOFILE {NOFILE}"
    fds, threads = engine_fds(engine), engine_threads(engine)
    mark = engine.console_mark()
    proc, opened = flood(client_process, engine)
    engine.wait_for_console(rf"^closing connection from 127\.0\.0\.1:\d+: {cap} connections are "
                            r"open, the --max-connections cap$", since=mark, severity="warning")
    peak = engine_fds(engine)
    assert peak < NOFILE, f"the engine holds {peak} descriptors of its {NOFILE}"
    refusals = engine.find_console(r"^closing connection from .*--max-connections cap$",
                                   since=mark)
    assert len(refusals) == 1, f"expected one warning for the episode, saw {len(refusals)}"
    engine.assert_no_console(r"^rpc server cannot take new connections", since=mark)
    ended = end_flood(proc)
    client, recovered = connect_after_flood(engine, understudy_client, ended)
    engine.wait_for_console(r"^rpc server accepting again after [\d.]+ s \(\d+ connections "
                            r"refused at the cap\)$", since=mark)
    client.close()
    back_to_baseline(engine, fds, threads)
    record_figure("exhaustion: derived cap under NOFILE 256", cap)
    record_figure("exhaustion: flood of 400 against the derived cap, opened", opened)
    record_figure("exhaustion: flood ended -> new client registered, at the cap (s)",
                  f"{recovered:.3f}")


def test_a_max_connections_above_the_limit_is_lowered_with_a_warning(understudy_engine):
    engine = understudy_engine("--max-connections", "1000", socket="tcp",
                               rlimits={"NOFILE": (NOFILE, NOFILE)})
    engine.wait_for_console(r"^--max-connections 1000 lowered to \d+: RLIMIT_NOFILE 256 less the "
                            r"\d+ descriptors the engine holds and a reserve of \d+ leave room "
                            r"for no more$", severity="warning")


CALL_TIMEOUT = 1.0
QUIET = 3 * CALL_TIMEOUT


def test_a_quiet_plain_client_is_registered_when_it_answers(understudy_engine, client_process):
    """A plain RPyC client serves its connection only while it waits for a
    reply of its own: one quiet for longer than --call-timeout after
    connecting must stay connected, be registered once it answers
    client_name(), and be callable by name; the log says it answered late."""
    engine = understudy_engine("--call-timeout", str(CALL_TIMEOUT), socket="tcp")
    mark = engine.console_mark()
    proc = client_process("clients/quiet_plain_client.py", name="quiet", args=[str(QUIET)],
                          ready=None)
    proc.wait_for_output(r"^called after the quiet time$", timeout=QUIET + 10)
    proc.wait_registered()
    engine.wait_for_console(r"^client 'quiet' connected from 127\.0\.0\.1:\d+ \(connection \d+; "
                            r"it answered client_name\(\) [\d.]+ s after connecting\)$",
                            since=mark)
    engine.assert_no_console(r"went away|closing connection", since=mark)
    assert engine.call_client("quiet", "echo", 17).value == 17


def test_faithful_pfu_closes_a_quiet_client_and_says_why(understudy_engine, client_process):
    """--faithful pfu registers as PfU's on_connect does, synchronously with
    RPyC's request timeout: the quiet client is closed, and the log says it
    did not answer in time, not that it went away."""
    engine = understudy_engine("--faithful=pfu", "--call-timeout", str(CALL_TIMEOUT),
                               socket="tcp")
    mark = engine.console_mark()
    proc = client_process("clients/quiet_plain_client.py", name="quiet", args=[str(QUIET)],
                          ready=None)
    engine.wait_for_console(r"^closing connection from 127\.0\.0\.1:\d+: it did not answer "
                            r"client_name\(\) within the 1\.0 s call timeout", since=mark,
                            severity="warning", timeout=QUIET + 10)
    engine.assert_no_console(r"went away", since=mark)
    proc.expected_exit = True  # its call fails on the closed connection
    proc.wait_exit(QUIET + 10)


def vm_size_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmSize in /proc/{pid}/status")


def test_accept_survives_threads_that_cannot_start(understudy_engine, understudy_client):
    """Issue 16: "`can't start new thread` does the same" (the accept thread
    died for good). A new connection's thread is refused here the way the
    kernel refuses it when memory or threads run out: the engine's address
    space is limited to what it maps now and a few MiB, so no thread stack
    (8 MiB) can be mapped; RLIMIT_NPROC would do it too, but root is exempt
    from it. Each connection is closed, one warning for the episode says
    why, the accept thread lives on, and once the limit is lifted a client
    connects and registers at once."""
    engine = understudy_engine(socket="tcp")
    fds, threads = engine_fds(engine), engine_threads(engine)
    limits = resource.prlimit(engine.pid, resource.RLIMIT_AS)
    mark = engine.console_mark()
    resource.prlimit(engine.pid, resource.RLIMIT_AS,
                     (vm_size_bytes(engine.pid) + (4 << 20), limits[1]))
    try:
        for _ in range(THREADLESS_CONNECTIONS):
            with socket.create_connection(("127.0.0.1", engine.port), timeout=5) as sock:
                wait_closed_by_peer(sock)
        warnings = engine.find_console(r"^rpc server cannot take new connections", since=mark)
        assert [w.text for w in warnings] == [
            "rpc server cannot take new connections: cannot start a thread for a new "
            "connection (can't start new thread); such connections are closed; retrying with a "
            "backoff of up to 0.5 s until resources free up (no more warnings until then)"], \
            f"expected one warning for the episode, naming the thread; saw " \
            f"{[r.text for r in engine.find_console('', since=mark)]}"
    finally:
        resource.prlimit(engine.pid, resource.RLIMIT_AS, limits)
    lifted = time.monotonic()
    client, recovered = connect_after_flood(engine, understudy_client, lifted)
    engine.wait_for_console(r"^rpc server accepting again after [\d.]+ s \(\d+ failed attempts "
                            r"to accept\)$", since=mark)
    client.close()
    back_to_baseline(engine, fds, threads)
    record_figure("exhaustion: threads refused -> limit lifted -> new client registered (s)",
                  f"{recovered:.3f}")
