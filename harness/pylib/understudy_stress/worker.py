"""A stress launcher: forks --processes client processes, each holding
--connections connections to the target (the engine, or the plain RPyC
baseline server).

    /usr/bin/python3 -m understudy_stress.worker --target tcp://127.0.0.1:PORT \
        --collector PATH --processes 4 --connections 16 --mix execute:2,cheap:2,pipeline:1

The launcher imports rpyc once and forks the client processes from itself,
as a preloading application server does, so that starting hundreds of them
costs milliseconds each rather than an interpreter start-up each. Each is a
real, separate process with its own sockets and threads (the launcher only
waits for them); they die with the launcher (PR_SET_PDEATHSIG).

Each connection registers under its own name, answers the engine's calls
(service `noop`) on its serving thread, and, when --mix names client paths,
calls the target from its own driver thread:
  execute   root.execute("pass"): in the engine, a main-thread job
  cheap     root.list(): served on the connection's thread
  pipeline  --pipeline-depth calls of rpyc.async_(root.execute) in flight,
            then wait for all
Closed loop (--rate 0): each driver waits for its reply before the next
call. Open loop (--rate R): calls are due R times a second per connection
and timed from when they were due, so a stall shows as latency.
"""

import argparse
import ctypes
import os
import random
import signal
import sys
import threading
import time

import rpyc

import understudy_client
from understudy_stress import collector as wire

CONNECT_TIMEOUT = 60.0
GO_TIMEOUT = 300.0
QUIT_GRACE = 120.0
PR_SET_PDEATHSIG = 1


class StressService(understudy_client.ClientService):
    def exposed_noop(self):
        return None


def classify(exc):
    if isinstance(exc, rpyc.AsyncResultTimeout):
        return wire.TIMEOUT
    if isinstance(exc, (EOFError, ConnectionError, OSError)):
        return wire.DISCONNECTED
    return wire.ERROR


class ConnectionDriver:
    """Makes calls on one connection until `deadline` (monotonic ns)."""

    def __init__(self, client, index, link, mix, rate, depth, rng):
        root = client.root
        self.index = index
        self.link = link
        self.mix = mix  # [(path id, weight)]
        self.rate = rate
        self.depth = depth
        self.rng = rng
        self.lags = []  # open loop: how late each call went out (ns)
        self.execute = root.execute  # one attribute lookup now, one round trip per call after
        self.cheap = root.list
        self.execute_async = rpyc.async_(root.execute)
        self.dead = False

    def run(self, start_ns, deadline_ns):
        paths = [p for p, _ in self.mix]
        weights = [w for _, w in self.mix]
        period = int(1e9 / self.rate) if self.rate > 0 else 0
        due = start_ns + (self.rng.randrange(period) if period else 0)
        while not self.dead:
            if period:
                if due >= deadline_ns:
                    return
                now = time.monotonic_ns()
                if now < due:
                    time.sleep((due - now) / 1e9)
                self.lags.append(max(0, time.monotonic_ns() - due))
            elif time.monotonic_ns() >= deadline_ns:
                return
            path = self.rng.choices(paths, weights)[0]
            self.call(path, due if period else None)
            due += period

    def call(self, path, due):
        if path == wire.PATHS["pipeline"]:
            return self.pipeline(due)
        sent = time.monotonic_ns()
        start = sent if due is None else due
        try:
            if path == wire.PATHS["execute"]:
                self.execute("pass")
            else:
                self.cheap()
            outcome = wire.OK
        except Exception as exc:  # every failure is counted and one of each kind reported
            outcome = self.failed(path, exc)
        self.link.record(path, outcome, self.index, start, time.monotonic_ns() - start)

    def pipeline(self, due):
        path = wire.PATHS["pipeline"]
        calls = []
        for _ in range(self.depth):
            sent = time.monotonic_ns()
            try:
                result = self.execute_async("pass")
            except Exception as exc:
                self.link.record(path, self.failed(path, exc), self.index, sent, 0)
                continue
            finished = []
            result.add_callback(lambda _, finished=finished: finished.append(time.monotonic_ns()))
            calls.append((sent if due is None else due, result, finished))
        for start, result, finished in calls:
            try:
                result.wait()
                result.value  # raises the remote exception, if any
                outcome = wire.OK
            except Exception as exc:
                outcome = self.failed(path, exc)
            end = finished[0] if finished else time.monotonic_ns()
            self.link.record(path, outcome, self.index, start, end - start)

    def failed(self, path, exc):
        outcome = classify(exc)
        if outcome == wire.DISCONNECTED:
            self.dead = True
        self.link.error(path, self.index, outcome, f"{type(exc).__name__}: {exc}")
        return outcome


