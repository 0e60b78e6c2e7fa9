"""Runs the test_*.py files of one folder inside the engine, as UEP's own
run_tests.py runs its tests in the editor and as Unity's Python tests run in
Unity's editor: unittest in the engine's interpreter, on its main thread.

    UNDERSTUDY_TEST_DIR=tests/unreal_api understudy-engine \
        --schema tests/unreal_api/project_schema.toml \
        --script tests/support/run_unittests_in_engine.py --frames 1

The folder comes in the environment because a --script takes no arguments.
Raises at the end when a test failed, so the engine exits 1."""

import os
import sys
import unittest

folder = os.path.abspath(os.environ["UNDERSTUDY_TEST_DIR"])
sys.path.insert(0, folder)

suite = unittest.TestLoader().discover(folder, pattern="test_*.py", top_level_dir=folder)
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
if result.testsRun == 0:
    raise RuntimeError(f"no tests found in {folder}")
if not result.wasSuccessful():
    raise RuntimeError(f"{os.path.basename(folder)}: {len(result.failures)} failed, "
                       f"{len(result.errors)} errors of {result.testsRun}")
