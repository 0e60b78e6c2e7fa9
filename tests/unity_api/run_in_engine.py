"""Starts understudy-engine on a fresh copy of the test project and runs this
folder's tests inside it (tests/support/run_unittests_in_engine.py); exits
with the engine's status.

    run_in_engine.py ENGINE TESTS_DIR PROJECT_COPY
"""

import os
import shutil
import subprocess
import sys

engine, tests, project = sys.argv[1:4]
shutil.rmtree(project, ignore_errors=True)
shutil.copytree(f"{tests}/project", project)
try:
    status = subprocess.run(
        [engine, "--no-rpc", "--frames", "5", "--quiet", "--project-dir", project,
         "--unity-schema", f"{tests}/project_schema.toml",
         "--script", f"{tests}/../support/run_unittests_in_engine.py"],
        env={**os.environ, "UNDERSTUDY_TEST_DIR": tests}, timeout=80).returncode
except subprocess.TimeoutExpired:
    print(f"unity_api_tests: the engine did not finish within 80 s ({engine})", file=sys.stderr)
    status = 1
sys.exit(status)
