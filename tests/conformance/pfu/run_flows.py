"""Runs the PfU conformance flows (this folder's test_*.py: test_pfu_flows.py,
test_pfu_samples.py) with pytest:
run_flows.py ENGINE CORPUS [pytest arguments...]. Exits 77 with a message
when CORPUS holds no PfU 2.1.1 package (its client package and Unity's
Tests/rpyc clients are read from there, never copied)."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEEDED = ("Python~/site-packages/unity_python/client/unity_client.py",
          "Tests/rpyc/rpyc_test_client_init.py")


def missing_corpus(corpus):
    """Why `corpus` cannot be used, or None."""
    absent = [name for name in NEEDED if not (corpus / name).is_file()]
    if absent:
        return (f"no PfU 2.1.1 corpus at {corpus} (missing {', '.join(absent)}); set "
                "UNDERSTUDY_PFU_CORPUS (CMake) to an unpacked com.unity.scripting.python 2.1.1")
    return None


def run(engine, corpus, pytest_args, extra_env=None):
    env = dict(os.environ)
    env.update(UNDERSTUDY_ENGINE=str(engine), UNDERSTUDY_PFU_CORPUS=str(corpus),
               PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(HERE.parents[2] / "harness" / "pylib"), env.get("PYTHONPATH")) if p)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "understudy_pytest", "-q",
                           str(HERE), *pytest_args],
                          cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run_flows.py ENGINE CORPUS [pytest arguments...]")
    engine, corpus = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    why = missing_corpus(corpus)
    if why:
        print(f"SKIP: {why}")
        return 77
    result = run(engine, corpus, sys.argv[3:])
    sys.stdout.write(result.stdout)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
