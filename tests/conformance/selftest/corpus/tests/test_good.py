"""The self-check's made-up corpus: two tests that pass in the engine."""
import unittest

import unreal_engine as ue


class TestGood(unittest.TestCase):

    def test_logs(self):
        ue.log("selftest: test_good logs")

    def test_world(self):
        self.assertIsNotNone(ue.get_editor_world())
