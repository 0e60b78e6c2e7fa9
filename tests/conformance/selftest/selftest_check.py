"""uep_checker_selftest: the unit-tests checker can fail. Runs it against a
made-up corpus (corpus/ here: one failing test that is not listed, one
listed test that passes, too few passes among the "core" modules) and
against an empty one, and asserts it exits 1 with the exact messages.

usage: selftest_check.py ENGINE"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "..", "uep", "unit_tests_check.py")

EXPECTED_MESSAGES = [
    "UNEXPECTED FAILURE: test_mixed.TestMixed.test_fails: fail: AssertionError: ",
    "STALE EXPECTED FAILURE: test_good.TestGood.test_logs now passes; remove it from "
    f"{os.path.join(HERE, 'expected_failures.toml')} (its why: listed on purpose although it "
    "passes: the checker must call it stale)",
    "TOO FEW CORE PASSES: 3 of 4 tests in test_good, test_mixed pass, at least 4 must",
]


def run_checker(engine, corpus, expected, core):
    command = [sys.executable, CHECKER, "--engine", engine, "--corpus", corpus,
               "--expected", expected, "--core", core, "--core-min", "4", "--deadline", "20"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def expect(condition, message, output):
    if not condition:
        print(f"FAIL: {message}; the checker said:\n{output}")
        sys.exit(1)


def main():
    engine = sys.argv[1]
    code, output = run_checker(engine, os.path.join(HERE, "corpus"),
                               os.path.join(HERE, "expected_failures.toml"),
                               "test_good,test_mixed")
    expect(code == 1, f"expected exit 1 from the checker, got {code}", output)
    for message in EXPECTED_MESSAGES:
        expect(any(line.startswith(message) for line in output.splitlines()),
               f"expected a line starting {message!r}", output)

    with tempfile.TemporaryDirectory(prefix="uep_selftest_empty.") as empty:
        os.mkdir(os.path.join(empty, "tests"))
        expected = os.path.join(empty, "none.toml")
        code, output = run_checker(engine, empty, expected, "")
        expect(code == 1, f"expected exit 1 for an empty corpus, got {code}", output)
        expect(any(line.startswith(f"NO TESTS: the run saw zero tests in {empty}/tests")
                   for line in output.splitlines()),
               "expected a NO TESTS line for an empty corpus", output)
    print("the checker failed as it must: unexpected failure, stale entry, too few core "
          "passes, no tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
