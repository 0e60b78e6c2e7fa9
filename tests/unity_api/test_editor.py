"""UnityEditor: selection, menu items, progress bars, the asset database."""

import os
import unittest

import System
import UnityEditor
import UnityEngine
import _unity_scene
from UnityEditor import AssetDatabase, EditorApplication, EditorUtility, Selection
from UnityEngine import Debug, GameObject, Object


class Editor(unittest.TestCase):
    def tearDown(self):
        Selection.objects = []
        for go in Object.FindObjectsOfType(GameObject, True):
            if go and go.name.startswith("t_") or go and go.name in ("GameObject", "Cube"):
                Object.DestroyImmediate(go)

    def test_selection(self):
        a, b = GameObject("t_a"), GameObject("t_b")
        Selection.activeGameObject = a
        self.assertIs(Selection.activeGameObject, a)
        self.assertEqual(Selection.instanceIDs, [a.GetInstanceID()])
        Selection.instanceIDs = System.Array[int]([b.GetInstanceID(), a.GetInstanceID(), 12345])
        self.assertEqual(Selection.objects, [b, a])
        self.assertIs(Selection.activeTransform, b.transform)
        Object.DestroyImmediate(b)
        self.assertEqual(Selection.objects, [a])

    def test_menu_items(self):
        self.assertTrue(EditorApplication.ExecuteMenuItem("GameObject/3D Object/Cube"))
        self.assertEqual(Selection.activeGameObject.name, "Cube")
        self.assertFalse(EditorApplication.ExecuteMenuItem("Window/Nope"))
        self.assertFalse(EditorApplication.isPlaying)

    def test_asset_database(self):
        guids = AssetDatabase.FindAssets("t:MonoScript")
        self.assertEqual(guids, ["0123456789abcdef0123456789abcdef"])
        self.assertEqual(AssetDatabase.GUIDToAssetPath(guids[0]), "Assets/Scripts/Spinner.cs")
        self.assertEqual([AssetDatabase.GUIDToAssetPath(g) for g in AssetDatabase.FindAssets(
            "spin")], ["Assets/Data/spin_config.json", "Assets/Scripts/Spinner.cs"])
        self.assertEqual(len(AssetDatabase.FindAssets("t:GameObject")), 1)
        text = AssetDatabase.LoadAssetAtPath("Assets/Data/spin_config.json", UnityEngine.TextAsset)
        self.assertEqual(text.name, "spin_config")
        self.assertIs(AssetDatabase.LoadAssetAtPath("Assets/Data/spin_config.json",
                                                    UnityEngine.TextAsset), text)
        self.assertIsNone(AssetDatabase.LoadAssetAtPath("Assets/Data/spin_config.json",
                                                        UnityEngine.Texture2D))
        self.assertIsNone(AssetDatabase.LoadAssetAtPath("Assets/missing.txt",
                                                        UnityEngine.TextAsset))
        self.assertTrue(AssetDatabase.IsValidFolder("Assets/Data"))

    def test_refresh_sees_new_files(self):
        path = os.path.join(UnityEngine.Application.dataPath, "Data", "late.txt")
        with open(path, "w") as f:
            f.write("late")
        self.assertEqual(AssetDatabase.FindAssets("late"), [])
        AssetDatabase.Refresh()
        self.assertEqual(len(AssetDatabase.FindAssets("late t:TextAsset")), 1)

    def test_debug_log_needs_no_main_thread(self):
        import threading
        errors = []

        def log():
            try:
                Debug.Log("from a worker")
            except Exception as e:  # noqa: BLE001 (the test reports it)
                errors.append(e)

        worker = threading.Thread(target=log)
        worker.start()
        worker.join(10)
        self.assertEqual(errors, [])

    def test_application(self):
        self.assertTrue(UnityEngine.Application.dataPath.endswith("/Assets"))
        self.assertEqual(_unity_scene.project_dir() + "/Assets", UnityEngine.Application.dataPath)
        self.assertIsNotNone(UnityEditor.Selection)


