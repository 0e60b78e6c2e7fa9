"""The pytest wiring: command-line options, the fixtures understudy_engine,
understudy_client and client_process, and the report hook that adds every
process's log tail to a failed test's report. The package's __init__
re-exports them, which makes them the plugin's."""

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import understudy_client as client_library  # the fixture below takes the module's name

from .client_process import ClientProcess
from .console import tail
from .engine_process import EngineExit, EngineProcess
from .waits import STARTUP_TIMEOUT


def pytest_addoption(parser):
    group = parser.getgroup("understudy", "Understudy engine and clients")
    group.addoption("--understudy-engine", default=None, metavar="PATH",
                    help="the understudy-engine binary (default: $UNDERSTUDY_ENGINE, else "
                         "understudy-engine on PATH)")
    group.addoption("--understudy-python", default=None, metavar="PATH",
                    help="interpreter for client_process (default: the one running pytest)")
    group.addoption("--understudy-pfu-package", default=None, metavar="DIR",
                    help="Python for Unity's package folder, for client_process(pfu=True) "
                         "(default: $UNDERSTUDY_PFU_PACKAGE)")


def _engine_binary(config):
    """The engine to start: --understudy-engine, else $UNDERSTUDY_ENGINE, else
    understudy-engine on PATH (where the installed package puts it), so that
    an installed plugin needs no configuration."""
    path = (config.getoption("--understudy-engine") or os.environ.get("UNDERSTUDY_ENGINE")
            or shutil.which("understudy-engine"))
    if not path:
        pytest.fail("understudy_pytest: no engine binary; pass --understudy-engine PATH, set "
                    "UNDERSTUDY_ENGINE, or put understudy-engine on PATH (see "
                    "harness/pylib/understudy_pytest/README.md)", pytrace=False)
    if not os.access(path, os.X_OK):
        pytest.fail(f"understudy_pytest: the engine binary {path} is not an executable file "
                    "(build it: ninja understudy-engine)", pytrace=False)
    return path


def _track(request, process):
    request.node.__dict__.setdefault("_understudy_processes", []).append(process)


def _unique_label(directory, stem):
    for n in itertools.count(1):
        label = f"{stem}-{n}"
        if not (Path(directory) / f"{label}.log").exists():
            return label


class _EngineFactory:
    """What the understudy_engine fixture gives a test: call it to start an
    engine; every engine it started is stopped and judged at teardown."""

    def __init__(self, request, directory):
        self._request = request
        self._directory = Path(directory)
        self.engines = []
        self._temp_dirs = []

    def _socket_path(self, socket):
        if socket is True:
            # A private directory with a short path: Unix socket paths are
            # limited to 107 bytes, and tmp_path can be longer.
            directory = tempfile.mkdtemp(prefix="understudy-")
            self._temp_dirs.append(directory)
            return Path(directory) / "engine.sock"
        return None if socket in (None, False, "pfu", "tcp") else Path(socket)

    def _control_path(self, control):
        if not control:
            return None
        directory = tempfile.mkdtemp(prefix="understudy-control-")
        self._temp_dirs.append(directory)
        return Path(directory) / "control.sock"

    def _private_tmpdir(self):
        # Short, as the socket path PfU puts in it must fit in 107 bytes.
        directory = tempfile.mkdtemp(prefix="understudy-tmp-")
        self._temp_dirs.append(directory)
        return Path(directory)

    def _make(self, flags, socket, env=None, control=False, expect_errors=(), rlimits=None):
        pfu = socket in (None, "pfu")
        engine = EngineProcess(_engine_binary(self._request.config), flags, self._directory,
                               _unique_label(self._directory, "engine"),
                               socket_path=None if pfu else self._socket_path(socket), env=env,
                               control_path=self._control_path(control),
                               expect_errors=expect_errors, tmpdir=self._private_tmpdir(),
                               pfu_socket=pfu, rlimits=rlimits)
        self.engines.append(engine)
        _track(self._request, engine)
        return engine

    def __call__(self, *flags, socket=None, timeout=STARTUP_TIMEOUT, env=None, control=True,
                 expect_errors=(), rlimits=None):
        """Starts an engine with extra command-line flags; see README.md.
        Every engine gets its control channel, whatever `control` says."""
        return self._make(flags, socket, env, True, expect_errors, rlimits).start(timeout)

    def run_to_exit(self, *flags, socket=None, timeout=STARTUP_TIMEOUT, env=None):
        """Runs an engine that should stop by itself (a bad flag, a taken port);
        returns an EngineExit."""
        engine = self._make(flags, socket, env)
        engine.expected_exit = True
        with open(engine.stdout_path, "wb") as out, open(engine.log_path, "wb") as err:
            engine.popen = subprocess.Popen(engine.command(), stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=err, cwd=self._directory,
                                            env=engine.environment())
        code = engine.wait_exit(timeout)
        return EngineExit(code, engine.stdout_path.read_text(errors="replace"),
                          engine.log_path.read_text(errors="replace"), engine.log_path)

    @property
    def latest(self):
        if not self.engines:
            raise RuntimeError("start an engine first: engine = understudy_engine(...)")
        return self.engines[-1]

    def _teardown(self):
        problems = [p for p in (e._teardown() for e in self.engines) if p]
        for directory in self._temp_dirs:
            shutil.rmtree(directory, ignore_errors=True)
        return problems


