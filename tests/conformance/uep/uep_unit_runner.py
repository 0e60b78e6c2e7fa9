"""Engine side of uep_unit_tests: run inside understudy-engine as a --script.

Discovers the tests of the UnrealEnginePython plugin's folder (its tests/,
as run_tests.py does) and writes one JSON line per test to the file
$UEP_RESULTS names: {"event": "start", "id": ...} before a test runs (so
that a hang names its test), then {"id", "outcome", "reason"} with outcome
pass, fail, error, skip, expected_failure or unexpected_success and the last
line of the failure's exception ("" when it passed). A module that fails to
import is one test, "<module>.<import>", with outcome error."""

import json
import os
import traceback
import unittest

import unreal_engine as ue

RESULTS = os.environ["UEP_RESULTS"]


def test_id(test):
    # unittest reports a module that did not import as _FailedTest.<module>.
    if type(test).__name__ == "_FailedTest":
        return f"{test._testMethodName}.<import>"
    return test.id()


def reason(err):
    lines = "".join(traceback.format_exception_only(err[0], err[1])).strip().splitlines()
    if not lines:
        return err[0].__name__
    # An import failure's message is the loader's text with the traceback in
    # it: its last line is the exception that stopped the import.
    return lines[-1]


class RecordingResult(unittest.TestResult):
    def __init__(self, out):
        super().__init__()
        self._out = out

    def _write(self, **record):
        self._out.write(json.dumps(record) + "\n")
        self._out.flush()

    def startTest(self, test):
        super().startTest(test)
        self._write(event="start", id=test_id(test))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._write(id=test_id(test), outcome="pass", reason="")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._write(id=test_id(test), outcome="fail", reason=reason(err))

    def addError(self, test, err):
        super().addError(test, err)
        self._write(id=test_id(test), outcome="error", reason=reason(err))

    def addSkip(self, test, why):
        super().addSkip(test, why)
        self._write(id=test_id(test), outcome="skip", reason=str(why))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._write(id=test_id(test), outcome="expected_failure", reason=reason(err))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._write(id=test_id(test), outcome="unexpected_success", reason="")


def run():
    plugin = ue.find_plugin("UnrealEnginePython")
    if plugin is None:
        raise RuntimeError("no UnrealEnginePython plugin: start the engine with "
                           "--plugin UnrealEnginePython=CORPUS")
    suite = unittest.TestLoader().discover(os.path.join(plugin.get_base_dir(), "tests"))
    with open(RESULTS, "w") as out:
        result = RecordingResult(out)
        suite.run(result)
    ue.log(f"uep_unit_runner: ran {result.testsRun} tests, {len(result.failures)} failures, "
           f"{len(result.errors)} errors")


run()
