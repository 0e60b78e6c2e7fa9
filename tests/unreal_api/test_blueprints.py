"""Blueprints: create_blueprint's asset and generated class, spawning it, its
class default object, member variables and components compiled into it."""

import unittest

import unreal_engine as ue
from unreal_engine import FVector
from unreal_engine.classes import (Actor, Blueprint, BlueprintFactory, Character, Material,
                                   MaterialFactoryNew, Pawn, PawnSensingComponent,
                                   PointLightComponent, Texture2D)
from unreal_engine.structs import EdGraphPinType, Vector

from uapi_support import SpawningTestCase, unique


def new_blueprint(parent, prefix="BP"):
    name = unique(prefix)
    return ue.create_blueprint(parent, f"/Game/Tests/Blueprints/{name}"), name


class TestCreateBlueprint(SpawningTestCase):
    # UEP tests/test_blueprint.py test_creation: the asset's ParentClass is the parent.
    def test_the_blueprint_records_its_parent(self):
        bp, _ = new_blueprint(Actor)
        self.assertTrue(bp.is_a(Blueprint))
        self.assertEqual(bp.ParentClass, Actor)
        self.assertNotEqual(bp.ParentClass, Character)

    # UEPyEditor.cpp py_unreal_engine_create_blueprint: FKismetEditorUtilities::CreateBlueprint
    # in the package named, the asset named after its last part, the class "<Name>_C".
    def test_the_asset_lives_in_its_package_and_generates_name_c(self):
        bp, name = new_blueprint(Character)
        self.assertEqual(bp.get_path_name(), f"/Game/Tests/Blueprints/{name}.{name}")
        self.assertEqual(ue.get_asset(f"/Game/Tests/Blueprints/{name}.{name}"), bp)
        cls = bp.GeneratedClass
        self.assertEqual(cls.get_name(), f"{name}_C")
        self.assertEqual(cls.get_path_name(), f"/Game/Tests/Blueprints/{name}.{name}_C")
        self.assertEqual(cls.get_super_class(), Character)
        self.assertTrue(cls.is_child_of(Pawn))
        self.assertEqual(len(bp.UberGraphPages), 1, "UE makes an EventGraph")

    # The generated class is a class like the schema's: found by name and by path.
    def test_the_generated_class_is_found_by_name_and_path(self):
        bp, name = new_blueprint(Actor)
        path = f"/Game/Tests/Blueprints/{name}.{name}_C"
        self.assertIs(ue.find_class(f"{name}_C"), bp.GeneratedClass)
        self.assertIs(ue.load_class(path), bp.GeneratedClass)
        self.assertIs(ue.find_object(path), bp.GeneratedClass)
        self.assertIs(getattr(ue.classes, f"{name}_C"), bp.GeneratedClass)
        self.assertIn(bp.GeneratedClass, ue.all_classes())

    # A second Blueprint at the same path is refused, as the editor refuses it.
    def test_a_taken_path_raises(self):
        bp, name = new_blueprint(Actor)
        with self.assertRaises(RuntimeError):
            ue.create_blueprint(Actor, f"/Game/Tests/Blueprints/{name}")

    # UEP: the parent is a UClass, never its name.
    def test_the_parent_must_be_a_class(self):
        with self.assertRaises(TypeError):
            ue.create_blueprint("Actor", "/Game/Tests/Blueprints/" + unique("BP"))
        with self.assertRaises(ValueError):
            ue.create_blueprint(Actor, "Game/NoLeadingSlash")

    # A Blueprint of a Blueprint: the generated classes chain.
    def test_a_blueprint_may_derive_from_a_blueprint(self):
        base, _ = new_blueprint(Character, "Base")
        derived, _ = new_blueprint(base.GeneratedClass, "Derived")
        self.assertTrue(derived.GeneratedClass.is_child_of(base.GeneratedClass))
        actor = self.spawn(derived.GeneratedClass)
        self.assertTrue(actor.is_a(Character))