@pytest.fixture
def understudy_engine(request, tmp_path):
    factory = _EngineFactory(request, tmp_path)
    yield factory
    problems = factory._teardown()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def understudy_client(understudy_engine):
    """Connects in-process understudy_client clients to an engine (by default
    the one started last): understudy_client(name, service=None, engine=None,
    **connect_kwargs) returns a registered EngineClient."""
    clients = []

    def connect(name="client", service=None, engine=None, **kwargs):
        engine = engine or understudy_engine.latest
        kwargs.setdefault("stack_dump_signal", None)  # pytest's process keeps its signals
        kwargs.setdefault("timeout", STARTUP_TIMEOUT)
        kwargs.setdefault("auth_token_file", engine.auth_token_file)
        client = client_library.connect(name, service=service, address=engine.address, **kwargs)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


def _pfu_site_packages(request):
    """PfU's Python~/site-packages, for a plain PfU client; fails the test,
    saying what to give, when there is none."""
    package = (request.config.getoption("--understudy-pfu-package")
               or os.environ.get("UNDERSTUDY_PFU_PACKAGE"))
    if not package:
        pytest.fail("client_process(pfu=True) needs Python for Unity's package: pass "
                    "--understudy-pfu-package DIR (the com.unity.scripting.python folder) or "
                    "set UNDERSTUDY_PFU_PACKAGE", pytrace=False)
    site_packages = Path(package).resolve() / "Python~" / "site-packages"
    if not (site_packages / "unity_python" / "client" / "unity_client.py").is_file():
        pytest.fail(f"client_process(pfu=True): {package} is not Python for Unity's package "
                    f"(no {site_packages / 'unity_python' / 'client' / 'unity_client.py'})",
                    pytrace=False)
    return site_packages


@pytest.fixture
def client_process(request, understudy_engine, tmp_path):
    """Spawns client scripts as separate processes; see README.md."""
    processes = []
    base = Path(request.node.path).parent
    python = request.config.getoption("--understudy-python")

    def spawn(script, name=None, args=(), engine=None, ready="registered", env=None,
              timeout=STARTUP_TIMEOUT, pfu=False):
        path = Path(script)
        if not path.is_absolute():
            path = base / path
        if not path.is_file():
            pytest.fail(f"client_process: no script at {path}", pytrace=False)
        label = _unique_label(tmp_path, f"client-{name or path.stem}")
        process = ClientProcess(path, name, engine or understudy_engine.latest, tmp_path, label,
                                args=args, env=env, python=python,
                                pfu_site_packages=_pfu_site_packages(request) if pfu else None)
        processes.append(process)
        _track(request, process)
        return process.start(ready, timeout)

    yield spawn
    for process in processes:
        process._teardown()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for process in item.__dict__.get("_understudy_processes", ()):
            if process.log_path is not None:
                report.sections.append(
                    (f"understudy: {process.describe()} log {process.log_path}",
                     tail(process.log_path, console=process.console_file)))
