#!/usr/bin/python3
"""throughput: the networked scenarios of the asyncio tutorial at full speed,
inside the engine and outside it, measured in one run.

    /usr/bin/python3 bench/networked/throughput.py [--engine PATH] [--lines N] [--messages N]

Spawn server: N lines over 10 connections, as fast as the sender can write;
the figure is lines turned into actors per second (until the last actor
exists). The engine runs scenarios/engine/tcp_spawn_server.py at 60 Hz and
uncapped (--tick-hz 0); the baseline is the same handler in a plain asyncio
program, "spawning" into a list.

Redis pub/sub: N messages published as fast as one pipelined redis-py
connection can; the figure is messages delivered to the subscriber per second
(until the last one arrives). The engine runs
scenarios/engine/redis_subscriber.py at 60 Hz and uncapped; baselines: the
same redis.asyncio loop in a plain asyncio program, and redis-benchmark's
PUBLISH rate on the same server. The engine's frame-time statistics under
each load come from its control channel.

Every server is private (127.0.0.1, free ports) and stopped by its pid. A
benchmark, not a test: it prints a table and asserts nothing.
"""

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import redis

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "harness", "pylib"))
from understudy_protocol import ControlConnection  # noqa: E402
ENGINE_SCRIPTS = os.path.join(ROOT, "scenarios", "engine")
DEADLINE = 120.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, what, timeout=DEADLINE, interval=0.01):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Control:
    """The engine's control channel (understudy_protocol's connection)."""

    def __init__(self, path):
        self.connection = ControlConnection(path, connect_timeout_s=10)

    def request(self, op, **params):
        answer = self.connection.request(op, DEADLINE, **params)
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def close(self):
        self.connection.close()


class Engine:
    def __init__(self, binary, tick_hz, script, env, workdir):
        self.control_path = os.path.join(workdir, f"control-{tick_hz}.sock")
        self.log = open(os.path.join(workdir, f"engine-{tick_hz}.log"), "w")
        self.process = subprocess.Popen(
            [binary, "--no-rpc", "--quiet", "--tick-hz", str(tick_hz), "--control",
             self.control_path, "--script", script],
            env={**os.environ, **env}, stdout=self.log, stderr=self.log)
        self.control = Control(self.control_path)

    def python(self, code):
        return self.control.request("python", code=code)

    def frames(self):
        return self.control.request("frames")

    def stop(self):
        try:
            self.control.request("stop")
        except OSError:
            pass
        self.control.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def send_lines(port, lines, connections=10):
    per = lines // connections
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
    for c, sock in enumerate(socks):
        sock.sendall(b"".join(f"bench-{c}-{i}\n".encode() for i in range(per)))
    for sock in socks:
        sock.close()
    return per * connections


def bench_spawn_engine(binary, tick_hz, lines, workdir):
    port = free_port()
    engine = Engine(binary, tick_hz, os.path.join(ENGINE_SCRIPTS, "tcp_spawn_server.py"),
                    {"UNDERSTUDY_SCENARIO_PORT": str(port)}, workdir)
    try:
        wait_until(lambda: _listening(port), "the spawn server", 10)
        started = time.monotonic()
        sent = send_lines(port, lines)
        count = "__import__('unreal_engine').get_editor_world().actor_count()"
        wait_until(lambda: engine.python(count) >= sent, f"{sent} actors", interval=0.02)
        rate = sent / (time.monotonic() - started)
        return rate, engine.frames()
    finally:
        engine.stop()


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


class PlainActor:
    """What a spawn costs outside an engine: an object with an id, a name and a label."""

    def __init__(self, actor_id):
        self.id = actor_id
        self.name = f"Character_{actor_id}"
        self.label = self.name

    def set_actor_label(self, label):
        self.label = label


def bench_spawn_plain(lines):
    """The tutorial's handler outside any engine, spawning plain objects."""
    actors = []

    async def handle(reader, writer):
        while True:
            data = await reader.readline()
            if not data:
                break
            actor = PlainActor(len(actors))
            actor.set_actor_label(data.decode(errors="replace").rstrip("\n"))
            actors.append(actor)
        writer.close()

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        started = time.monotonic()
        sent = await asyncio.to_thread(send_lines, port, lines)
        while len(actors) < sent:
            await asyncio.sleep(0.001)
        server.close()
        return sent / (time.monotonic() - started)

    return asyncio.run(main())


