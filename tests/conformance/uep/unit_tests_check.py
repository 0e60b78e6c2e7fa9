"""uep_unit_tests: UnrealEnginePython's own unit tests in understudy-engine,
checked test by test against a list of expected failures.

Runs uep_unit_runner.py inside the engine (unittest discovery over the
corpus's tests/, as run_tests.py does) and compares its per-test records
with EXPECTED (TOML: [[failure]] tables with `id`, `why` and `seen`, the
reason last observed). It fails, saying each, when
  - a test not listed fails:        UNEXPECTED FAILURE: <id>: <outcome>: <reason>
  - a listed test passes (or is not run any more):
                                    STALE EXPECTED FAILURE: <id> ...
  - fewer than --core-min of the tests in the --core modules pass:
                                    TOO FEW CORE PASSES: ...
  - it saw no test at all:          NO TESTS: ...
The other modules' tests are reported apart and do not count toward the
core figure.

To regenerate the list from a run (new failures get the observed reason as
their `why`; existing entries keep their hand-written one):
    unit_tests_check.py --engine ... --corpus ... --expected FILE --update

usage: unit_tests_check.py --engine ENGINE --corpus CORPUS --expected FILE
           [--core test_actor,test_transform,...] [--core-min 30] [--update]"""

import argparse
import ast
import json
import os
import sys
import time
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance_support as cs  # noqa: E402

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "uep_unit_runner.py")
CORE = "test_actor,test_transform,test_structs,test_uobject,test_randomstream"
PASSING = ("pass", "skip", "expected_failure")


def count_tests(path):
    """Test methods a unittest loader finds in a file: per class, distinct
    names starting with `test` (a name defined twice counts once)."""
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read(), path)
    total = 0
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            total += len({item.name for item in node.body
                          if isinstance(item, ast.FunctionDef) and item.name.startswith("test")})
    return total


def module_of(test_id):
    return test_id.split(".", 1)[0]


def load_expected(path):
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as file:
        return {entry["id"]: entry for entry in tomllib.load(file).get("failure", [])}


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_expected(path, results, expected, core):
    lines = [
        "# UnrealEnginePython's unit tests that fail in understudy-engine, and why.",
        "# Checked by tests/conformance/uep/unit_tests_check.py (CTest: uep_unit_tests).",
        "# `why` is written by hand; `seen` is what the last --update run observed.",
        "# Regenerate: unit_tests_check.py --engine ENGINE --corpus CORPUS \\",
        "#     --expected THIS_FILE --update   (hand-written `why`s are kept)",
        "",
    ]
    failing = sorted(test for test, (outcome, _) in results.items() if outcome not in PASSING)
    for group, wanted in (("core modules (" + ", ".join(core) + ")", True),
                          ("other modules", False)):
        members = [test for test in failing if (module_of(test) in core) == wanted]
        if not members:
            continue
        lines.append(f"# --- {group}: {len(members)} failing")
        for test in members:
            outcome, reason = results[test]
            seen = f"{outcome}: {reason}"
            why = expected.get(test, {}).get("why", seen)
            lines += ["[[failure]]", f"id = {toml_string(test)}", f"why = {toml_string(why)}",
                      f"seen = {toml_string(seen)}", ""]
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines))


def run_tests_in_engine(args, folder):
    results_path = os.path.join(folder, "results.jsonl")
    log_path = os.path.join(folder, "engine.log")
    env = dict(os.environ, UEP_RESULTS=results_path, PYTHONDONTWRITEBYTECODE="1")
    code, _ = cs.run_engine(
        args.engine, ["--no-rpc", "--frames", "2", "--plugin", f"UnrealEnginePython={args.corpus}",
                      "--script", RUNNER], log_path, deadline_s=args.deadline, env=env)
    if not os.path.exists(results_path):
        raise cs.Failure(f"expected the runner to write {results_path}; it did not (engine exit "
                         f"{code}); read {log_path}")
    results, started = {}, []
    with open(results_path) as file:
        for line in file:
            record = json.loads(line)
            if record.get("event") == "start":
                started.append(record["id"])
            else:
                results[record["id"]] = (record["outcome"], record["reason"])
    unfinished = [test for test in started if test not in results]
    if unfinished:
        raise cs.Failure(f"expected every test to finish; {unfinished[0]} started and never "
                         f"did (engine exit {code}); read {log_path}")
    return results, log_path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--expected", required=True)
    parser.add_argument("--core", default=CORE)
    parser.add_argument("--core-min", type=int, default=30)
    parser.add_argument("--deadline", type=float, default=30)
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    cs.require_corpus(args.corpus)
    core = [name for name in args.core.split(",") if name]
    core_total = sum(count_tests(os.path.join(args.corpus, "tests", name + ".py"))
                     for name in core)
    expected = load_expected(args.expected)
    started = time.monotonic()

    with cs.temp_folder("uep_unit_tests.") as folder:
        results, log_path = run_tests_in_engine(args, folder)
        by_module = {}
        for test, (outcome, _) in results.items():
            passed, total = by_module.get(module_of(test), (0, 0))
            by_module[module_of(test)] = (passed + (outcome in PASSING), total + 1)
        print(f"{'module':<24} passed/run")
        for module in sorted(by_module, key=lambda m: (m not in core, m)):
            passed, total = by_module[module]
            print(f"{module:<24} {passed}/{total}{'  (core)' if module in core else ''}")
        core_passed = sum(1 for test, (outcome, _) in results.items()
                          if module_of(test) in core and outcome in PASSING)
        other = [(test, outcome) for test, (outcome, _) in results.items()
                 if module_of(test) not in core]
        print(f"core: {core_passed} of {core_total} tests pass (at least {args.core_min} must); "
              f"other modules: {sum(o in PASSING for _, o in other)} of {len(other)} pass; "
              f"{time.monotonic() - started:.2f} s")

        if args.update:
            write_expected(args.expected, results, expected, core)
            print(f"rewrote {args.expected} from this run")
            return 0

        problems = []
        if not results:
            problems.append(f"NO TESTS: the run saw zero tests in {args.corpus}/tests; "
                            f"read {log_path}")
        for test, (outcome, reason) in sorted(results.items()):
            if outcome not in PASSING and test not in expected:
                problems.append(f"UNEXPECTED FAILURE: {test}: {outcome}: {reason}")
        for test, entry in sorted(expected.items()):
            if test not in results:
                problems.append(f"STALE EXPECTED FAILURE: {test} was not run any more; remove "
                                f"it from {args.expected} (its why: {entry.get('why', '')})")
            elif results[test][0] in PASSING:
                problems.append(f"STALE EXPECTED FAILURE: {test} now passes; remove it from "
                                f"{args.expected} (its why: {entry.get('why', '')})")
        if core_passed < args.core_min:
            problems.append(f"TOO FEW CORE PASSES: {core_passed} of {core_total} tests in "
                            f"{', '.join(core)} pass, at least {args.core_min} must")
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} problem(s); engine log: {log_path}; to accept this run as "
                  f"the new list: rerun with --update")
            raise cs.Failure(f"{len(problems)} problem(s), listed above")
    return 0


if __name__ == "__main__":
    cs.main_wrapper(main)
