"""A project's own classes, declared in project_schema.toml and loaded with
`understudy-engine --schema tests/unreal_api/project_schema.toml`."""

import unittest

import unreal_engine as ue
from unreal_engine import FLinearColor, FVector

from uapi_support import SpawningTestCase

SCHEMA_HINT = ("the project's classes are missing: run the engine with "
               "--schema tests/unreal_api/project_schema.toml")


class ProjectTestCase(SpawningTestCase):
    @classmethod
    def setUpClass(cls):
        try:
            ue.find_class("BP_Door")
        except Exception as e:
            raise AssertionError(SCHEMA_HINT) from e
        cls.classes = ue.classes


class TestProjectClasses(ProjectTestCase):
    # A project class is found like an engine one (unreal_engine.classes.X, find_class) and derives
    # from its declared parent.
    def test_classes_resolve(self):
        from unreal_engine.classes import Actor, BP_Door, BP_LockedDoor, DoorManager
        self.assertEqual(ue.find_class("BP_Door"), BP_Door)
        self.assertTrue(BP_Door.is_child_of(Actor))
        self.assertTrue(BP_LockedDoor.is_child_of(BP_Door))
        self.assertTrue(DoorManager.is_child_of(Actor))

    # Spawning a project Blueprint creates its components; the mesh is the root.
    def test_spawned_door_has_its_components(self):
        from unreal_engine.classes import BP_Door, DoorLockComponent, StaticMeshComponent
        door = self.spawn(BP_Door, FVector(1, 2, 3))
        self.assertEqual(sorted(c.get_name() for c in door.get_actor_components()), ["DoorMesh", "Lock"])
        self.assertEqual(door.RootComponent, door.DoorMesh)
        self.assertTrue(door.DoorMesh.is_a(StaticMeshComponent))
        self.assertTrue(door.Lock.is_a(DoorLockComponent))
        self.assertEqual(door.get_actor_location(), FVector(1, 2, 3))

    # Declared defaults, of each kind.
    def test_defaults(self):
        from unreal_engine.classes import BP_Door
        from unreal_engine.enums import EDoorState
        door = self.spawn(BP_Door)
        self.assertEqual(door.OpenAngle, 90.0)
        self.assertIs(door.bLocked, False)
        self.assertEqual(door.Tint, FLinearColor(1, 1, 1, 1))
        self.assertEqual(door.Keys, ["Front", "Back"])
        self.assertEqual(door.DoorState, EDoorState.Closed)
        self.assertEqual(door.Hinge, FVector(0, 50, 0))
        self.assertIsNone(door.Neighbour)
        self.assertEqual(door.Visits, {})
        self.assertIs(door.Lock.bRelockOnClose, True)

    # A subclass's `defaults` override the parent's without redeclaring the property.
    def test_subclass_defaults(self):
        from unreal_engine.classes import BP_LockedDoor
        door = self.spawn(BP_LockedDoor)
        self.assertIs(door.bLocked, True)
        self.assertEqual(door.OpenAngle, 110.0)
        self.assertEqual(door.Keys, ["Front", "Back"])
        self.assertEqual(sorted(c.get_name() for c in door.get_actor_components()), ["DoorMesh", "Lock"])

    # Writes of each kind stick; spawn keywords set project properties too.
    def test_writes(self):
        from unreal_engine.classes import BP_Door
        from unreal_engine.enums import EDoorState
        door = self.spawn(BP_Door, OpenAngle=45.0, bLocked=True)
        self.assertEqual((door.OpenAngle, door.bLocked), (45.0, True))
        door.Tint = FLinearColor(1, 0, 0, 1)
        door.Keys = ["Cellar"]
        door.DoorState = EDoorState.Open
        door.Visits = {"Alice": 2}
        other = self.spawn(BP_Door)
        door.Neighbour = other
        self.assertEqual(door.Tint, FLinearColor(1, 0, 0, 1))
        self.assertEqual(door.Keys, ["Cellar"])
        self.assertEqual(door.DoorState, 2)
        self.assertEqual(door.Visits, {"Alice": 2})
        self.assertEqual(door.Neighbour, other)

    # Class references: a class:BP_Door property holds BP_Door or a subclass.
    def test_class_reference(self):
        from unreal_engine.classes import BP_LockedDoor, DoorManager
        manager = self.spawn(DoorManager)
        self.assertIsNone(manager.DoorClass)
        manager.DoorClass = BP_LockedDoor
        self.assertEqual(manager.DoorClass, BP_LockedDoor)

    # A project struct in an array property, built with keywords.
    def test_project_struct_array(self):
        from unreal_engine.classes import BP_Door
        from unreal_engine.structs import DoorKeyInfo
        door = self.spawn(BP_Door)
        self.assertEqual(DoorKeyInfo().Uses, -1)
        door.Lock.RequiredKeys = [DoorKeyInfo(KeyName="Brass", Uses=1)]
        self.assertEqual(door.Lock.RequiredKeys[0].KeyName, "Brass")
        self.assertEqual(door.Lock.RequiredKeys[0], DoorKeyInfo(KeyName="Brass", Uses=1))

    # A project function declared without a builtin raises "declared but not implemented".
    def test_declared_function(self):
        from unreal_engine.classes import BP_Door
        door = self.spawn(BP_Door)
        self.assertIn("TryUnlock", door.Lock.functions())
        with self.assertRaises(Exception) as raised:
            door.Lock.TryUnlock("Brass")
        self.assertIn("not implemented", str(raised.exception))


if __name__ == "__main__":
    unittest.main(exit=False)
