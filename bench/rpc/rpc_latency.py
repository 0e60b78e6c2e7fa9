#!/usr/bin/python3
"""rpc_latency: what a call costs on each of the engine's RPC paths, against
a plain RPyC server doing the same call shape, measured in one run.

    /usr/bin/python3 bench/rpc/rpc_latency.py [--engine PATH] [--calls N]

(a) engine -> client, synchronous: engine-side code on the main thread calls
    a trivial client service N times (call_service_on_client), timing each
    call; baseline: a plain RPyC ThreadedServer, where a thread other than the
    client's connection thread calls the same service through the client's
    root.
(b) client -> engine, needing the main thread: `root.execute("pass")` and a
    cheap unreal_engine call through a netref (ue.get_frame_number()), engine
    at --tick-hz 60; baseline: the same calls on a plain RPyC server, which
    runs them on the connection's thread.
(c) (a) and (b) again with --faithful: requests wait for the start of the
    next frame. Calls made back to back lock onto the frame (each waits a
    whole frame, 16.7 ms at 60 Hz); calls at random moments wait half a frame
    on average (about 8 ms), hence the "random spacing" rows.

Every process is separate: the engine, the plain server, the client with
the service, and this process, which makes the client-to-server calls.
Sockets have TCP_NODELAY on both ends in both setups. This is a benchmark,
not a test: it prints a table and asserts nothing.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import rpyc
from rpyc.utils.server import ThreadedServer

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 10.0
WARMUP_CALLS = 50
FRAME = 1 / 60  # --tick-hz 60


def nodelay(conn):
    sock = conn._channel.stream.sock
    if sock.family != socket.AF_UNIX:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def connect(address, service=rpyc.VoidService):
    host, port = address[len("tcp://"):].rsplit(":", 1)
    conn = rpyc.connect(host, int(port), service=service,
                        config={"allow_public_attrs": True, "sync_request_timeout": 60})
    nodelay(conn)
    return conn


# --- role: the client with a trivial service (a separate process) ---

class BenchClientService(rpyc.Service):
    def exposed_client_name(self):
        return "bench"

    def exposed_noop(self):
        return None


def run_client(address):
    """Serves the connection on a dedicated thread blocked in the socket, as
    understudy_client does (not BgServingThread, which sleeps between polls)."""
    conn = connect(address, BenchClientService)
    thread = threading.Thread(target=conn.serve_all, name="serve", daemon=True)
    thread.start()
    print(json.dumps({"client": "connected"}), flush=True)
    thread.join()


# --- role: the plain RPyC server (a separate process) ---

class PlainServerService(rpyc.Service):
    """The root services a plain RPyC server would offer, plus the benchmark
    loop for (a). Everything runs on the connection's thread."""

    clients = {}

    def on_connect(self, conn):
        nodelay(conn)
        try:
            PlainServerService.clients[conn.root.client_name()] = conn
        except AttributeError:
            pass  # the benchmark's own connection has no services

    def exposed_execute(self, code, globals=None):
        exec(compile(code, "<plain execute>", "exec"), {} if globals is None else globals)

    def exposed_import_module(self, name):
        return __import__(name)

    def exposed_call_client(self, name, service, calls):
        """Per-call seconds of `calls` calls of `service` on client `name`,
        made on this thread while the client's connection thread reads."""
        # One round trip per call, as the engine makes (RPyC's CALLATTR): the
        # bound method's netref is looked up once.
        method = getattr(PlainServerService.clients[name].root, service)
        return measure(method, calls)


def run_plain_server():
    server = ThreadedServer(PlainServerService, hostname="127.0.0.1", port=0,
                            protocol_config={"allow_public_attrs": True,
                                             "sync_request_timeout": 60})
    print(json.dumps({"plain": "listening", "rpc": f"tcp://127.0.0.1:{server.port}"}), flush=True)
    server.start()


# --- measuring ---

def measure(call, calls, spacing=None):
    """Per-call seconds. With `spacing`, each call waits a random time in
    [0, spacing) first (untimed), so that calls arrive at random phases of
    the engine's frame instead of locking onto it."""
    for _ in range(WARMUP_CALLS):
        call()
    pause = random.Random(1).uniform
    durations = []
    for _ in range(calls):
        if spacing:
            time.sleep(pause(0.0, spacing))
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return tuple(durations)


ENGINE_CALLS = """
import time
import understudy_engine as u

def one():
    u.call_service_on_client("bench", "noop")

for _ in range(warmup):
    one()
durations = []
for _ in range(calls):
    started = time.perf_counter()
    one()
    durations.append(time.perf_counter() - started)
durations = tuple(durations)
"""


def percentiles(durations):
    ordered = sorted(durations)

    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000.0

    return {"p50": statistics.median(ordered) * 1000.0, "p99": at(0.99), "n": len(ordered)}


