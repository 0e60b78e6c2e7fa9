"""The stress baseline: a plain RPyC 5.3 ThreadedServer, outside any engine,
offering what the engine's root service offers to the stress clients and
calling its clients the way the engine does.

    /usr/bin/python3 -m understudy_stress.plain_server --control PATH --collector PATH

- execute and list run on the connection's thread (there is no main thread);
- clients are asked client_name() when they connect and registered by it,
  as the engine does;
- a control socket speaks the engine's control protocol (understudy_protocol)
  for the ops a stress run needs: ping, hello, registry, load_start,
  load_stop. The load
  calls `noop` on the clients: "sync" from one driver thread, each call
  waiting for its reply (as the engine's main thread does); "async" and
  "coroutine" with rpyc.async_ (a plain program has no coroutines; async_ is
  what it would use). Open loop at a rate, or closed loop with `depth` in
  flight per client. Timings go to the collector, as the workers' do.

Its hello says where it listens; it also prints
{"plain": "listening", "rpc": "tcp://127.0.0.1:PORT", "pid": PID}.
"""

import argparse
import itertools
import json
import os
import socket
import sys
import threading
import time

import rpyc
from rpyc.utils.server import ThreadedServer

import understudy_protocol as protocol
from understudy_stress import collector as wire

CONFIG = {"allow_public_attrs": True, "sync_request_timeout": 30}


class Registry:
    def __init__(self):
        self._lock = threading.Lock()
        self._conns = {}

    def add(self, name, conn):
        with self._lock:
            self._conns[name] = conn

    def remove(self, conn):
        with self._lock:
            for name, c in list(self._conns.items()):
                if c is conn:
                    del self._conns[name]

    def names(self):
        with self._lock:
            return {name: 1 for name in self._conns}

    def get(self, name):
        with self._lock:
            return self._conns[name]


registry = Registry()


class PlainService(rpyc.Service):
    def on_connect(self, conn):
        sock = conn._channel.stream.sock
        if sock.family != socket.AF_UNIX:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._conn = conn
        try:
            registry.add(str(conn.root.client_name()), conn)
        except AttributeError:
            pass  # a client without services

    def on_disconnect(self, conn):
        registry.remove(conn)

    def exposed_execute(self, code, globals=None, filename=None):
        exec(compile(code, filename or "<plain execute>", "exec"),
             {} if globals is None else globals)

    def exposed_list(self, *args):
        return list(*args)

    def exposed_dict(self, *args, **kwargs):
        return dict(*args, **kwargs)


class PathLoad:
    """Calls on one path, with the counts load_stop reports."""

    def __init__(self, name, settings, clients, link, timeout):
        self.name = name
        self.path_id = wire.PATHS[name]
        self.rate = float(settings.get("rate", 0))
        self.depth = int(settings.get("depth", 1))
        self.clients = clients
        self.link = link
        self.timeout = timeout
        self.lock = threading.Lock()
        self.issued = self.completed = 0
        self.outcomes = {}
        self.in_flight = 0
        self.active = True

    def finish(self, client_index, due, outcome, message=None):
        with self.lock:
            if not self.active:
                return
            self.completed += 1
            self.in_flight -= 1
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        code = wire.OK if outcome == "ok" else wire.ERROR
        self.link.record(self.path_id, code, client_index, due, time.monotonic_ns() - due)
        if message:
            self.link.error(self.path_id, client_index, code, message)

    def call_sync(self, index, due):
        with self.lock:
            self.issued += 1
            self.in_flight += 1
        try:
            self.clients[index][1]()
            self.finish(index, due, "ok")
        except Exception as exc:
            self.finish(index, due, type(exc).__name__, f"{type(exc).__name__}: {exc}")

    def call_async(self, index, due, closed_loop):
        with self.lock:
            self.issued += 1
            self.in_flight += 1
        try:
            result = self.clients[index][2]()
        except Exception as exc:
            self.finish(index, due, type(exc).__name__, f"{type(exc).__name__}: {exc}")
            return
        result.set_expiry(self.timeout)

        def done(res):
            if res.error:
                self.finish(index, due, "RemoteError", "the client's service raised")
            else:
                self.finish(index, due, "ok")
            if closed_loop and self.active:
                self.call_async(index, time.monotonic_ns(), True)

        result.add_callback(done)

    def run(self, stop):
        sync = self.name == "sync"
        if self.rate > 0:
            period = int(1e9 / self.rate)
            due = time.monotonic_ns()
            for i in itertools.count():
                if stop.is_set():
                    return
                now = time.monotonic_ns()
                if now < due:
                    time.sleep((due - now) / 1e9)
                index = i % len(self.clients)
                (self.call_sync(index, due) if sync else self.call_async(index, due, False))
                due += period
        elif sync:
            while not stop.is_set():
                for index in range(len(self.clients)):
                    self.call_sync(index, time.monotonic_ns())
        else:
            for index in range(len(self.clients)):
                for _ in range(self.depth):
                    self.call_async(index, time.monotonic_ns(), True)
            stop.wait()

    def report(self):
        with self.lock:
            self.active = False
            return {"mode": "open" if self.rate > 0 else "closed", "rate": self.rate,
                    "depth": self.depth, "issued": self.issued, "completed": self.completed,
                    "in_flight": self.in_flight, "outcomes": self.outcomes}