class TestSpawnBlueprint(SpawningTestCase):
    # UEP tests/test_blueprint.py test_spawn.
    def test_spawning_the_generated_class_gives_the_parents_components(self):
        bp, _ = new_blueprint(Character)
        actor = self.spawn(bp.GeneratedClass, FVector(1, 2, 3))
        self.assertTrue(actor.is_a(Character))
        self.assertEqual(actor.get_class(), bp.GeneratedClass)
        self.assertEqual(actor.get_actor_location(), FVector(1, 2, 3))
        self.assertIsNotNone(actor.Mesh)
        self.assertEqual(actor.get_actor_root_component(), actor.CapsuleComponent)

    # kaiju_builder.py: the class default object's components configure every new actor.
    def test_the_class_default_objects_components_configure_new_actors(self):
        bp, _ = new_blueprint(Character)
        cdo = bp.GeneratedClass.get_cdo()
        cdo.CapsuleComponent.CapsuleHalfHeight = 150
        cdo.CapsuleComponent.CapsuleRadius = 50
        cdo.InitialLifeSpan = 9.0
        actor = self.spawn(bp.GeneratedClass)
        self.assertEqual(actor.CapsuleComponent.CapsuleHalfHeight, 150)
        self.assertEqual(actor.CapsuleComponent.CapsuleRadius, 50)
        self.assertEqual(actor.InitialLifeSpan, 9.0)
        self.assertEqual(actor.CapsuleComponent.get_owner(), actor)

    # A Blueprint of a non-actor class is no actor class.
    def test_spawning_a_non_actor_blueprint_raises(self):
        bp, _ = new_blueprint(Material)
        with self.assertRaises(ValueError):
            self.world.actor_spawn(bp.GeneratedClass)