class RedisServer:
    def __init__(self, workdir):
        self.port = free_port()
        self.dir = os.path.join(workdir, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client = redis.Redis(port=self.port)
        wait_until(self._ping, "redis-server to answer PING", 10)

    def _ping(self):
        try:
            return self.client.ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def publish(server, channel, messages):
    pipe = server.client.pipeline(transaction=False)
    for seq in range(1, messages + 1):
        pipe.publish(channel, f"pub=0 seq={seq}")
        if seq % 1000 == 0:
            pipe.execute()
    pipe.execute()


def bench_pubsub_engine(binary, tick_hz, server, messages, workdir):
    engine = Engine(binary, tick_hz, os.path.join(ENGINE_SCRIPTS, "redis_subscriber.py"),
                    {"UNDERSTUDY_REDIS_URL": f"redis://127.0.0.1:{server.port}",
                     "PYTHONPATH": ENGINE_SCRIPTS}, workdir)
    try:
        wait_until(lambda: server.client.pubsub_numsub("understudy")[0][1] >= 1,
                   "the engine's subscriber", 10)
        started = time.monotonic()
        publish(server, "understudy", messages)
        received = ("sum(len(v) for v in "
                    "__import__('subscriber_accounting').received.values())")
        wait_until(lambda: engine.python(received) >= messages, f"{messages} messages",
                   interval=0.02)
        return messages / (time.monotonic() - started), engine.frames()
    finally:
        engine.stop()


def bench_pubsub_plain(server, messages):
    import redis.asyncio as aioredis

    async def main():
        client = aioredis.Redis(port=server.port)
        pubsub = client.pubsub()
        await pubsub.subscribe("plain")
        await pubsub.get_message(timeout=1)  # the subscribe confirmation
        started = time.monotonic()
        publisher = asyncio.get_running_loop().run_in_executor(None, publish, server, "plain",
                                                               messages)
        received = 0
        async for message in pubsub.listen():
            if message["type"] == "message":
                received += 1
                if received == messages:
                    break
        await publisher
        await client.close()
        return messages / (time.monotonic() - started)

    return asyncio.run(main())


def redis_benchmark_publish(server, messages):
    out = subprocess.run(
        ["redis-benchmark", "-p", str(server.port), "-c", "1", "-P", "1000", "-n", str(messages),
         "-q", "PUBLISH", "bench", "pub=0 seq=1"],
        capture_output=True, text=True, timeout=120).stdout
    found = re.findall(r"([\d.]+) requests per second", out)
    return float(found[-1]) if found else float("nan")


def frame_summary(frames):
    return (f"work p50 {frames['work_p50_ms']:.2f} / p99 {frames['work_p99_ms']:.2f} / "
            f"max {frames['work_max_ms']:.1f} ms, {frames['late_frames']} late")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default=os.environ.get("UNDERSTUDY_ENGINE") or os.path.join(
        ROOT, "build", "fake_engine", "understudy-engine"))
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--messages", type=int, default=20000)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="understudy-throughput-")
    rows = []
    try:
        plain = bench_spawn_plain(options.lines)
        for hz in (60, 0):
            rate, frames = bench_spawn_engine(options.engine, hz, options.lines, workdir)
            rows.append((f"spawn server, engine at {hz or 'uncapped'} Hz", rate,
                         "plain asyncio", plain, frame_summary(frames)))
        server = RedisServer(workdir)
        try:
            plain_sub = bench_pubsub_plain(server, options.messages)
            bench_rate = redis_benchmark_publish(server, options.messages)
            for hz in (60, 0):
                rate, frames = bench_pubsub_engine(options.engine, hz, server, options.messages,
                                                   workdir)
                rows.append((f"pub/sub subscriber, engine at {hz or 'uncapped'} Hz", rate,
                             "plain redis.asyncio", plain_sub, frame_summary(frames)))
            rows.append(("redis-benchmark PUBLISH (-P 1000), same server", bench_rate,
                         "", float("nan"), ""))
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{options.lines} lines / {options.messages} messages per row")
    print(f"{'what':48} {'per s':>10} {'baseline':>20} {'per s':>10} {'ratio':>6}  frames")
    for what, rate, base_name, base, frames in rows:
        ratio = rate / base if base == base else float("nan")
        print(f"{what:48} {rate:10.0f} {base_name:>20} {base:10.0f} {ratio:6.2f}  {frames}")


if __name__ == "__main__":
    sys.exit(main())
