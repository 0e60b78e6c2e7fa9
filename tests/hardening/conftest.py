"""The hardening suite: hostile peers against the real engine, with a real
well-behaved client beside them. Uses the understudy_pytest plugin
(harness/pylib); CTest passes -p understudy_pytest and PYTHONPATH, this makes
a plain `pytest tests/hardening` work too.

Fixtures here:
  hostile_socket(port)  a raw TCP socket to 127.0.0.1:port, closed at teardown
  bystander(engine)     a BystanderWatch: while a test attacks the engine, it
                        samples the engine's frame number (control channel)
                        and has a real client make calls that need the main
                        thread, recording every result and latency
"""

import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

_PYLIB = str(Path(__file__).resolve().parents[2] / "harness" / "pylib")
if _PYLIB not in sys.path:
    sys.path.insert(0, _PYLIB)

pytest_plugins = ["understudy_pytest"]

# Where every figure the suite measures is appended (one line each), so that
# the numbers in README.md can be reproduced: UNDERSTUDY_FIGURES=path.
FIGURES_ENV = "UNDERSTUDY_FIGURES"
CLOSE_TIMEOUT = 5.0  # the engine closes a hostile connection


def record_figure(name, value):
    path = os.environ.get(FIGURES_ENV)
    if path:
        with open(path, "a") as f:
            f.write(f"{name}: {value}\n")


def wait_closed_by_peer(sock, timeout=CLOSE_TIMEOUT):
    """Seconds until the other end closed `sock` (EOF or reset), reading and
    dropping whatever it sends. AssertionError if it stays open."""
    started = time.monotonic()
    sock.settimeout(0.05)
    while time.monotonic() - started < timeout:
        try:
            if not sock.recv(65536):
                return time.monotonic() - started
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started
    raise AssertionError(f"the engine kept the hostile connection {sock.getsockname()} open for "
                         f"{timeout} s; expected it to close it")


def engine_fds(engine):
    return len(os.listdir(f"/proc/{engine.pid}/fd"))


def engine_threads(engine):
    return len(os.listdir(f"/proc/{engine.pid}/task"))


def back_to_baseline(engine, fds, threads):
    """Waits until the engine holds no more descriptors and threads than
    `fds` and `threads`, as before an attack."""
    engine.wait_until(lambda: engine_fds(engine) <= fds and engine_threads(engine) <= threads,
                      f"the engine's descriptors and threads back to {fds} and {threads}",
                      seen=lambda: f"{engine_fds(engine)} fds, {engine_threads(engine)} threads")


def call_paused_client(engine, mib, timeout, measure_compress=False):
    """From the engine's main thread, a synchronous call to the client named
    "paused" (clients/sized_client.py, SIGSTOPped by the test) with `mib` MiB
    of random bytes (random, so that RPyC's compression leaves it large).
    The namespace it ran in: error_type and error (None when it returned),
    elapsed, and with measure_compress, compress_seconds: how long RPyC's
    compression of such a payload takes here, measured first."""
    return engine.execute(f"""
        import os
        import time
        import zlib
        import understudy_engine as u

        payload = os.urandom({mib} << 20)
        started = time.monotonic()
        if {measure_compress!r}:
            zlib.compress(payload, 1)  # as RPyC's channel does before sending
        compress_seconds = time.monotonic() - started
        started = time.monotonic()
        try:
            u.call_service_on_client("paused", "size", payload, timeout={timeout})
            error_type = error = None
        except Exception as exc:
            error_type, error = type(exc).__name__, str(exc)
        elapsed = time.monotonic() - started
        del payload
    """, timeout=30)


@pytest.fixture
def token_file(tmp_path):
    """A shared secret for --auth-token-file, readable by its owner only."""
    path = tmp_path / "engine.token"
    path.write_text("s3cret-token-for-the-hardening-suite\n")
    path.chmod(0o600)
    return path


@pytest.fixture(autouse=True)
def no_ambient_token(monkeypatch):
    """The hostile bytes must reach the RPyC layer, not the token check: a
    token from the environment is ignored here; tests that want one say so."""
    monkeypatch.delenv("UNDERSTUDY_AUTH_TOKEN_FILE", raising=False)


