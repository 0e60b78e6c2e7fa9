"""Shared helpers of the unreal_engine API tests: unique names and actor cleanup.

Each test spawns its own actors through SpawningTestCase.spawn and they are
destroyed after it, so tests do not see each other's actors."""

import itertools
import time
import unittest

import unreal_engine as ue

_counter = itertools.count()


def unique(prefix):
    """A name no other test uses in this run (UEP's tests use time.time())."""
    return f"{prefix}_{int(time.time())}_{next(_counter)}"


class SpawningTestCase(unittest.TestCase):
    def setUp(self):
        self.world = ue.get_editor_world()
        self._spawned = []

    def tearDown(self):
        for actor in self._spawned:
            if actor.is_valid():
                actor.actor_destroy()

    def spawn(self, cls, *args, **kwargs):
        actor = self.world.actor_spawn(cls, *args, **kwargs)
        self._spawned.append(actor)
        return actor
