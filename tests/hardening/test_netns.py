"""Nobody on another host reaches the RPC port or the spawn port. The test
makes its own "other host": a network namespace joined to this one by a veth
pair with private /30 addresses, all named after this process and removed by
name even when the test fails. From inside the namespace it connects to this
side's veth address: the engine (default bind 127.0.0.1) and the spawn server
must be unreachable, while the positive controls, an engine started with
--allow-remote on the veth address and a plain listener on the spawn port's
number, are reached the same way, so that the test can fail.

Needs root and iproute2's `ip netns`; skipped otherwise (CTest: exit 77)."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import record_figure

SPAWN_SERVER = Path(__file__).resolve().parents[2] / "scenarios" / "engine" / "tcp_spawn_server.py"

_TAG = os.getpid() % 100000
NAMESPACE = f"understudy-hard-{_TAG}"
HOST_LINK = f"ushh{_TAG}"  # interface names: at most 15 bytes
NS_LINK = f"ushn{_TAG}"


def _free_subnet():
    """A 10.213.N.0/30 no interface here uses (another run's, say)."""
    try:
        used = subprocess.run(["ip", "-o", "-4", "addr"], capture_output=True, text=True).stdout
    except OSError:
        used = ""
    for step in range(256):
        n = (os.getpid() + step) % 256
        if f"10.213.{n}." not in used:
            return n
    return os.getpid() % 256


SUBNET = _free_subnet()
HOST_ADDRESS = f"10.213.{SUBNET}.1"
NS_ADDRESS = f"10.213.{SUBNET}.2"

# Run inside the namespace: try each host:port, print one line per attempt.
_PROBE = """
import socket, sys
for target in sys.argv[1:]:
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        print(target, "connected")
    except OSError as exc:
        print(target, "failed:", type(exc).__name__)
"""


def _why_not_runnable():
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "iproute2's ip command is not installed"
    probe = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"`ip netns` does not work here: {probe.stderr.strip()}"
    return None


pytestmark = pytest.mark.skipif(_why_not_runnable() is not None,
                                reason=_why_not_runnable() or "")


def ip(*args, check=True):
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10)
    if check and done.returncode != 0:
        raise AssertionError(f"`ip {' '.join(args)}` failed ({done.returncode}): "
                             f"{done.stderr.strip()}")
    return done


def remove_namespace():
    """By name; what is not there is fine. Deleting the namespace destroys the
    link inside it, and with it its peer on this side."""
    ip("netns", "del", NAMESPACE, check=False)
    ip("link", "del", HOST_LINK, check=False)


@pytest.fixture
def other_host():
    remove_namespace()  # a leftover of a killed run with the same pid
    try:
        ip("netns", "add", NAMESPACE)
        ip("link", "add", HOST_LINK, "type", "veth", "peer", "name", NS_LINK)
        ip("link", "set", NS_LINK, "netns", NAMESPACE)
        ip("addr", "add", f"{HOST_ADDRESS}/30", "dev", HOST_LINK)
        ip("link", "set", HOST_LINK, "up")
        ip("netns", "exec", NAMESPACE, "ip", "addr", "add", f"{NS_ADDRESS}/30", "dev", NS_LINK)
        ip("netns", "exec", NAMESPACE, "ip", "link", "set", NS_LINK, "up")
        ip("netns", "exec", NAMESPACE, "ip", "link", "set", "lo", "up")
        yield
    finally:
        remove_namespace()
    leftovers = ip("netns", "list").stdout
    assert NAMESPACE not in leftovers, f"namespace {NAMESPACE} survived its removal"


def probe_from_other_host(*targets):
    done = subprocess.run(["ip", "netns", "exec", NAMESPACE, sys.executable, "-c", _PROBE,
                           *targets], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done
    return dict(line.split(" ", 1) for line in done.stdout.strip().splitlines())


def free_port(host):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def test_rpc_and_spawn_ports_are_unreachable_from_another_host(other_host, understudy_engine):
    spawn_port = free_port("127.0.0.1")
    local = understudy_engine("--script", str(SPAWN_SERVER), socket="tcp",
                              env={"UNDERSTUDY_SCENARIO_PORT": str(spawn_port)})
    local.wait_for_console(rf"^tcp server spawned on 127\.0\.0\.1:{spawn_port}$")
    remote = understudy_engine("--host", HOST_ADDRESS, "--allow-remote")
    assert remote.address == f"tcp://{HOST_ADDRESS}:{remote.port}"
    rpc, spawn, allowed = (f"{HOST_ADDRESS}:{port}" for port in
                           (local.port, spawn_port, remote.port))

    seen = probe_from_other_host(rpc, spawn, allowed)
    assert seen[allowed] == "connected", (
        f"positive control: the --allow-remote engine was not reachable from the namespace: "
        f"{seen}")
    assert seen[rpc].startswith("failed"), (
        f"the engine's RPC port (default bind) was reachable from another host: {seen}")
    assert seen[spawn].startswith("failed"), (
        f"the spawn server's port was reachable from another host: {seen}")

    # Positive control for the spawn port's number: once something listens on
    # the veth address, the namespace reaches it.
    with socket.create_server((HOST_ADDRESS, spawn_port)):
        control = probe_from_other_host(spawn)
    assert control[spawn] == "connected", (
        f"positive control: a plain listener on {spawn} was not reachable: {control}")
    # And both ports serve this host all along.
    socket.create_connection(("127.0.0.1", local.port), timeout=2).close()
    socket.create_connection(("127.0.0.1", spawn_port), timeout=2).close()
    record_figure("netns: probes from the other host", {**seen, f"{spawn} (plain listener)":
                                                        control[spawn]})
