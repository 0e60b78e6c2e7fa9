"""A client of the fault matrix (the fault_matrix step starts these).

It offers hold(label, seconds, spawn) to the engine on every call path: with
spawn, it first spawns an actor labelled `label` through the engine (a
client->engine call inside an engine->client call, safe on the coroutine and
async paths), then sleeps `seconds`, giving the harness a call in flight to
kill or pause the client in. Meanwhile its own loop spawns actors labelled
NAME.PID.N through the engine.

Every label it spawns (its own, and those of the harness's calls) is written
to the ledger before the call ("attempt") and after it: "done", "failed"
when the engine answered with an exception it raised running the spawn (an
RPyC remote exception: the engine reports that the spawn failed), or "error"
when there was no answer either way (the call expired, the connection was
lost). One unbuffered write per line, so that the harness can hold the world
against what this client reported even after a SIGKILL. status() tells the
harness whether the loop is stuck."""

import argparse
import json
import os
import signal
import threading
import time

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--ledger", required=True)
parser.add_argument("--call-timeout", type=float, default=2.0)
parser.add_argument("--interval", type=float, default=0.05, help="seconds between own spawns")
options = parser.parse_args()

SPAWN = ("import unreal_engine as ue\n"
         "ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label({label!r})")

ledger = os.open(options.ledger, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)


def record(what, label, detail=""):
    os.write(ledger, f"{what} {label} {detail}".rstrip().encode() + b"\n")


def spawn(conn, label):
    """Spawns `label` through the engine, with the outcome in the ledger;
    raises what the call raised."""
    record("attempt", label)
    try:
        conn.root.execute(SPAWN.format(label=label))
    except Exception as exc:
        # RPyC gives an exception raised on the other side its traceback.
        outcome = "failed" if hasattr(exc, "_remote_tb") else "error"
        record(outcome, label, type(exc).__name__)
        raise
    record("done", label)


class State:
    lock = threading.Lock()
    done = 0
    errors = 0
    in_flight_since = None  # monotonic time the loop's current engine call began


class FaultMatrixService(uc.ClientService):
    def exposed_hold(self, label, seconds, spawn_actor):
        if spawn_actor:
            spawn(self.conn, label)
        time.sleep(seconds)
        return label

    def exposed_status(self):
        # As JSON text: a dict would reach the engine as a reference to this one.
        with State.lock:
            since = State.in_flight_since
            return json.dumps({"done": State.done, "errors": State.errors,
                               "in_flight_s": 0.0 if since is None else time.monotonic() - since,
                               "connections": client.connections_made})


stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
service = FaultMatrixService()
# The loop's calls expire like the engine's own, so a call that never gets an
# answer turns into an error here instead of a silent hang.
client = uc.connect(service=service, reconnect=True, retry_interval=0.1,
                    config={"sync_request_timeout": options.call_timeout})
print(f"{service.name}: connected as pid {os.getpid()}", flush=True)

n = 0
while not stop.is_set():
    label = f"{service.name}.{os.getpid()}.{n}"
    n += 1
    with State.lock:
        State.in_flight_since = time.monotonic()
    try:
        spawn(client, label)
        with State.lock:
            State.done += 1
    except Exception:  # a reload closed the connection, the call expired, ...
        with State.lock:
            State.errors += 1
    finally:
        with State.lock:
            State.in_flight_since = None
    if not client.connected:
        client.wait_connected(5.0)
    stop.wait(options.interval)
client.close()