class LoadDriver:
    def __init__(self, collector):
        self.collector = collector
        self.link = None
        self.paths = []
        self.stop_event = None
        self.threads = []

    def start(self, params):
        self.stop()
        if self.link is None:
            self.link = wire.CollectorLink(self.collector, {"worker": -1, "pid": os.getpid(),
                                                            "connections": 0})
        clients = []
        for name in params["clients"]:
            conn = registry.get(name)
            method = getattr(conn.root, params.get("service", "noop"))
            clients.append((name, method, rpyc.async_(method)))
        timeout = float(params.get("timeout_s", 30))
        self.paths = [PathLoad(name, settings, clients, self.link, timeout)
                      for name, settings in params["paths"].items()]
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=p.run, args=(self.stop_event,), daemon=True,
                                         name=f"load-{p.name}") for p in self.paths]
        for t in self.threads:
            t.start()

    def stop(self):
        if self.stop_event is None:
            return {}
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=35)
        result = {p.name: p.report() for p in self.paths}
        self.link.flush()
        self.stop_event = None
        return result


def serve_control(path, driver, hello):
    """The engine's control protocol, for the ops a stress run uses."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(4)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=control_session, args=(conn, driver, hello), daemon=True).start()


def answer(request_line, driver, hello):
    """The answer line to one request line."""
    try:
        request_id, op, request = protocol.decode_request(request_line.rstrip(b"\n"))
    except protocol.ProtocolError as exc:
        return protocol.encode_error(None, "BadRequest", exc.problem)
    try:
        if op == "ping":
            result = {"frame": 0}
        elif op == "hello":
            result = hello
        elif op == "registry":
            result = registry.names()
        elif op == "load_start":
            driver.start(request)
            result = {"load": "started"}
        elif op == "load_stop":
            result = driver.stop()
        else:
            return protocol.encode_error(
                request_id, "UnknownOp",
                f"unknown op '{op}' (ping, hello, registry, load_start, load_stop)")
        return protocol.encode_answer(request_id, result)
    except Exception as exc:
        return protocol.encode_error(request_id, type(exc).__name__, str(exc))


def control_session(conn, driver, hello):
    with conn, conn.makefile("rwb") as stream:
        for line in stream:
            stream.write(answer(line, driver, hello))
            stream.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--control", required=True, help="Unix socket for the control protocol")
    parser.add_argument("--collector", required=True, help="the conductor's collector socket")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = ThreadedServer(PlainService, hostname="127.0.0.1", port=args.port,
                            protocol_config=CONFIG, listener_timeout=None)
    driver = LoadDriver(args.collector)
    address = f"tcp://127.0.0.1:{server.port}"
    hello = {"protocol_version": protocol.PROTOCOL_VERSION, "pid": os.getpid(), "rpc_address": address}
    threading.Thread(target=serve_control, args=(args.control, driver, hello),
                     daemon=True).start()
    print(json.dumps({"plain": "listening", "rpc": address, "pid": os.getpid()}), flush=True)
    server.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
