"""The editor's actor selection (UEPyEditor.cpp)."""

import unittest

import unreal_engine as ue
from unreal_engine.classes import Actor, Character, Material

from uapi_support import SpawningTestCase


class TestSelection(SpawningTestCase):
    def setUp(self):
        super().setUp()
        ue.editor_deselect_actors()
        self.addCleanup(ue.editor_deselect_actors)

    # py_unreal_engine_editor_select_actor adds to the selection (SelectActor(actor, true, ...));
    # py_unreal_engine_editor_get_selected_actors returns a list of actors.
    def test_select_adds_to_the_selection(self):
        a, b = self.spawn(Actor), self.spawn(Character)
        self.assertIsNone(ue.editor_select_actor(a))
        ue.editor_select_actor(b)
        selected = ue.editor_get_selected_actors()
        self.assertIsInstance(selected, list)
        self.assertEqual(set(selected), {a, b})

    # Selecting a selected actor again keeps one entry.
    def test_selecting_twice_selects_once(self):
        a = self.spawn(Actor)
        ue.editor_select_actor(a)
        ue.editor_select_actor(a)
        self.assertEqual(ue.editor_get_selected_actors(), [a])

    # py_unreal_engine_editor_deselect_actors: SelectNone; returns None.
    def test_deselect_clears_the_selection(self):
        ue.editor_select_actor(self.spawn(Actor))
        self.assertIsNone(ue.editor_deselect_actors())
        self.assertEqual(ue.editor_get_selected_actors(), [])

    # py_unreal_engine_editor_select_actor: a non-actor raises ("uobject is not an Actor").
    def test_selecting_a_non_actor_raises(self):
        with self.assertRaises(Exception):
            ue.editor_select_actor(Material())
        with self.assertRaises(Exception):
            ue.editor_select_actor(self.spawn(Character).CapsuleComponent)

    # A destroyed actor leaves the selection (UE deselects actors as they are destroyed).
    def test_destroyed_actors_leave_the_selection(self):
        doomed = self.world.actor_spawn(Actor)
        ue.editor_select_actor(doomed)
        doomed.actor_destroy()
        self.assertEqual(ue.editor_get_selected_actors(), [])


if __name__ == "__main__":
    unittest.main(exit=False)