class SystemAndClr(unittest.TestCase):
    def test_typed_arrays(self):
        ids = System.Array[int]([1, 2, 3])
        self.assertEqual(ids.Length, 3)
        self.assertEqual(list(ids), [1, 2, 3])
        with self.assertRaisesRegex(TypeError, "System.Array\\[int\\]"):
            System.Array[int](["x"])
        with self.assertRaises(TypeError):
            ids.append(4)
        self.assertEqual(list(System.Array.CreateInstance(System.Int32, 2)), [0, 0])

    def test_add_reference(self):
        import clr
        self.assertIn("UnityEngine", clr.AddReference("UnityEngine").FullName)
        clr.AddReference("Studio.Gameplay")
        with self.assertRaisesRegex(FileNotFoundError, "Unable to find assembly 'Nope'"):
            clr.AddReference("Nope")

    def test_add_reference_of_a_declared_assembly(self):
        import clr
        # A class's `assembly` is what AddReference takes, without case as .NET
        # compares assembly names; its namespace then is no assembly name.
        self.assertIn("Studio-Editor", clr.AddReference("studio-editor").FullName)
        self.assertEqual(clr.FindAssembly("STUDIO-EDITOR"), "Studio-Editor")
        with self.assertRaisesRegex(FileNotFoundError,
                                    "Unable to find assembly 'Studio.Editor.Build'"):
            clr.AddReference("Studio.Editor.Build")


class ProjectClasses(unittest.TestCase):
    def test_declared_namespace_classes(self):
        from Studio.Gameplay import Spinner
        from Studio.Tools import LevelMarker
        go = GameObject("t_spinning")
        spinner = go.AddComponent(Spinner)
        self.assertEqual(spinner.degreesPerSecond, 90.0)
        self.assertEqual(spinner.axis, UnityEngine.Vector3.up)
        spinner.target = go.transform
        self.assertIs(spinner.target, go.transform)
        self.assertIs(go.GetComponent(UnityEngine.MonoBehaviour), spinner)
        self.assertEqual(go.AddComponent(LevelMarker).tint, UnityEngine.Color(1, 0.5, 0, 1))
        self.assertIn("Studio.Gameplay.Spinner", str(spinner))
        Object.DestroyImmediate(go)

    def test_static_properties_are_read_and_written_on_the_class(self):
        from Studio.Editor.Build import BuildSettings
        try:
            self.assertIs(BuildSettings.verbose, False)
            self.assertEqual((BuildSettings.retries, BuildSettings.outputFolder), (3, "Builds"))
            BuildSettings.verbose = True
            BuildSettings.retries = 5
            BuildSettings.origin = UnityEngine.Vector3(1, 2, 3)
            go = GameObject("t_built")
            BuildSettings.lastBuilt = go
            from Studio.Editor import Build  # one class object: the value is the class's
            self.assertIs(Build.BuildSettings.verbose, True)
            self.assertEqual(BuildSettings.retries, 5)
            self.assertEqual(BuildSettings.origin, UnityEngine.Vector3(1, 2, 3))
            self.assertIs(BuildSettings.lastBuilt, go)
            self.assertEqual(_unity_scene.get_static("BuildSettings", "retries"), 5)
        finally:
            BuildSettings.verbose = False
            BuildSettings.retries = 3
            BuildSettings.lastBuilt = None

    def test_static_properties_check_their_types(self):
        from Studio.Editor.Build import BuildSettings
        with self.assertRaisesRegex(TypeError, "BuildSettings.verbose: expected bool, got int"):
            BuildSettings.verbose = 1
        with self.assertRaisesRegex(TypeError, "BuildSettings.outputFolder: expected str"):
            BuildSettings.outputFolder = 7
        with self.assertRaisesRegex(TypeError, "BuildSettings.origin: expected a Vector3"):
            BuildSettings.origin = (1, 2, 3)
        with self.assertRaisesRegex(TypeError, "BuildSettings.lastBuilt: expected a GameObject "
                                    "or None, got int"):
            BuildSettings.lastBuilt = 5
        with self.assertRaisesRegex(TypeError, "expected a GameObject or None, got Camera"):
            BuildSettings.lastBuilt = UnityEngine.Camera.main
        self.assertEqual((BuildSettings.verbose, BuildSettings.outputFolder), (False, "Builds"))
        self.assertIsNone(BuildSettings.lastBuilt)
        with self.assertRaisesRegex(TypeError, "cannot be constructed"):
            BuildSettings()
        with self.assertRaisesRegex(AttributeError, "no static property 'nope'"):
            _unity_scene.get_static("BuildSettings", "nope")