class TestMemberVariables(SpawningTestCase):
    # UEP tests/test_blueprint.py test_variable.
    def test_a_compiled_variable_is_a_property_of_new_actors(self):
        bp, _ = new_blueprint(Character)
        self.assertTrue(ue.blueprint_add_member_variable(bp, "TestValue", "int"))
        ue.compile_blueprint(bp)
        actor = self.spawn(bp.GeneratedClass)
        actor.TestValue = 17
        self.assertEqual(actor.get_property("TestValue"), 17)
        self.assertIn("TestValue", bp.GeneratedClass.properties())

    # UE: the variable belongs to the class once compiled, not before.
    def test_the_variable_waits_for_the_compile(self):
        bp, _ = new_blueprint(Actor)
        ue.blueprint_add_member_variable(bp, "Speed", "float", None, "2.5")
        self.assertFalse(bp.GeneratedClass.get_cdo().has_property("Speed"))
        self.assertEqual(bp.NewVariables[0].VarName, "Speed")
        ue.compile_blueprint(bp)
        self.assertEqual(self.spawn(bp.GeneratedClass).Speed, 2.5)

    # UE reinstances on compile: objects made before get the new variable's default.
    def test_compiling_extends_existing_objects(self):
        bp, _ = new_blueprint(Actor)
        cdo = bp.GeneratedClass.get_cdo()
        cdo.InitialLifeSpan = 3.0  # the CDO now holds values of its own
        before = self.spawn(bp.GeneratedClass)
        before.bHidden = True
        ue.blueprint_add_member_variable(bp, "Health", "int", None, "100")
        ue.compile_blueprint(bp)
        self.assertEqual(before.Health, 100)
        self.assertEqual(cdo.Health, 100)
        self.assertEqual(cdo.InitialLifeSpan, 3.0)

    # UEPyEditor.cpp: is_array makes an array variable.
    def test_an_array_variable(self):
        bp, _ = new_blueprint(Actor)
        ue.blueprint_add_member_variable(bp, "Names", "string", True)
        ue.compile_blueprint(bp)
        actor = self.spawn(bp.GeneratedClass)
        actor.Names = ["a", "b"]
        self.assertEqual(actor.Names, ["a", "b"])

    def test_a_variable_declared_twice_raises(self):
        bp, _ = new_blueprint(Actor)
        ue.blueprint_add_member_variable(bp, "Speed", "float")
        with self.assertRaises(RuntimeError):
            ue.blueprint_add_member_variable(bp, "Speed", "int")
        with self.assertRaises(RuntimeError):
            ue.blueprint_add_member_variable(bp, "Tags", "int")  # Actor has Tags

    def test_an_unknown_pin_category_raises(self):
        bp, _ = new_blueprint(Actor)
        with self.assertRaises(ValueError):
            ue.blueprint_add_member_variable(bp, "Speed", "flaot")

    # What is not emulated says so.
    def test_struct_pins_are_not_emulated(self):
        bp, _ = new_blueprint(Actor)
        with self.assertRaises(NotImplementedError):
            ue.blueprint_add_member_variable(bp, "Where", "struct")
        with self.assertRaises(NotImplementedError):
            EdGraphPinType(PinCategory="struct", PinSubCategoryObject=Vector)

    # UE's object pin names its class in PinSubCategoryObject; a bare 'object' has none.
    def test_an_object_pin_without_its_class_raises(self):
        bp, _ = new_blueprint(Actor)
        with self.assertRaises(ValueError) as raised:
            ue.blueprint_add_member_variable(bp, "Target", "object")
        self.assertIn("PinSubCategoryObject", str(raised.exception))

    # examples/blueprint_variables.py: EdGraphPinType(PinCategory='object', PinSubCategoryObject=
    # Material) makes an object reference property of that class, None by default.
    def test_an_object_variable_references_objects_of_its_class(self):
        bp, _ = new_blueprint(Actor)
        pin = EdGraphPinType(PinCategory="object", PinSubCategoryObject=Material)
        self.assertEqual(pin.PinSubCategoryObject, Material)
        self.assertTrue(ue.blueprint_add_member_variable(bp, "TestMat", pin))
        ue.compile_blueprint(bp)
        self.assertEqual(bp.NewVariables[0].VarType.PinSubCategoryObject, Material)
        actor = self.spawn(bp.GeneratedClass)
        self.assertIsNone(actor.TestMat)
        material = Material()
        actor.TestMat = material
        self.assertIs(actor.TestMat, material)
        self.assertIs(actor.get_property("TestMat"), material)
        # UEP's set_property says "invalid value for UProperty" (a ValueError here).
        with self.assertRaises(ValueError) as raised:
            actor.TestMat = Texture2D()
        self.assertIn("expected an object of class Material, got a Texture2D", str(raised.exception))
        with self.assertRaises(ValueError):
            actor.TestMat = 3
        self.assertIs(actor.TestMat, material, "a refused assignment changes nothing")
        actor.TestMat = None
        self.assertIsNone(actor.TestMat)

    # A subclass of the pin's class is one of its objects.
    def test_an_object_variable_takes_objects_of_subclasses(self):
        bp, _ = new_blueprint(Actor)
        pin = EdGraphPinType(PinCategory="object", PinSubCategoryObject=Actor)
        ue.blueprint_add_member_variable(bp, "Buddy", pin)
        ue.compile_blueprint(bp)
        actor = self.spawn(bp.GeneratedClass)
        buddy = self.spawn(Character)
        actor.Buddy = buddy
        self.assertIs(actor.Buddy, buddy)

    # The editor's default of an object variable is the object's path.
    def test_an_object_variables_default_is_an_objects_path(self):
        name = unique("DefaultMat")
        material = ue.new_object(Material, ue.get_transient_package(), name)
        bp, _ = new_blueprint(Actor)
        pin = EdGraphPinType(PinCategory="object", PinSubCategoryObject=Material)
        ue.blueprint_add_member_variable(bp, "Skin", pin, None, material.get_path_name())
        ue.compile_blueprint(bp)
        self.assertIs(self.spawn(bp.GeneratedClass).Skin, material)
        with self.assertRaises(ValueError):
            ue.blueprint_add_member_variable(bp, "Missing", pin, None, "/Game/NoSuch.NoSuch")
        with self.assertRaises(TypeError):
            ue.blueprint_add_member_variable(
                bp, "Wrong", EdGraphPinType(PinCategory="object", PinSubCategoryObject=Texture2D),
                None, material.get_path_name())

    # examples/blueprint_variables.py: a 'class' pin makes a class reference (TSubclassOf).
    def test_a_class_variable_references_subclasses(self):
        bp, _ = new_blueprint(Actor)
        pin = EdGraphPinType(PinCategory="class", PinSubCategoryObject=Actor)
        ue.blueprint_add_member_variable(bp, "SpawnClass", pin)
        ue.blueprint_add_member_variable(
            bp, "Fallback", EdGraphPinType(PinCategory="class", PinSubCategoryObject=Pawn), None,
            "/Script/Engine.Character")
        ue.compile_blueprint(bp)
        actor = self.spawn(bp.GeneratedClass)
        self.assertIsNone(actor.SpawnClass)
        self.assertEqual(actor.Fallback, Character)
        actor.SpawnClass = Character
        self.assertEqual(actor.SpawnClass, Character)
        with self.assertRaises(ValueError) as raised:
            actor.SpawnClass = Material
        self.assertIn("expected a subclass of Actor, got Material", str(raised.exception))
        with self.assertRaises(ValueError):
            actor.SpawnClass = self.spawn(Actor)

    # is_array makes an array of references, each type-checked.
    def test_an_object_array_variable(self):
        bp, _ = new_blueprint(Actor)
        pin = EdGraphPinType(PinCategory="object", PinSubCategoryObject=Material)
        ue.blueprint_add_member_variable(bp, "Skins", pin, True)
        ue.compile_blueprint(bp)
        actor = self.spawn(bp.GeneratedClass)
        self.assertEqual(actor.Skins, [])
        first, second = Material(), Material()
        actor.Skins = [first, second]
        self.assertEqual(actor.Skins, [first, second])
        with self.assertRaises(ValueError):
            actor.Skins = [first, Texture2D()]
        self.assertEqual(actor.Skins, [first, second])

    # UEPyEditor.cpp py_unreal_engine_blueprint_set_variable_visibility: CPF_DisableEditOnInstance.
    def test_visibility_sets_the_variables_flags(self):
        bp, _ = new_blueprint(Pawn)
        ue.blueprint_add_member_variable(bp, "SightPower", "float")
        ue.blueprint_set_variable_visibility(bp, "SightPower", False)
        self.assertEqual(bp.NewVariables[0].PropertyFlags & 0x10000, 0x10000)
        ue.blueprint_set_variable_visibility(bp, "SightPower", True)
        self.assertEqual(bp.NewVariables[0].PropertyFlags & 0x10000, 0)
        with self.assertRaises(RuntimeError):
            ue.blueprint_set_variable_visibility(bp, "NoSuchVariable", True)


