"""Actors in the editor world: spawning, transforms, identity, destruction."""

import math
import unittest

import unreal_engine as ue
from unreal_engine import FRotator, FVector
from unreal_engine.classes import Actor, Character, Light, Material, Pawn, StaticMeshActor

from uapi_support import SpawningTestCase, unique


class TestSpawn(SpawningTestCase):
    # UEPyActor.cpp py_ue_actor_spawn: actor_spawn(cls, location=None, rotation=None) returns the actor.
    def test_spawn_returns_an_actor_of_the_class(self):
        actor = self.spawn(Character)
        self.assertEqual(actor.get_class(), Character)
        self.assertTrue(actor.is_a(Actor))

    # UEPyActor.cpp py_ue_actor_spawn: a non-actor class raises ("argument is not a UClass derived from AActor").
    def test_spawning_a_non_actor_class_raises(self):
        with self.assertRaises(Exception):
            self.world.actor_spawn(Material)

    # UEPyActor.cpp py_ue_actor_spawn: anything but a class raises ("argument is not a UClass").
    def test_spawning_a_non_class_raises(self):
        with self.assertRaises(Exception):
            self.world.actor_spawn("Character")

    # UEPyActor.cpp py_ue_actor_spawn: SpawnActor of an abstract class fails ("unable to spawn a new Actor").
    def test_spawning_an_abstract_class_raises(self):
        with self.assertRaises(Exception):
            self.world.actor_spawn(Light)

    # UEPyActor.cpp py_ue_actor_spawn: location must be an FVector ("location must be an FVector").
    def test_location_must_be_an_fvector(self):
        with self.assertRaises(Exception):
            self.world.actor_spawn(Character, (1, 2, 3))

    # UEPyActor.cpp py_ue_actor_spawn: rotation must be an FRotator.
    def test_rotation_must_be_an_frotator(self):
        with self.assertRaises(Exception):
            self.world.actor_spawn(Character, FVector(), FVector())

    # UEPyActor.cpp py_ue_actor_spawn: keyword arguments are set as properties before spawning finishes
    # (SpawnActorDeferred, set_property per key, FinishSpawningActor).
    def test_keyword_arguments_set_properties(self):
        actor = self.spawn(Character, FVector(10, 20, 30), InitialLifeSpan=12.5, bCanBeDamaged=False)
        self.assertEqual(actor.InitialLifeSpan, 12.5)
        self.assertFalse(actor.bCanBeDamaged)
        self.assertEqual(actor.get_actor_location(), FVector(10, 20, 30))

    # UEPyActor.cpp py_ue_actor_spawn: an unknown keyword raises ("unable to set property for new Actor").
    def test_an_unknown_keyword_raises(self):
        with self.assertRaises(Exception):
            self.world.actor_spawn(Character, NoSuchProperty=1)

    # UEP tests/test_actor.py test_spawn + UEPyActor.cpp py_ue_find_actor_by_label.
    def test_find_actor_by_label(self):
        actor = self.spawn(Actor)
        label = unique("ActorTest")
        actor.set_actor_label(label)
        self.assertEqual(actor.get_actor_label(), label)
        self.assertEqual(self.world.find_actor_by_label(label), actor)

    # UEPyActor.cpp py_ue_actor_destroy + py_ue_find_actor_by_label: a destroyed actor is not found (None).
    def test_destroyed_actor_is_not_found(self):
        actor = self.world.actor_spawn(Actor)
        label = unique("ActorDestroyTest")
        actor.set_actor_label(label)
        actor.actor_destroy()
        self.assertIsNone(self.world.find_actor_by_label(label))
        self.assertFalse(actor.is_valid())

    # UEPyWorld.cpp py_ue_all_actors: a list of the world's actors.
    def test_all_actors_lists_spawned_actors(self):
        actor = self.spawn(Pawn)
        self.assertIn(actor, self.world.all_actors())


