"""uep_run_tests: UnrealEnginePython's own run_tests.py, unchanged, inside
understudy-engine, started the way its docstring says:

    ue.sandbox_exec(ue.find_plugin('UnrealEnginePython').get_base_dir() + '/run_tests.py')

with the corpus as the UnrealEnginePython plugin's folder. run_tests.py
discovers the corpus's tests/ and prints unittest's summary through ue.log and
ue.log_error; this checks that summary was printed, and that the tests it
reports as failing (each ERROR:/FAIL: line; a test whose tearDown fails too
is reported twice and counted once) are exactly those the expected-failures
file lists.

usage: run_tests_check.py ENGINE CORPUS EXPECTED_FAILURES_TOML"""

import os
import re
import sys
import time
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance_support as cs  # noqa: E402

LAUNCHER = ("import unreal_engine as ue\n"
            "ue.sandbox_exec(ue.find_plugin('UnrealEnginePython').get_base_dir()"
            " + '/run_tests.py')\n")

SUMMARY = re.compile(r"Ran (\d+) tests? in [0-9.]+s\s*(OK|FAILED)\s*(\(([^)]*)\))?")
# "ERROR: test_x (test_mod.TestCase.test_x)"; a module that failed to import is
# "ERROR: test_mod (unittest.loader._FailedTest.test_mod)".
REPORTED = re.compile(r"\b(?:ERROR|FAIL): \S+ \(([^)\s]+)\)")


def failing_ids(text):
    ids = set()
    for test_id in REPORTED.findall(text):
        if test_id.startswith("unittest.loader._FailedTest."):
            test_id = test_id.rsplit(".", 1)[1] + ".<import>"
        ids.add(test_id)
    return ids


def main():
    engine, corpus, expected_path = sys.argv[1:4]
    cs.require_corpus(corpus)
    with open(expected_path, "rb") as file:
        expected = tomllib.load(file).get("failure", [])
    started = time.monotonic()
    with cs.temp_folder("uep_run_tests.") as folder:
        launcher = os.path.join(folder, "launch_run_tests.py")
        with open(launcher, "w") as file:
            file.write(LAUNCHER)
        log_path = os.path.join(folder, "engine.log")
        code, _ = cs.run_engine(
            engine, ["--no-rpc", "--frames", "2", "--plugin", f"UnrealEnginePython={corpus}",
                     "--script", launcher], log_path, deadline_s=30)
        text = cs.console_text(log_path)
        match = SUMMARY.search(text)
        if match is None:
            tail = "\n".join(text.splitlines()[-15:])
            raise cs.Failure(f"expected unittest's summary (\"Ran N tests ... OK|FAILED\") in "
                             f"the engine's console; it was not there (exit {code}); its last "
                             f"lines:\n{tail}\nread {log_path}")
        ran = int(match.group(1))
        counts = dict((key.strip(), int(value)) for key, value in
                      (item.split("=") for item in (match.group(4) or "").split(",") if item))
        bad = counts.get("failures", 0) + counts.get("errors", 0)
        print(f"run_tests.py: Ran {ran} tests: {match.group(2)} {match.group(3) or ''} "
              f"({time.monotonic() - started:.2f} s)")
        if ran == 0:
            raise cs.Failure(f"run_tests.py ran 0 tests; read {log_path}")
        if code != 0:
            raise cs.Failure(f"expected the engine to exit 0 (run_tests.py reports, it does "
                             f"not raise); it exited {code}; read {log_path}")
        reported = failing_ids(text)
        listed = {entry["id"] for entry in expected}
        if bad == 0 and listed:
            raise cs.Failure(f"run_tests.py reported no failures, but {expected_path} lists "
                             f"{len(listed)}; read {log_path}")
        if reported != listed:
            unexpected = ", ".join(sorted(reported - listed)) or "none"
            missing = ", ".join(sorted(listed - reported)) or "none"
            raise cs.Failure(
                f"expected run_tests.py to fail exactly the {len(listed)} tests {expected_path} "
                f"lists; it reported {bad} failures and errors ({match.group(3)}) in "
                f"{len(reported)} tests; failing but not listed: {unexpected}; listed but not "
                f"failing: {missing}; read {log_path}")
    return 0


if __name__ == "__main__":
    cs.main_wrapper(main)
