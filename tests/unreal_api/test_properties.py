"""UPROPERTY access: by attribute and by get_property/set_property; UFUNCTION calls."""

import unittest

import unreal_engine as ue
from unreal_engine import FRotator, FVector
from unreal_engine.classes import Actor, Character, Material, StaticMesh, StaticMeshComponent
from unreal_engine.enums import EComponentMobility, EMovementMode

from uapi_support import SpawningTestCase


class TestAttributes(SpawningTestCase):
    # UEPyModule.cpp ue_PyUObject_getattro/setattro: properties by name, each kind converted.
    def test_scalars(self):
        movement = self.spawn(Character).CharacterMovement
        movement.MaxWalkSpeed = 321.5                 # float
        self.assertEqual(movement.MaxWalkSpeed, 321.5)
        movement.bCanWalkOffLedges = False            # bool
        self.assertIs(movement.bCanWalkOffLedges, False)
        character = self.spawn(Character)
        character.JumpMaxCount = 3                    # int
        self.assertEqual(character.JumpMaxCount, 3)
        self.assertIsInstance(character.JumpMaxCount, int)

    # ue_PyUObject_getattro: a name (FName) and a string (FString) read as str.
    def test_names_and_strings(self):
        capsule = self.spawn(Character).CapsuleComponent
        capsule.AttachSocketName = "Hand_R"
        self.assertEqual(capsule.AttachSocketName, "Hand_R")
        mat = Material()
        self.assertIsInstance(mat.get_name(), str)

    # UEPyEnumsImporter.cpp + getattro on a UEnum: enum values are ints; enum properties read and
    # write ints; an unknown value name raises ("unknown enum name").
    def test_enums(self):
        self.assertEqual(EComponentMobility.Static, 0)
        self.assertEqual(EComponentMobility.Movable, 2)
        capsule = self.spawn(Character).CapsuleComponent
        self.assertEqual(capsule.Mobility, EComponentMobility.Movable)
        capsule.Mobility = EComponentMobility.Static
        self.assertEqual(capsule.Mobility, 0)
        self.assertEqual(self.spawn(Character).CharacterMovement.DefaultLandMovementMode,
                         EMovementMode.MOVE_Walking)
        with self.assertRaises(Exception):
            EComponentMobility.Flying

    # getattro: math structs convert to FVector/FRotator by value; writing one sticks.
    def test_math_structs_by_value(self):
        capsule = self.spawn(Character).CapsuleComponent
        capsule.RelativeRotation = FRotator(0, 0, 30)
        self.assertIsInstance(capsule.RelativeRotation, FRotator)
        scale = capsule.RelativeScale3D
        self.assertIsInstance(scale, FVector)
        scale.x = 9
        self.assertEqual(capsule.RelativeScale3D, FVector(1, 1, 1))
        capsule.RelativeScale3D = FVector(2, 2, 2)
        self.assertEqual(capsule.RelativeScale3D, FVector(2, 2, 2))

    # setattro calls PostEditChangeProperty in the editor: writing the root's RelativeLocation moves the actor.
    def test_writing_the_roots_location_moves_the_actor(self):
        character = self.spawn(Character)
        character.CapsuleComponent.RelativeLocation = FVector(11, 22, 33)
        self.assertEqual(character.get_actor_location(), FVector(11, 22, 33))

    # UEP examples/subclassing_simple_example.py: a USTRUCT property is read, changed and written back.
    def test_struct_read_modify_write(self):
        capsule = self.spawn(Character).CapsuleComponent
        body = capsule.BodyInstance
        body.CollisionProfileName = "OverlapAll"
        capsule.BodyInstance = body
        self.assertEqual(capsule.BodyInstance.CollisionProfileName, "OverlapAll")

    # getattro: object references read as the UObject or None; writing an object or None sticks.
    def test_object_references(self):
        component = self.spawn(Actor).add_actor_component(StaticMeshComponent, "Mesh")
        self.assertIsNone(component.StaticMesh)
        mesh = StaticMesh()
        component.StaticMesh = mesh
        self.assertEqual(component.StaticMesh, mesh)
        component.StaticMesh = None
        self.assertIsNone(component.StaticMesh)

    # ue_py_convert_pyobject: an object of the wrong class is refused (ValueError "invalid value for UProperty").
    def test_object_reference_of_the_wrong_class(self):
        component = self.spawn(Actor).add_actor_component(StaticMeshComponent, "Mesh")
        with self.assertRaises(ValueError):
            component.StaticMesh = Material()

    # setattro: a value that does not convert raises ValueError ("invalid value for UProperty").
    def test_wrong_value_type_raises_value_error(self):
        movement = self.spawn(Character).CharacterMovement
        with self.assertRaises(ValueError):
            movement.MaxWalkSpeed = "fast"

    # getattro: arrays read as lists (copies); writing a list replaces the array.
    def test_arrays(self):
        actor = self.spawn(Actor)
        self.assertEqual(actor.Tags, [])
        actor.Tags = ["Enemy", "Boss"]
        self.assertEqual(actor.Tags, ["Enemy", "Boss"])
        tags = actor.Tags
        tags.append("Extra")
        self.assertEqual(actor.Tags, ["Enemy", "Boss"])
        mesh = self.spawn(Character).Mesh
        mat = Material()
        mesh.OverrideMaterials = [None, mat]
        self.assertEqual(mesh.OverrideMaterials, [None, mat])

    # getattro: a name that is no property, function or method is an AttributeError.
    def test_unknown_attribute_raises_attribute_error(self):
        actor = self.spawn(Actor)
        with self.assertRaises(AttributeError):
            actor.NoSuchProperty

    # setattro: assigning to a UFUNCTION's name raises ValueError ("you cannot overwrite a UFunction").
    def test_assigning_to_a_function_raises(self):
        actor = self.spawn(Character)
        with self.assertRaises(ValueError):
            actor.Jump = 1


