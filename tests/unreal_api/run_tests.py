"""Runs this folder's test_*.py inside the engine, as UEP's run_tests.py does:

    understudy-engine --schema tests/unreal_api/project_schema.toml \
        --script tests/unreal_api/run_tests.py --frames 1

Raises at the end when a test failed, so the engine exits 1."""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

suite = unittest.TestLoader().discover(here, pattern="test_*.py", top_level_dir=here)
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
if not result.wasSuccessful():
    raise RuntimeError(f"unreal_engine API tests: {len(result.failures)} failed, "
                     f"{len(result.errors)} errors of {result.testsRun}")