class TestTransforms(SpawningTestCase):
    # UEP tests/test_actor.py test_location; UEPyTransform.cpp py_ue_get_actor_location returns an FVector.
    def test_spawn_location(self):
        actor = self.spawn(Character, FVector(100, 200, 300))
        location = actor.get_actor_location()
        self.assertIsInstance(location, FVector)
        self.assertEqual(location, FVector(100, 200, 300))

    # UEP tests/test_actor.py test_rotation; py_ue_get_actor_rotation returns an FRotator.
    def test_spawn_rotation(self):
        actor = self.spawn(Character, FVector(), FRotator(0, 0, 90))
        rotation = actor.get_actor_rotation()
        self.assertIsInstance(rotation, FRotator)
        self.assertLess(math.fabs(90 - rotation.yaw), 0.1)

    # UEPyTransform.cpp py_ue_set_actor_location: an FVector or three floats, returns True when moved.
    def test_set_actor_location(self):
        actor = self.spawn(Character)
        self.assertIs(actor.set_actor_location(FVector(1, 2, 3)), True)
        self.assertEqual(actor.get_actor_location(), FVector(1, 2, 3))
        self.assertIs(actor.set_actor_location(4, 5, 6), True)
        self.assertEqual(actor.get_actor_location(), FVector(4, 5, 6))

    # UEPyTransform.cpp py_ue_set_actor_rotation: an FRotator (or FQuat), returns True when rotated.
    def test_set_actor_rotation(self):
        actor = self.spawn(Character)
        self.assertIs(actor.set_actor_rotation(FRotator(0, 0, 45)), True)
        self.assertLess(math.fabs(actor.get_actor_rotation().yaw - 45), 0.1)

    # UEPyTransform.cpp py_ue_set_actor_scale returns None; py_ue_get_actor_scale an FVector.
    def test_set_actor_scale(self):
        actor = self.spawn(Character)
        self.assertEqual(actor.get_actor_scale(), FVector(1, 1, 1))
        self.assertIsNone(actor.set_actor_scale(FVector(2, 3, 4)))
        self.assertEqual(actor.get_actor_scale(), FVector(2, 3, 4))

    # UEPyTransform.cpp: transform calls on a component act on its owner (ue_get_actor).
    def test_a_component_answers_for_its_owner(self):
        actor = self.spawn(Character, FVector(7, 8, 9))
        self.assertEqual(actor.CharacterMovement.get_actor_location(), FVector(7, 8, 9))

    # UEPyTransform.cpp get/set_actor_location: a vector returned is a copy; changing it moves nothing.
    def test_returned_vectors_are_copies(self):
        actor = self.spawn(Character, FVector(1, 1, 1))
        location = actor.get_actor_location()
        location.x = 50
        self.assertEqual(actor.get_actor_location(), FVector(1, 1, 1))


class TestActorWithoutRoot(SpawningTestCase):
    # AActor::GetActorLocation/SetActorLocation via UEPyTransform.cpp: a plain Actor has no root
    # component, so it is nowhere: (0, 0, 0) whatever the spawn location, and moving it fails (False).
    def test_a_plain_actor_has_no_location(self):
        actor = self.spawn(Actor, FVector(100, 200, 300))
        self.assertIsNone(actor.RootComponent)
        self.assertEqual(actor.get_actor_location(), FVector(0, 0, 0))
        self.assertIs(actor.set_actor_location(FVector(1, 2, 3)), False)
        self.assertEqual(actor.get_actor_location(), FVector(0, 0, 0))

    # AActor::GetActorScale3D: (1, 1, 1) without a root component; SetActorScale3D does nothing.
    def test_a_plain_actor_has_unit_scale(self):
        actor = self.spawn(Actor)
        actor.set_actor_scale(FVector(2, 2, 2))
        self.assertEqual(actor.get_actor_scale(), FVector(1, 1, 1))

    # UEPyActor.cpp py_ue_add_actor_root_component: gives a plain actor a root, which then moves.
    def test_adding_a_root_component_gives_a_location(self):
        from unreal_engine.classes import SceneComponent
        actor = self.spawn(Actor)
        root = actor.add_actor_root_component(SceneComponent, "Root")
        self.assertEqual(actor.RootComponent, root)
        self.assertTrue(actor.set_actor_location(FVector(5, 6, 7)))
        self.assertEqual(actor.get_actor_location(), FVector(5, 6, 7))

    # AStaticMeshActor: its StaticMeshComponent0 is the root, so it has a location.
    def test_a_static_mesh_actor_has_a_location(self):
        actor = self.spawn(StaticMeshActor, FVector(3, 2, 1))
        self.assertEqual(actor.RootComponent, actor.StaticMeshComponent)
        self.assertEqual(actor.get_actor_location(), FVector(3, 2, 1))