@pytest.fixture
def hostile_socket():
    sockets = []

    def connect(port, host="127.0.0.1"):
        sock = socket.create_connection((host, port), timeout=5)
        sockets.append(sock)
        return sock

    yield connect
    for sock in sockets:
        sock.close()


class BystanderWatch:
    """Frames and a well-behaved client's calls while an attack runs.

    frame_samples: (monotonic time, frame) every SAMPLE_INTERVAL; calls:
    (monotonic time, seconds, result or exception) of each call the client
    made: root.execute("answer = 6 * 7") in a namespace of its own, read back."""

    SAMPLE_INTERVAL = 0.02

    def __init__(self, engine, client):
        self.engine = engine
        self.client = client
        self.frame_samples = []
        self.calls = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._sample_frames, daemon=True),
                         threading.Thread(target=self._call, daemon=True)]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        # Both are running before the attack starts.
        self.engine.wait_until(lambda: len(self.frame_samples) >= 2 and self.calls,
                               "the bystander's first frame samples and first call")
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _sample_frames(self):
        while not self._stop.is_set():
            try:
                self.frame_samples.append((time.monotonic(), self.engine.frame()))
            except Exception as exc:  # recorded; check() reports it
                self.frame_samples.append((time.monotonic(), exc))
            self._stop.wait(self.SAMPLE_INTERVAL)

    def _call(self):
        root = self.client.root
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                namespace = root.dict()
                root.execute("answer = 6 * 7", namespace)
                result = namespace["answer"]
            except Exception as exc:
                result = exc
            self.calls.append((started, time.monotonic() - started, result))
            self._stop.wait(0.01)

    def longest_frame_stall(self):
        """The longest time, in seconds, between two frame samples in which
        the frame number did not advance."""
        longest, since, last = 0.0, None, None
        for at, frame in self.frame_samples:
            if frame != last:
                since, last = at, frame
            longest = max(longest, at - since)
        return longest

    def check(self, max_stall=0.5, max_call=1.0):
        """The engine kept ticking and every call returned 42 in time."""
        errors = [s for s in self.frame_samples if isinstance(s[1], Exception)]
        assert not errors, f"the control channel failed during the attack: {errors[:3]}"
        frames = [f for _, f in self.frame_samples]
        assert frames[-1] > frames[0], f"the engine stopped ticking: frames {frames[:3]}..."
        stall = self.longest_frame_stall()
        assert stall <= max_stall, (f"the frame number stood still for {stall:.3f} s during the "
                                    f"attack (expected at most {max_stall} s)\n"
                                    f"{self.engine.failure_context()}")
        bad = [c for c in self.calls if c[2] != 42]
        assert not bad, (f"{len(bad)} of the bystander's {len(self.calls)} calls went wrong, the "
                         f"first: {bad[0]}\n{self.engine.failure_context()}")
        slowest = max(c[1] for c in self.calls)
        assert slowest <= max_call, (f"a bystander call took {slowest:.3f} s during the attack "
                                     f"(expected at most {max_call} s)")
        # The engine's own account of its frames (since it started, i.e. the
        # test): how late the latest frame started and the longest one took.
        stats = self.engine.control_request("frames")
        return {"frames": frames[-1] - frames[0], "longest_stall_s": round(stall, 4),
                "calls": len(self.calls), "slowest_call_ms": round(slowest * 1000, 2),
                "frame_lateness_max_ms": round(stats["lateness_max_ms"], 2),
                "frame_work_max_ms": round(stats["work_max_ms"], 2)}


@pytest.fixture
def bystander(understudy_client):
    def watch(engine):
        return BystanderWatch(engine, understudy_client("bystander", engine=engine))

    return watch


# --- CTest: a suite that cannot run here is skipped, not passed ---

def pytest_addoption(parser):
    parser.addoption("--exit-code-if-all-skipped", type=int, default=None, metavar="N",
                     help="exit with N when every test was skipped (CTest's SKIP_RETURN_CODE)")


_outcomes = []  # of every test, in the phase that decided it


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        _outcomes.append(report.outcome)


def pytest_sessionfinish(session, exitstatus):
    code = session.config.getoption("--exit-code-if-all-skipped")
    if code is not None and _outcomes and all(o == "skipped" for o in _outcomes):
        session.exitstatus = code
