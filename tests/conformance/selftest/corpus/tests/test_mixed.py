"""The self-check's made-up corpus: one test that passes, one that fails."""
import unittest

import unreal_engine as ue


class TestMixed(unittest.TestCase):

    def test_passes(self):
        self.assertTrue(ue.is_main_thread())

    def test_fails(self):
        self.assertEqual(ue.get_frame_number(), -1, "fails on purpose")
