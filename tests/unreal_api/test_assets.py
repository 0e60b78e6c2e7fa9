"""Objects and assets: new objects, names, packages under /Game, finding, loading, deleting."""

import unittest

import unreal_engine as ue
from unreal_engine.classes import Blueprint, Character, Material, StaticMesh, Texture2D

from uapi_support import unique


class TestNewObjects(unittest.TestCase):
    # UEP tests/test_uobject.py test_new_object; UEPyModule.cpp ue_PyUObject_call -> new_object.
    def test_calling_a_class_makes_an_object(self):
        material = Material()
        self.assertIsNotNone(material)
        self.assertTrue(material.is_a(Material))
        self.assertEqual(material.get_class(), Material)

    # ue_PyUObject_call(name, outer): Cls('', outer) as UEP examples/kaiju_builder.py does.
    def test_calling_a_class_with_name_and_outer(self):
        from unreal_engine.classes import MaterialExpressionSine
        material = Material()
        sine = MaterialExpressionSine(unique("Sine"), material)
        self.assertEqual(sine.get_outer(), material)

    # UEPyEngine.cpp py_unreal_engine_new_object(cls, outer=None, name=None): the transient package
    # is the outer when none is given.
    def test_new_object(self):
        name = unique("Tex")
        texture = ue.new_object(Texture2D, None, name)
        self.assertEqual(texture.get_name(), name)
        self.assertTrue(texture.is_a(Texture2D))
        self.assertEqual(texture.get_outer().get_name(), "/Engine/Transient")

    # py_unreal_engine_new_object: a non-class raises ("uobject is not a UClass").
    def test_new_object_of_a_non_class_raises(self):
        with self.assertRaises(Exception):
            ue.new_object(Material())

    # UEP tests/test_uobject.py test_set_name; UEPyObject.cpp py_ue_set_name returns True.
    def test_set_name(self):
        material = Material()
        name = unique("MatTest")
        self.assertTrue(material.set_name(name))
        self.assertEqual(material.get_name(), name)

    # py_ue_set_name: a name another object in the same outer has raises ("cannot set name X").
    def test_set_name_clash_raises(self):
        name = unique("MatClash")
        Material().set_name(name)
        with self.assertRaises(Exception):
            Material().set_name(name)


class TestPackages(unittest.TestCase):
    def saved_material(self):
        material = Material()
        name = unique("MatTestSaved")
        material.set_name(name)
        package = "/Game/Tests/" + unique("MaterialsTest")
        saved = material.save_package(package)
        path = f"{package}.{name}"
        self.addCleanup(self.delete_quietly, path)
        return saved, package, name, path

    def delete_quietly(self, path):
        try:
            ue.delete_asset(path)
        except Exception:
            pass

    # UEP tests/test_uobject.py test_save_package; UEPyObject.cpp py_ue_save_package(name) moves an
    # object without a package into /Game/...; the asset is then PACKAGE.NAME, and get_asset finds it.
    def test_save_package_then_get_asset(self):
        saved, package, name, path = self.saved_material()
        self.assertEqual(saved.get_name(), name)
        self.assertEqual(saved.get_path_name(), path)
        self.assertEqual(saved.get_outermost().get_name(), package)
        self.assertEqual(ue.get_asset(path), saved)

    # py_ue_save_package without a name: an object already in a package saves there again;
    # one in no package raises ("the object has no associated package, please specify a name").
    def test_save_package_without_a_name(self):
        saved, _, _, path = self.saved_material()
        self.assertEqual(saved.save_package(), saved)
        with self.assertRaises(Exception):
            Material().save_package()

    # UEPyEditor.cpp py_unreal_engine_get_asset: an unknown path raises ("unable to find asset X");
    # py_unreal_engine_find_asset returns None instead.
    def test_get_asset_of_an_unknown_path_raises(self):
        with self.assertRaises(Exception):
            ue.get_asset("/Game/NoSuch/Asset.Asset")
        self.assertIsNone(ue.find_asset("/Game/NoSuch/Asset.Asset"))

    # UEPyEngine.cpp py_unreal_engine_find_object: finds a loaded object by name; raises when none.
    def test_find_object(self):
        saved, _, name, _ = self.saved_material()
        self.assertEqual(ue.find_object(name), saved)
        with self.assertRaises(Exception):
            ue.find_object(unique("NoSuchObject"))

    # UEPyEngine.cpp py_unreal_engine_load_object(cls, path): the asset at path if of that class;
    # otherwise raises ("unable to load object X"). The class must be a class ("argument is not a UClass").
    def test_load_object(self):
        saved, _, _, path = self.saved_material()
        self.assertEqual(ue.load_object(Material, path), saved)
        with self.assertRaises(Exception):
            ue.load_object(StaticMesh, path)
        with self.assertRaises(Exception):
            ue.load_object(Material, "/Game/NoSuch/Asset.Asset")
        with self.assertRaises(Exception):
            ue.load_object(saved, path)

    # UEPyEditor.cpp py_unreal_engine_delete_asset(path) returns None; the asset is gone after;
    # deleting an unknown path raises ("unable to find asset X").
    def test_delete_asset(self):
        _, _, _, path = self.saved_material()
        self.assertIsNone(ue.delete_asset(path))
        with self.assertRaises(Exception):
            ue.get_asset(path)
        with self.assertRaises(Exception):
            ue.delete_asset(path)

    # UEPyEditor.cpp py_unreal_engine_get_assets(path[, recursive]): the assets in a /Game folder.
    def test_get_assets(self):
        saved, package, _, _ = self.saved_material()
        folder = package.rsplit("/", 1)[0]
        self.assertIn(saved, ue.get_assets(folder))

    # UEPyEditor.cpp py_unreal_engine_get_assets_by_class(class name): by the class's name.
    def test_get_assets_by_class(self):
        saved, _, _, _ = self.saved_material()
        self.assertIn(saved, ue.get_assets_by_class("Material"))


class TestBlueprints(unittest.TestCase):
    # UEP tests/test_blueprint.py test_creation/test_spawn: create_blueprint(parent, path) makes a
    # Blueprint whose ParentClass is the parent and whose GeneratedClass spawns actors of it.
    def test_create_blueprint(self):
        path = "/Game/Tests/Blueprints/" + unique("Test0")
        blueprint = ue.create_blueprint(Character, path)
        self.addCleanup(lambda: ue.delete_asset(blueprint.get_path_name()))
        self.assertTrue(blueprint.is_a(Blueprint))
        self.assertEqual(blueprint.ParentClass, Character)
        generated = blueprint.GeneratedClass
        self.assertTrue(generated.is_child_of(Character))
        actor = ue.get_editor_world().actor_spawn(generated)
        self.addCleanup(actor.actor_destroy)
        self.assertTrue(actor.is_a(Character))
        self.assertEqual(actor.get_class(), generated)


if __name__ == "__main__":
    unittest.main(exit=False)
