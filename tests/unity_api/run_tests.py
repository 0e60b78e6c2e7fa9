"""Runs this folder's test_*.py inside the engine, as Unity's Python tests run in the editor:

    understudy-engine --unity-schema tests/unity_api/project_schema.toml \
        --project-dir PROJECT --script tests/unity_api/run_tests.py --frames 1

Raises at the end when a test failed, so the engine exits 1."""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

suite = unittest.TestLoader().discover(here, pattern="test_*.py", top_level_dir=here)
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
if not result.wasSuccessful():
    raise RuntimeError(f"UnityEngine API tests: {len(result.failures)} failed, "
                     f"{len(result.errors)} errors of {result.testsRun}")
