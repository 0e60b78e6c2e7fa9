"""understudy_pytest: test your Understudy client scripts with pytest, against
a real understudy-engine and your scripts as real processes.

Load it with `-p understudy_pytest` or `pytest_plugins = ["understudy_pytest"]`
(harness/pylib on PYTHONPATH). The guide (enabling it, the fixtures, what they
return, writing tests that do not flake, debugging a failure, which module
holds what) is README.md in this folder.

This module is the plugin pytest loads: it holds the hooks and fixtures
(from fixtures.py) and every name tests import."""

from .calls import CallOutcome, PendingCall
from .client_process import ClientProcess
from .console import LOG_TAIL_LINES, ConsoleFile, ConsoleRecord, tail
from .deadlocks import STACK_DUMP_TIMEOUT, parse_stack_dump, user_frame
from .engine_process import EngineExit, EngineProcess
from .errors import ControlProtocolError, DeadlockDetected, ProcessDied, UnderstudyTimeout
from .fixtures import (client_process, pytest_addoption, pytest_runtest_makereport,
                       understudy_client, understudy_engine)
from .waits import (CALL_TIMEOUT, POLL_INTERVAL, STARTUP_TIMEOUT, STOP_TIMEOUT, WAIT_TIMEOUT,
                    wait_until)

__all__ = [
    # the plugin: hooks and fixtures
    "pytest_addoption", "pytest_runtest_makereport",
    "understudy_engine", "understudy_client", "client_process",
    # what the fixtures return
    "EngineProcess", "EngineExit", "ClientProcess", "PendingCall", "CallOutcome",
    "ConsoleRecord", "ConsoleFile",
    # failures
    "UnderstudyTimeout", "ProcessDied", "ControlProtocolError", "DeadlockDetected",
    # waits and their defaults
    "wait_until", "STARTUP_TIMEOUT", "WAIT_TIMEOUT", "CALL_TIMEOUT", "STOP_TIMEOUT",
    "POLL_INTERVAL", "STACK_DUMP_TIMEOUT",
    # logs and stack dumps
    "tail", "LOG_TAIL_LINES", "user_frame", "parse_stack_dump",
]
