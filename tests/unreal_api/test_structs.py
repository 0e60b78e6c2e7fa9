"""USTRUCTs from unreal_engine.structs: construction, fields, copies and nested writes."""

import unittest

import unreal_engine as ue
from unreal_engine.structs import (ColorMaterialInput, Key, MeshBuildSettings, StaticMeshSourceModel,
                                   Vector)


class TestStructs(unittest.TestCase):
    # UEP tests/test_structs.py test_new_struct; UEPyUScriptStruct fields(): the field names.
    def test_new_struct_fields(self):
        material_input = ColorMaterialInput()
        fields = material_input.fields()
        for name in ("Mask", "MaskR", "MaskG", "MaskB", "MaskA", "Expression", "UseConstant"):
            self.assertIn(name, fields)

    # UEP tests/test_structs.py test_new_struct_with_kwargs; UEPyModule.cpp ue_PyUObject_call on a struct.
    def test_new_struct_with_kwargs(self):
        material_input = ColorMaterialInput(Mask=1, MaskR=1, MaskG=1, MaskB=0, MaskA=1)
        self.assertEqual((material_input.Mask, material_input.MaskR, material_input.MaskG,
                          material_input.MaskB, material_input.MaskA), (1, 1, 1, 0, 1))

    # ue_PyUObject_call on a struct: an unknown field raises ("UProperty X not found").
    def test_unknown_kwarg_raises(self):
        with self.assertRaises(Exception):
            ColorMaterialInput(NoSuchField=1)

    # UEP tests/test_structs.py test_struct_set.
    def test_struct_set(self):
        material_input = ColorMaterialInput()
        material_input.MaskG = 1
        self.assertEqual(material_input.MaskG, 1)

    # UEP tests/test_structs.py test_struct_clone: clone() is an independent copy.
    def test_struct_clone(self):
        material_input = ColorMaterialInput(Mask=1, MaskR=0, MaskG=1, MaskB=0, MaskA=1)
        copy = material_input.clone()
        self.assertEqual((copy.Mask, copy.MaskR, copy.MaskG, copy.MaskB, copy.MaskA), (1, 0, 1, 0, 1))
        copy.MaskR = 1
        self.assertEqual(material_input.MaskR, 0)

    # UEP tests/test_structs.py test_cmp: structs compare by value.
    def test_cmp(self):
        self.assertEqual(Key(KeyName="SpaceBar"), Key(KeyName="SpaceBar"))
        self.assertNotEqual(Key(KeyName="SpaceBar"), Key(KeyName="Enter"))

    # UEP tests/test_structs.py test_ptr: a struct inside a struct is reached by reference, so
    # writes to its fields stick, and clone() copies them.
    def test_ptr(self):
        source_model = StaticMeshSourceModel()
        source_model.BuildSettings.bRecomputeNormals = False
        source_model.BuildSettings.bRecomputeTangents = True
        source_model.BuildSettings.bUseMikkTSpace = True
        source_model.BuildSettings.bBuildAdjacencyBuffer = True
        source_model.BuildSettings.bRemoveDegenerates = True
        copy = source_model.clone()
        self.assertEqual(copy.BuildSettings.bRecomputeNormals, False)
        self.assertEqual(copy.BuildSettings.bRecomputeTangents, True)
        self.assertEqual(copy.BuildSettings.bUseMikkTSpace, True)
        self.assertEqual(copy.BuildSettings.bBuildAdjacencyBuffer, True)
        self.assertEqual(copy.BuildSettings.bRemoveDegenerates, True)

    # FMeshBuildSettings' constructor defaults.
    def test_defaults(self):
        settings = MeshBuildSettings()
        self.assertTrue(settings.bRecomputeNormals)
        self.assertTrue(settings.bRecomputeTangents)
        self.assertTrue(settings.bUseMikkTSpace)
        self.assertTrue(settings.bRemoveDegenerates)
        self.assertTrue(settings.bBuildAdjacencyBuffer)
        self.assertEqual(settings.MinLightmapResolution, 64)

    # UEP examples/builder_nif.py: a struct is a field value of another struct's constructor.
    def test_nested_struct_kwarg(self):
        model = StaticMeshSourceModel(BuildSettings=MeshBuildSettings(bRecomputeNormals=False))
        self.assertFalse(model.BuildSettings.bRecomputeNormals)
        self.assertTrue(model.BuildSettings.bRecomputeTangents)

    # UEPyUStructsImporter: the math structs are reflected structs too; find_struct raises on unknown names.
    def test_find_struct(self):
        self.assertEqual(ue.find_struct("Vector"), Vector)
        self.assertIn("X", Vector().fields())
        with self.assertRaises(Exception):
            ue.find_struct("NoSuchStruct")
        with self.assertRaises(ImportError):
            from unreal_engine.structs import NoSuchStruct  # noqa: F401


if __name__ == "__main__":
    unittest.main(exit=False)