class TestIdentity(SpawningTestCase):
    # UEP tests/test_actor.py test_is_a; UEPyObject.cpp py_ue_is_a (IsA: the class or a parent).
    def test_is_a(self):
        character = self.spawn(Character, FVector(100, 200, 300))
        self.assertTrue(character.is_a(Actor))
        self.assertTrue(character.is_a(Pawn))
        self.assertTrue(character.is_a(Character))
        actor = self.spawn(Actor)
        self.assertTrue(actor.is_a(Actor))
        self.assertFalse(actor.is_a(Character))

    # UEPyObject.cpp py_ue_is_a: the argument must be a UObject ("argument is not a UObject").
    def test_is_a_needs_a_uobject(self):
        actor = self.spawn(Actor)
        with self.assertRaises(Exception):
            actor.is_a("Actor")

    # UEPyObject.cpp py_ue_is_child_of: on classes, IsChildOf.
    def test_is_child_of(self):
        self.assertTrue(Character.is_child_of(Pawn))
        self.assertFalse(Pawn.is_child_of(Character))

    # UEPyObject.cpp py_ue_get_class / py_ue_get_super_class.
    def test_get_class_and_super_class(self):
        actor = self.spawn(Character)
        self.assertEqual(actor.get_class(), Character)
        self.assertEqual(Character.get_super_class(), Pawn)
        self.assertEqual(actor.get_super_class(), Pawn)

    # UEPyObject.cpp py_ue_get_name (GetName), py_ue_get_full_name ("Class PathName"),
    # py_ue_get_path_name (ends with the object's name).
    def test_names(self):
        actor = self.spawn(Character)
        name = actor.get_name()
        self.assertTrue(name.startswith("Character"), name)
        self.assertTrue(actor.get_path_name().endswith("." + name), actor.get_path_name())
        self.assertEqual(actor.get_full_name(), "Character " + actor.get_path_name())
        self.assertEqual(Character.get_name(), "Character")

    # UEPyWorld.cpp py_ue_get_world: an actor's and a component's world is the editor world.
    def test_get_world(self):
        actor = self.spawn(Character)
        self.assertEqual(actor.get_world(), self.world)
        self.assertEqual(actor.CapsuleComponent.get_world(), self.world)

    # UEPyWorld.cpp py_ue_get_world: an object in no world raises ("unable to retrieve UWorld from uobject").
    def test_get_world_of_an_asset_raises(self):
        with self.assertRaises(Exception):
            Material().get_world()


class TestFindClass(unittest.TestCase):
    # UEPyEngine.cpp py_unreal_engine_find_class: the class by its reflected name.
    def test_find_class(self):
        self.assertEqual(ue.find_class("Character"), Character)

    # UEPyEngine.cpp py_unreal_engine_find_class: an unknown name raises ("unable to find class X").
    def test_find_class_of_an_unknown_name_raises(self):
        with self.assertRaises(Exception):
            ue.find_class("NoSuchClass")

    # UEPyUClassesImporter.cpp: unreal_engine.classes.X is find_class(X); unknown names are
    # AttributeErrors, so `from unreal_engine.classes import X` is an ImportError.
    def test_classes_module(self):
        self.assertEqual(ue.classes.Actor, Actor)
        with self.assertRaises(AttributeError):
            ue.classes.NoSuchClass
        with self.assertRaises(ImportError):
            from unreal_engine.classes import NoSuchClass  # noqa: F401


if __name__ == "__main__":
    unittest.main(exit=False)
