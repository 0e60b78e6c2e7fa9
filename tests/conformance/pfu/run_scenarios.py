"""Runs the PfU conformance scenarios (scenarios/*.toml: the flows of
Unity's rpycTests.cs and evalExecTests.cs as a scenario suite, with PfU's
own client package and Unity's test clients as plain PfU clients) through
`understudy run --pfu-package CORPUS`:
run_scenarios.py UNDERSTUDY ENGINE CORPUS REPORT_DIR. Exits 77 with a
message when CORPUS holds no PfU 2.1.1 package; fails unless every scenario
of the folder ran and passed."""

import re
import subprocess
import sys
from pathlib import Path

from run_flows import missing_corpus

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: run_scenarios.py UNDERSTUDY ENGINE CORPUS REPORT_DIR")
    understudy, engine, corpus, report_dir = (Path(a).resolve() for a in sys.argv[1:])
    why = missing_corpus(corpus)
    if why:
        print(f"SKIP: {why}")
        return 77
    files = sorted(SCENARIOS.glob("*.toml"))
    if not files:
        print(f"FAIL: no scenario files in {SCENARIOS}")
        return 1
    result = subprocess.run([str(understudy), "run", str(SCENARIOS), "--engine", str(engine),
                             "--pfu-package", str(corpus), "--report-dir", str(report_dir),
                             "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=280)
    sys.stdout.write(result.stdout)
    summary = re.search(r"^(\d+) passed, (\d+) failed$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or summary is None:
        print(f"FAIL: understudy run exited {result.returncode}; reports in {report_dir}")
        return 1
    passed = int(summary.group(1))
    if passed != len(files):
        print(f"FAIL: {passed} scenarios passed, but {SCENARIOS} has {len(files)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