class TestPropertyMethods(SpawningTestCase):
    # UEPyObject.cpp py_ue_get_property(name[, index]) / py_ue_set_property(name, value[, index]).
    def test_get_and_set_property(self):
        movement = self.spawn(Character).CharacterMovement
        self.assertEqual(movement.get_property("MaxWalkSpeed"), 600.0)
        self.assertIsNone(movement.set_property("MaxWalkSpeed", 250.0))
        self.assertEqual(movement.MaxWalkSpeed, 250.0)

    # py_ue_get_property / py_ue_set_property: unknown names raise ("unable to find property X"),
    # values that do not convert raise ("unable to set property X").
    def test_property_misuse(self):
        movement = self.spawn(Character).CharacterMovement
        with self.assertRaises(Exception):
            movement.get_property("NoSuchProperty")
        with self.assertRaises(Exception):
            movement.set_property("NoSuchProperty", 1)
        with self.assertRaises(Exception):
            movement.set_property("MaxWalkSpeed", "fast")

    # py_ue_properties: the names of the class's properties, inherited ones included.
    def test_properties_lists_own_and_inherited(self):
        names = self.spawn(Character).CharacterMovement.properties()
        self.assertIsInstance(names, list)
        self.assertIn("MaxWalkSpeed", names)   # CharacterMovementComponent
        self.assertIn("Velocity", names)       # MovementComponent
        self.assertIn("bAutoActivate", names)  # ActorComponent

    # py_ue_has_property: True or False, never raises.
    def test_has_property(self):
        actor = self.spawn(Character)
        self.assertTrue(actor.has_property("CapsuleComponent"))
        self.assertTrue(actor.has_property("InitialLifeSpan"))
        self.assertFalse(actor.has_property("NoSuchProperty"))

    # py_ue_properties on a class: the class's own property names too.
    def test_properties_of_a_class(self):
        self.assertIn("CapsuleComponent", Character.properties())


class TestFunctions(SpawningTestCase):
    # UEPyObject.cpp py_ue_call_function(name, *args): runs a UFUNCTION, returns its result.
    def test_call_function(self):
        actor = self.spawn(Character, FVector(1, 2, 3))
        self.assertEqual(actor.call_function("K2_GetActorLocation"), FVector(1, 2, 3))
        actor.call_function("K2_SetActorLocation", FVector(4, 5, 6), False, False)
        self.assertEqual(actor.get_actor_location(), FVector(4, 5, 6))

    # UEPyModule.cpp getattro: a UFUNCTION is callable by attribute, also without its K2_ prefix.
    def test_functions_by_attribute(self):
        actor = self.spawn(Character, FVector(1, 2, 3))
        self.assertEqual(actor.K2_GetActorLocation(), FVector(1, 2, 3))
        self.assertEqual(actor.GetActorLocation(), FVector(1, 2, 3))
        self.assertEqual(actor.GetActorScale3D(), FVector(1, 1, 1))

    # py_ue_call_function: an unknown function raises ("unable to find function"), no name is a TypeError.
    def test_call_function_misuse(self):
        actor = self.spawn(Character)
        with self.assertRaises(Exception):
            actor.call_function("NoSuchFunction")
        with self.assertRaises(TypeError):
            actor.call_function()

    # The stand-in's contract (docs/object-schema.md): a declared function without a builtin raises
    # an error saying it is declared but not implemented, naming it.
    def test_declared_but_unimplemented_function_raises(self):
        actor = self.spawn(Character)
        with self.assertRaises(Exception) as raised:
            actor.call_function("Jump")
        self.assertIn("Jump", str(raised.exception))
        self.assertIn("not implemented", str(raised.exception))

    # py_ue_functions: the names of the class's UFUNCTIONs, inherited included.
    def test_functions_lists_names(self):
        names = self.spawn(Character).functions()
        self.assertIn("Jump", names)
        self.assertIn("K2_SetActorLocation", names)

    # py_ue_find_function: the UFunction, or None.
    def test_find_function(self):
        actor = self.spawn(Character)
        self.assertIsNotNone(actor.find_function("Jump"))
        self.assertIsNone(actor.find_function("NoSuchFunction"))


class TestClassDefaults(unittest.TestCase):
    # UEPyObject.cpp py_ue_get_cdo: the class default object carries the defaults.
    def test_get_cdo(self):
        self.assertEqual(Character.get_cdo().JumpMaxCount, 1)

    # UEPyModule.cpp ue_PyUObject_call: actor classes cannot be called
    # ("you cannot use __call__ on actors, they have to be spawned"), nor abstract ones.
    def test_calling_an_actor_or_abstract_class_raises(self):
        with self.assertRaises(Exception):
            Actor()
        with self.assertRaises(Exception):
            ue.classes.MaterialInterface()


if __name__ == "__main__":
    unittest.main(exit=False)