def parse_mix(text):
    mix = []
    for item in filter(None, (text or "").split(",")):
        name, _, weight = item.partition(":")
        if name not in ("execute", "cheap", "pipeline"):
            raise SystemExit(f"worker: unknown client path {name!r} in --mix "
                             "(execute, cheap, pipeline)")
        mix.append((wire.PATHS[name], float(weight or 1)))
    return mix


def percentile(values, q):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def run_worker(args, worker):
    rng = random.Random(args.seed * 1_000_003 + worker)
    started = time.monotonic()
    link = wire.CollectorLink(args.collector, {"worker": worker, "pid": os.getpid(),
                                               "connections": args.connections})
    clients = []
    for j in range(args.connections):
        name = f"{args.name_prefix}{worker}-{j}"
        clients.append(understudy_client.connect(
            name=name, service=StressService(name), address=args.target,
            timeout=CONNECT_TIMEOUT, stack_dump_signal=None))
    link.summary({"phase": "connected", "connect_seconds": time.monotonic() - started})
    link.wait_byte(b"G", GO_TIMEOUT)

    mix = parse_mix(args.mix)
    drivers = [ConnectionDriver(c, j, link, mix, args.rate, args.pipeline_depth,
                                random.Random(rng.random())) for j, c in enumerate(clients)]
    cpu_before, wall_before = os.times(), time.monotonic()
    start_ns = time.monotonic_ns()
    deadline_ns = start_ns + int(args.duration * 1e9)
    threads = []
    if mix:
        for d in drivers:
            t = threading.Thread(target=d.run, args=(start_ns, deadline_ns),
                                 name=f"driver-{d.index}", daemon=True)
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
    cpu_after, wall = os.times(), time.monotonic() - wall_before
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    lags = [lag for d in drivers for lag in d.lags]
    link.summary({"phase": "done", "cpu_seconds": cpu, "wall_seconds": wall,
                  "send_lag_p99_ns": percentile(lags, 0.99),
                  "send_lag_max_ns": max(lags, default=0),
                  "dead_connections": sum(d.dead for d in drivers)})
    link.wait_byte(b"Q", args.duration + QUIT_GRACE)
    for c in clients:
        c.close()
    link.close()
    return 0


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, help="tcp://HOST:PORT or unix://PATH")
    parser.add_argument("--collector", required=True, help="the conductor's Unix socket")
    parser.add_argument("--processes", type=int, default=1, help="client processes to fork")
    parser.add_argument("--first-worker", type=int, default=0, help="index of the first one")
    parser.add_argument("--connections", type=int, default=1, help="connections per process")
    parser.add_argument("--name-prefix", default="stress-")
    parser.add_argument("--mix", default="", help="client paths and weights, e.g. execute:2,cheap:1")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="calls per second per connection (0: closed loop)")
    parser.add_argument("--pipeline-depth", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    parse_mix(args.mix)  # fail before forking

    children = {}
    for i in range(args.processes):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                die_with_parent()
                code = run_worker(args, args.first_worker + i)
            except BaseException as exc:  # the child must not return into the launcher
                print(f"worker {args.first_worker + i} (pid {os.getpid()}): "
                      f"{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = args.first_worker + i
    worst = 0
    while children:
        pid, status = os.wait()
        worker = children.pop(pid, None)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 and worker is not None:
            print(f"launcher: worker {worker} (pid {pid}) ended with {code}", file=sys.stderr,
                  flush=True)
            worst = worst or 1
    return worst


if __name__ == "__main__":
    sys.exit(main())