class TestBlueprintComponents(SpawningTestCase):
    # editor_scripting001.py: add_component_to_blueprint returns the template; new actors get
    # a component of that name, configured as the template is.
    def test_new_actors_get_the_components_configured_as_the_template(self):
        bp, _ = new_blueprint(Pawn)
        ue.add_component_to_blueprint(bp, PawnSensingComponent, "Eyes")
        light = ue.add_component_to_blueprint(bp, PointLightComponent, "Light")
        self.assertTrue(light.is_a(PointLightComponent))
        light.SourceRadius = 12.0
        ue.compile_blueprint(bp)
        actor = self.spawn(bp.GeneratedClass)
        self.assertTrue(actor.get_actor_component("Eyes").is_a(PawnSensingComponent))
        spawned_light = actor.get_actor_component("Light")
        self.assertEqual(spawned_light.SourceRadius, 12.0)
        self.assertEqual(spawned_light.get_owner(), actor)

    # UE's construction script: the first scene component of a rootless class is its root.
    def test_the_first_scene_component_of_an_actor_is_its_root(self):
        bp, _ = new_blueprint(Actor)
        ue.add_component_to_blueprint(bp, PointLightComponent, "Light")
        ue.add_component_to_blueprint(bp, PointLightComponent, "Fill", "Light")
        actor = self.spawn(bp.GeneratedClass, FVector(5, 0, 0))
        root = actor.get_actor_root_component()
        self.assertEqual(root.get_name(), "Light")
        self.assertEqual(actor.get_actor_component("Fill").get_attach_parent(), root)
        self.assertEqual(actor.get_actor_location(), FVector(5, 0, 0))

    def test_only_actor_blueprints_take_components(self):
        bp, _ = new_blueprint(Material)
        with self.assertRaises(TypeError):
            ue.add_component_to_blueprint(bp, PointLightComponent, "Light")
        actor_bp, _ = new_blueprint(Actor)
        with self.assertRaises(TypeError):
            ue.add_component_to_blueprint(actor_bp, Material, "NotAComponent")
        with self.assertRaises(ValueError):
            ue.add_component_to_blueprint(actor_bp, PointLightComponent, "Light", "NoSuchParent")


