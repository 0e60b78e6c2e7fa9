"""The main thread reads the replies to its own async calls between frames
(understudy_engine/main_thread_reading.py), so that an async pipeline runs
on one thread. What must still hold while it holds a client's connection:
every completion runs on the main thread, the client's own requests are
served when the main thread is busy elsewhere, and a synchronous call to
that client goes through. A real engine, and a client in this process."""

import time

import understudy_client

PIPELINE = """
import _understudy_engine as native
import understudy_engine

state = {"sent": 0, "done": 0, "off_main": 0, "errors": [], "stop": False,
         "synced": [], "sync_reclaims": 0}

def issue():
    state["sent"] += 1
    call = understudy_engine.call_async_service_on_client(client, "echo", state["sent"])
    call.add_done_callback(done)

def done(future):
    if not native.is_main_thread():
        state["off_main"] += 1
    if future.exception() is not None:
        state["errors"].append(repr(future.exception()))
    state["done"] += 1
    if sync_every and state["done"] % sync_every == 0 and len(state["synced"]) < 50:
        # From the callback: the main thread is reading this connection.
        reclaims = reading.reclaims
        state["synced"].append(
            understudy_engine.call_service_on_client(client, "echo", state["done"], timeout=5))
        state["sync_reclaims"] += reading.reclaims - reclaims
    if not state["stop"]:
        issue()

for _ in range(depth):
    issue()
reading = understudy_engine.rpc_server.main_reading
"""


class EchoService(understudy_client.ClientService):
    def exposed_echo(self, value):
        return value


def start_pipeline(engine, understudy_client, depth=8, sync_every=0):
    tool = understudy_client("tool", service=EchoService())
    ns = engine.execute(PIPELINE, client="tool", depth=depth, sync_every=sync_every)
    return tool, ns


def wait_done(engine, ns, count):
    engine.wait_until(lambda: ns["state"]["done"] >= count, f"{count} async calls completed",
                      seen=lambda: repr(dict(ns["state"])))


def stop_pipeline(engine, ns):
    engine.execute("state['stop'] = True", namespace=ns)
    # The calls in flight complete (each stops the chain instead of issuing).
    engine.wait_until(lambda: ns["state"]["done"] == ns["state"]["sent"],
                      "every async call sent completed", seen=lambda: repr(dict(ns["state"])))


def test_an_async_pipeline_is_read_and_completed_by_the_main_thread(understudy_engine,
                                                                    understudy_client):
    engine = understudy_engine()
    _, ns = start_pipeline(engine, understudy_client)
    wait_done(engine, ns, 3000)
    stop_pipeline(engine, ns)
    state = dict(ns["state"])
    assert state["off_main"] == 0, f"{state['off_main']} completions ran off the main thread"
    assert list(state["errors"]) == []
    read = ns["reading"].messages_read
    # Nearly every reply, on an idle machine; the readers read the rest
    # (the first of each hand-over, and those of busy moments).
    assert read >= state["done"] // 2, (
        f"the main thread read {read} of the {state['done']} replies (grants "
        f"{ns['reading'].grants}, taken back {ns['reading'].reclaims})")


def request_while_the_main_thread_sleeps(engine, tool):
    """Seconds the client's request that runs off the main thread took while
    the main thread ran a job of 2 s."""
    mark = engine.console_mark()
    busy = engine.execute_in_background(
        "import time\nimport unreal_engine as ue\nue.log('busy')\ntime.sleep(2)")
    engine.wait_for_console(r"^busy$", since=mark)
    started = time.monotonic()
    tool.root.import_module("json")
    elapsed = time.monotonic() - started
    busy.result(timeout=10)
    return elapsed


def test_the_clients_requests_are_served_while_the_main_thread_is_busy(understudy_engine,
                                                                       understudy_client):
    """The main thread holds the connection, then runs a job that takes 2 s:
    the client's reader takes its connection back, and the client's own
    request (one that runs off the main thread) is answered meanwhile."""
    engine = understudy_engine()
    tool, ns = start_pipeline(engine, understudy_client)
    wait_done(engine, ns, 500)
    engine.wait_until(lambda: ns["reading"].held_count() > 0,
                      "the main thread holding the client's connection")
    elapsed = request_while_the_main_thread_sleeps(engine, tool)
    stop_pipeline(engine, ns)
    assert elapsed < 1.0, (
        f"the client's request waited {elapsed:.2f} s while the main thread slept "
        f"(taken back {ns['reading'].reclaims} times)")
    assert ns["state"]["off_main"] == 0


def test_a_sync_call_to_a_client_whose_connection_the_main_thread_reads(understudy_engine,
                                                                        understudy_client):
    """A done-callback, run while the main thread reads the client's
    connection, calls that client synchronously: the call gives the
    connection back to its reader at once, rather than waiting for the
    reader to take it back (RECLAIM_AFTER_S)."""
    engine = understudy_engine()
    _, ns = start_pipeline(engine, understudy_client, sync_every=40)
    engine.wait_until(lambda: len(ns["state"]["synced"]) >= 50, "50 synchronous calls made",
                      seen=lambda: repr(dict(ns["state"])))
    stop_pipeline(engine, ns)
    state = dict(ns["state"])
    assert all(value % 40 == 0 for value in state["synced"]), list(state["synced"])
    assert state["off_main"] == 0
    # A few at most, when the machine kept the main thread from a frame.
    assert state["sync_reclaims"] < 10, (
        f"the reader took its connection back {state['sync_reclaims']} times during 50 "
        "synchronous calls: the calls waited for that instead of giving it back")


