"""Shared by the broken engines below: replaces unreal_engine.get_editor_world
with a stand-in whose actor_spawn hands each spawn to `broken_spawn(world,
cls)`, so that a broken engine script changes what spawning a fault-matrix
actor does (the matrix's clients spawn through ue.get_editor_world())."""

import itertools

import unreal_engine as ue

_real_world = ue.get_editor_world
spawns = itertools.count(1)


class _World:
    def __init__(self, world, broken_spawn):
        self._world = world
        self._broken_spawn = broken_spawn

    def actor_spawn(self, cls):
        return self._broken_spawn(self._world, cls)

    def __getattr__(self, name):
        return getattr(self._world, name)


def install(broken_spawn):
    ue.get_editor_world = lambda: _World(_real_world(), broken_spawn)