class TestDeleteBlueprint(SpawningTestCase):
    # UE's ObjectTools::DeleteObjects takes the generated class along with its Blueprint (the
    # class moves to the transient package as TRASH_<Name>_C): a Blueprint made at the same
    # path again registers a class of its own.
    def test_deleting_unregisters_the_class_and_the_path_can_be_used_again(self):
        bp, name = new_blueprint(Actor, "Deleted")
        old_class = bp.GeneratedClass
        ue.delete_asset(bp.get_path_name())
        with self.assertRaises(Exception):
            ue.find_class(f"{name}_C")
        with self.assertRaises(AttributeError):
            getattr(ue.classes, f"{name}_C")
        with self.assertRaises(RuntimeError):
            ue.find_object(f"/Game/Tests/Blueprints/{name}.{name}_C")
        self.assertNotIn(old_class, ue.all_classes())
        again = ue.create_blueprint(Character, f"/Game/Tests/Blueprints/{name}")
        self.assertIsNot(again.GeneratedClass, old_class)
        self.assertIs(ue.find_class(f"{name}_C"), again.GeneratedClass)
        self.assertEqual(again.GeneratedClass.get_super_class(), Character)
        self.assertTrue(self.spawn(again.GeneratedClass).is_a(Character))

    # Actors of a deleted Blueprint's class live on with the retired class, as UE's keep their
    # TRASH_ class; a stale reference to it makes nothing new, and says why.
    def test_live_actors_keep_the_deleted_class_and_spawning_from_it_raises(self):
        bp, name = new_blueprint(Actor, "Stale")
        ue.blueprint_add_member_variable(bp, "Health", "int", None, "40")
        ue.compile_blueprint(bp)
        old_class = bp.GeneratedClass
        cdo = old_class.get_cdo()
        actor = self.spawn(old_class)
        path = bp.get_path_name()
        ue.delete_asset(path)
        self.assertTrue(actor.is_valid())
        self.assertEqual(actor.get_class(), old_class)
        self.assertEqual(actor.Health, 40)
        self.assertFalse(cdo.is_valid(), "the class default object goes with its class")
        with self.assertRaises(RuntimeError) as raised:
            self.world.actor_spawn(old_class)
        self.assertIn(f"{name}_C", str(raised.exception))
        self.assertIn(f"deleted with the Blueprint {path}", str(raised.exception))
        with self.assertRaises(RuntimeError):
            old_class.get_cdo()

    # Objects that are not actors: new_object from a stale class raises as spawning does.
    def test_new_object_of_a_deleted_class_raises(self):
        bp, name = new_blueprint(Material, "StaleMaterial")
        old_class = bp.GeneratedClass
        ue.delete_asset(bp.get_path_name())
        with self.assertRaises(RuntimeError) as raised:
            ue.new_object(old_class)
        self.assertIn(f"{name}_C", str(raised.exception))
        self.assertIn("deleted with the Blueprint", str(raised.exception))

    # A Blueprint another class derives from stays: the child would lose its parent.
    def test_a_blueprint_with_a_derived_class_is_not_deleted(self):
        base, base_name = new_blueprint(Actor, "Parent")
        derived, derived_name = new_blueprint(base.GeneratedClass, "Child")
        with self.assertRaises(RuntimeError) as raised:
            ue.delete_asset(base.get_path_name())
        self.assertIn(f"{derived_name}_C", str(raised.exception))
        self.assertIs(ue.find_class(f"{base_name}_C"), base.GeneratedClass)
        self.assertIs(ue.get_asset(base.get_path_name()), base)
        ue.delete_asset(derived.get_path_name())
        ue.delete_asset(base.get_path_name())
        with self.assertRaises(Exception):
            ue.find_class(f"{base_name}_C")


class TestBlueprintFactory(SpawningTestCase):
    # blueprint_example_generator.py: BlueprintFactory().factory_create_new(path) makes a
    # Blueprint of its ParentClass (UBlueprintFactory's default: Actor).
    def test_the_factory_makes_a_blueprint_of_its_parent_class(self):
        name = unique("Factory")
        bp = BlueprintFactory().factory_create_new(f"/Game/Tests/Blueprints/{name}")
        self.assertTrue(bp.is_a(Blueprint))
        self.assertEqual(bp.ParentClass, Actor)
        self.assertEqual(bp.get_path_name(), f"/Game/Tests/Blueprints/{name}.{name}")
        factory = BlueprintFactory(ParentClass=Pawn)
        pawn_bp = factory.factory_create_new("/Game/Tests/Blueprints/" + unique("Factory"))
        self.assertTrue(self.spawn(pawn_bp.GeneratedClass).is_a(Pawn))

    # Factories Understudy does not run say so.
    def test_other_factories_are_not_emulated(self):
        with self.assertRaises(NotImplementedError):
            MaterialFactoryNew().factory_create_new("/Game/Tests/" + unique("Material"))


class TestEditorScriptExecution(unittest.TestCase):
    # UEP tests/test_blueprint.py tearDown: accepted (Understudy runs no Blueprint script).
    def test_allow_actor_script_execution_in_editor_is_accepted(self):
        ue.allow_actor_script_execution_in_editor(True)
        ue.allow_actor_script_execution_in_editor(False)


if __name__ == "__main__":
    unittest.main()