def test_the_clients_requests_read_by_the_main_thread_are_served(understudy_engine,
                                                                 understudy_client):
    """Requests the client sends while the main thread reads its connection
    (it gives them to the reader, which dispatches them as any): a fast one
    and one that needs the main thread, until the main thread has read some."""
    engine = understudy_engine()
    tool, ns = start_pipeline(engine, understudy_client)
    wait_done(engine, ns, 500)
    reading = ns["reading"]
    root = tool.root
    deadline = time.monotonic() + 10.0
    sent = 0
    while reading.requests_handed_back < 5 and time.monotonic() < deadline:
        assert root.import_module("json").dumps(sent) == str(sent)
        namespace = root.dict()
        root.execute(f"n = {sent}", namespace)
        assert namespace["n"] == sent
        sent += 1
    stop_pipeline(engine, ns)
    assert reading.requests_handed_back > 0, (
        f"the main thread read none of the client's requests in {sent} rounds (it read "
        f"{reading.messages_read} replies): this test did not exercise what it is for")
    assert ns["state"]["off_main"] == 0


# --- a client's requests for the main thread (execute) ---


def hold_by_requests(engine, tool, calls=200):
    """The client's closed loop of main-thread requests, until the main
    thread holds its connection; the engine-side namespace and the reading."""
    reading = engine.execute(
        "import understudy_engine\nreading = understudy_engine.rpc_server.main_reading"
    )["reading"]
    namespace = tool.root.dict()
    for value in range(calls):
        tool.root.execute(f"n = {value}", namespace)
    # Checked by a request that keeps the connection with the main thread
    # (a dict item read would go to the reader).
    tool.root.execute(f"assert n == {calls - 1}, n", namespace)
    engine.wait_until(lambda: reading.held_count() > 0,
                      "the main thread holding the client's connection",
                      seen=lambda: f"requests it ran {reading.requests_run}, grants "
                      f"{reading.grants}, taken back {reading.reclaims}")
    return reading, namespace


def test_a_clients_main_thread_requests_are_read_and_run_by_the_main_thread(
        understudy_engine, understudy_client):
    """A closed loop of execute() calls: after the first, the main thread
    reads and runs them itself, one thread's wake-up a call."""
    engine = understudy_engine()
    tool = understudy_client("tool")
    reading, namespace = hold_by_requests(engine, tool, calls=2000)
    # Each call is three requests: the attribute, the call and the netref's drop.
    assert reading.requests_run >= 3000, (
        f"the main thread read and ran {reading.requests_run} of the client's 6000 requests "
        f"(grants {reading.grants}, taken back {reading.reclaims}): the rest each took a "
        "hand-off from the reader")
    # It ran them on the main thread.
    tool.root.execute("import _understudy_engine as native\non_main = native.is_main_thread()",
                      namespace)
    assert namespace["on_main"] is True


def test_a_clients_pipelined_requests_run_in_the_order_sent(understudy_engine,
                                                           understudy_client):
    """Requests sent without waiting for their replies: the first becomes a
    job and the main thread reads the rest itself; none may overtake one
    still queued. Another client keeps the main thread reading meanwhile,
    so that it often looks at the connection before it runs the job."""
    import threading

    import rpyc

    engine = understudy_engine()
    tool = understudy_client("tool")
    busy = understudy_client("busy")
    reading, _ = hold_by_requests(engine, tool, calls=50)
    stop = threading.Event()

    def keep_the_main_thread_reading():
        execute = busy.root.execute
        while not stop.is_set():
            execute("pass")

    other = threading.Thread(target=keep_the_main_thread_reading, daemon=True)
    other.start()
    try:
        namespace = tool.root.dict()
        tool.root.execute("order = []", namespace)
        runs, grants = reading.requests_run, reading.grants
        execute = rpyc.async_(tool.root.execute)
        for round_ in range(100):
            # A request the main thread gives back to the reader, so that the
            # round's first requests are jobs queued before it reads again.
            tool.root.import_module("json")
            calls = [execute(f"order.append({index})", namespace)
                     for index in range(round_ * 50, round_ * 50 + 50)]
            for call in calls:
                call.wait()
    finally:
        stop.set()
        other.join(timeout=10)
    order = list(namespace["order"])
    overtaken = [(order[i], order[i + 1]) for i in range(len(order) - 1)
                 if order[i] > order[i + 1]]
    assert not overtaken, (
        f"requests ran out of order: {len(overtaken)} times one ran before a request sent "
        f"earlier, first {overtaken[0][1]} after {overtaken[0][0]}")
    assert len(order) == 5000
    assert reading.requests_run > runs and reading.grants > grants, (
        "the main thread read none of the pipelined requests itself: this test did not "
        "exercise what it is for")


def test_the_clients_requests_are_served_while_a_main_thread_holding_it_is_busy(
        understudy_engine, understudy_client):
    """The main thread holds the connection by the client's execute() calls,
    then runs a job that takes 2 s: the reader takes the connection back and
    serves the client's request that runs off the main thread."""
    engine = understudy_engine()
    tool = understudy_client("tool")
    reading, _ = hold_by_requests(engine, tool)
    elapsed = request_while_the_main_thread_sleeps(engine, tool)
    assert elapsed < 1.0, (
        f"the client's request waited {elapsed:.2f} s while the main thread slept "
        f"(taken back {reading.reclaims} times)")