class Processes:
    """Children started by this run, each stopped by its own pid."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.children = []

    def start(self, name, command, ready_key):
        log = open(self.directory / f"{name}.log", "wb")
        out_path = self.directory / f"{name}.stdout"
        with open(out_path, "wb") as out:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=log,
                                     env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        log.close()
        self.children.append(child)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            for line in out_path.read_text().splitlines():
                try:
                    parsed = json.loads(line)
                except ValueError:
                    continue
                if ready_key in parsed:
                    return child, parsed
            if child.poll() is not None:
                break
            time.sleep(0.01)
        raise RuntimeError(f"{name} did not start within {STARTUP_TIMEOUT} s (exit code "
                           f"{child.poll()}); see {self.directory / (name + '.log')}:\n"
                           + (self.directory / f"{name}.log").read_text()[-2000:])

    def stop(self, child):
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def stop_all(self):
        for child in reversed(self.children):
            self.stop(child)


def client_command(address):
    return [sys.executable, __file__, "--role", "client", "--address", address]


def wait_registered(root, deadline_seconds=STARTUP_TIMEOUT):
    ns = root.dict()
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        root.execute("import understudy_engine as u\nnames = dict(u.connected_clients())", ns)
        if "bench" in ns["names"]:
            return
        time.sleep(0.01)
    raise RuntimeError("the engine did not register the bench client")


def bench_engine(procs, engine, flags, calls):
    """(a) and (b) against one engine started with `flags`."""
    child, announced = procs.start(f"engine{'-'.join(flags)}",
                                   [engine, "--port", "0", "--tick-hz", "60", *flags], "understudy")
    address = announced["rpc"]
    client, _ = procs.start(f"client-engine{'-'.join(flags)}", client_command(address), "client")
    control = connect(address)
    try:
        root = control.root
        wait_registered(root)
        ns = root.dict(calls=calls, warmup=WARMUP_CALLS)
        root.execute(ENGINE_CALLS, ns)
        results = {"engine->client": ns["durations"]}
        execute = root.execute
        results["execute"] = measure(lambda: execute("pass"), calls)
        results["execute spaced"] = measure(lambda: execute("pass"), calls, FRAME)
        frame_number = root.import_module("unreal_engine").get_frame_number
        results["netref"] = measure(frame_number, calls)
        return results
    finally:
        control.close()
        procs.stop(client)
        procs.stop(child)


def bench_plain(procs, calls):
    child, announced = procs.start("plain-server", [sys.executable, __file__, "--role",
                                                    "plain-server"], "plain")
    address = announced["rpc"]
    client, _ = procs.start("client-plain", client_command(address), "client")
    control = connect(address)
    try:
        root = control.root
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                results = {"engine->client": tuple(root.call_client("bench", "noop", calls))}
                break
            except KeyError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        execute = root.execute
        results["execute"] = measure(lambda: execute("pass"), calls)
        results["execute spaced"] = measure(lambda: execute("pass"), calls, FRAME)
        monotonic = root.import_module("time").monotonic
        results["netref"] = measure(monotonic, calls)
        return results
    finally:
        control.close()
        procs.stop(client)
        procs.stop(child)


ROWS = [
    ("(a) engine->client sync call", "engine->client", "default"),
    ("(b) client->engine execute('pass')", "execute", "default"),
    ("(b) client->engine ue.get_frame_number() netref", "netref", "default"),
    ("(c) engine->client sync call, --faithful", "engine->client", "faithful"),
    ("(c) client->engine execute('pass'), --faithful", "execute", "faithful"),
    ("(c) client->engine netref call, --faithful", "netref", "faithful"),
    ("(b) execute('pass'), random spacing", "execute spaced", "default"),
    ("(c) execute('pass'), random spacing, --faithful", "execute spaced", "faithful"),
]


def report(results, calls):
    plain = {k: percentiles(v) for k, v in results["plain"].items()}
    header = (f"{'path':50} {'p50 ms':>8} {'p99 ms':>8} {'plain p50':>10} {'plain p99':>10} "
              f"{'x p50':>7} {'x p99':>7}")
    print(f"\n{calls} calls per row (after {WARMUP_CALLS} warm-up calls); engine at --tick-hz 60; "
          "plain = RPyC 5.3 ThreadedServer, same call shape (netref row: time.monotonic())")
    print(header)
    print("-" * len(header))
    for title, key, mode in ROWS:
        got = percentiles(results[mode][key])
        base = plain[key]
        print(f"{title:50} {got['p50']:8.3f} {got['p99']:8.3f} {base['p50']:10.3f} "
              f"{base['p99']:10.3f} {got['p50'] / base['p50']:7.1f} "
              f"{got['p99'] / base['p99']:7.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default=os.environ.get("UNDERSTUDY_ENGINE") or str(
        REPO / "build" / "fake_engine" / "understudy-engine"))
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--role", choices=["bench", "client", "plain-server"], default="bench",
                        help=argparse.SUPPRESS)
    parser.add_argument("--address", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.role == "client":
        return run_client(options.address)
    if options.role == "plain-server":
        return run_plain_server()

    with tempfile.TemporaryDirectory(prefix="rpc-latency-") as directory:
        procs = Processes(directory)
        try:
            results = {
                "plain": bench_plain(procs, options.calls),
                "default": bench_engine(procs, options.engine, [], options.calls),
                "faithful": bench_engine(procs, options.engine, ["--faithful"], options.calls),
            }
        finally:
            procs.stop_all()
    report(results, options.calls)


if __name__ == "__main__":
    main()
