"""GameObject, Transform, components and Object as Unity's editor has them."""

import threading
import unittest

import UnityEngine
from UnityEngine import (Camera, GameObject, MeshFilter, Object, PrimitiveType, Quaternion,
                         Transform, Vector3)


def close(a, b, places=4):
    return all(abs(x - y) < 10 ** -places for x, y in zip(a, b))


class GameObjects(unittest.TestCase):
    def tearDown(self):
        for go in Object.FindObjectsOfType(GameObject, True):
            if go and go.name.startswith("t_"):
                Object.DestroyImmediate(go)

    def test_create_primitive_rename_find(self):
        go = GameObject.CreatePrimitive(PrimitiveType.Cylinder)
        self.assertEqual(go.name, "Cylinder")
        go.name = "t_myCylinder"
        self.assertIs(GameObject.Find("t_myCylinder"), go)
        kinds = [type(c).__name__ for c in go.GetComponents(UnityEngine.Component)]
        self.assertEqual(kinds, ["Transform", "MeshFilter", "MeshRenderer", "CapsuleCollider"])
        self.assertEqual(go.GetComponent(MeshFilter).sharedMesh, "Cylinder")

    def test_primitives_get_their_collider(self):
        colliders = {"Cube": "BoxCollider", "Sphere": "SphereCollider", "Plane": "MeshCollider"}
        for kind, collider in colliders.items():
            go = GameObject.CreatePrimitive(getattr(PrimitiveType, kind))
            go.name = "t_" + kind
            self.assertIsNotNone(go.GetComponent(collider), kind)

    def test_find_skips_inactive_and_follows_paths(self):
        parent = GameObject("t_parent")
        child = GameObject("t_child")
        child.transform.SetParent(parent.transform)
        self.assertIs(GameObject.Find("t_parent/t_child"), child)
        self.assertIsNone(GameObject.Find("/t_child"))
        self.assertIsNone(GameObject.Find("t_other/t_child"))
        parent.SetActive(False)
        self.assertFalse(child.activeInHierarchy)
        self.assertTrue(child.activeSelf)
        self.assertIsNone(GameObject.Find("t_child"))

    def test_names_need_not_be_unique(self):
        first, second = GameObject("t_same"), GameObject("t_same")
        self.assertIsNot(first, second)
        self.assertIs(GameObject.Find("t_same"), first)
        self.assertNotEqual(first.GetInstanceID(), second.GetInstanceID())

    def test_tags(self):
        go = GameObject("t_tagged")
        self.assertEqual(go.tag, "Untagged")
        go.tag = "Player"
        self.assertTrue(go.CompareTag("Player"))
        self.assertIn(go, GameObject.FindGameObjectsWithTag("Player"))
        with self.assertRaisesRegex(UnityEngine.UnityException, "Tag: Nope is not defined"):
            go.tag = "Nope"

    def test_add_and_get_components(self):
        go = GameObject("t_cam")
        camera = go.AddComponent(Camera)
        self.assertIs(go.GetComponent(Camera), camera)
        self.assertIs(camera.gameObject, go)
        self.assertEqual(camera.name, "t_cam")
        self.assertEqual(camera.fieldOfView, 60.0)
        camera.fieldOfView = 45.5
        self.assertEqual(camera.fieldOfView, 45.5)
        self.assertIn(camera, Camera.allCameras)
        camera.enabled = False
        self.assertNotIn(camera, Camera.allCameras)
        with self.assertRaises(UnityEngine.UnityException):
            go.AddComponent(Transform)

    def test_default_scene_has_a_main_camera(self):
        self.assertEqual(Camera.main.gameObject.name, "Main Camera")
        self.assertTrue(close(Camera.main.transform.position, (0, 1, -10)))
        light = GameObject.Find("Directional Light")
        self.assertTrue(close(light.transform.eulerAngles, (50, 330, 0), 3))

    def test_destroy_is_fake_null(self):
        go = GameObject("t_doomed")
        child = GameObject("t_doomed_child")
        child.transform.parent = go.transform
        Object.DestroyImmediate(go)
        self.assertTrue(go == None)  # noqa: E711 (Unity's fake null)
        self.assertFalse(child)
        self.assertIsNone(GameObject.Find("t_doomed"))
        with self.assertRaisesRegex(UnityEngine.MissingReferenceException, "destroyed"):
            go.name

    def test_destroy_in_edit_mode_is_unity_error(self):
        go = GameObject("t_kept")
        Object.Destroy(go)
        self.assertTrue(go)

    def test_find_objects_of_type(self):
        go = GameObject("t_found")
        self.assertIn(go, Object.FindObjectsOfType(GameObject))
        go.SetActive(False)
        self.assertNotIn(go, Object.FindObjectsOfType(GameObject))
        self.assertIn(go, Object.FindObjectsOfType(GameObject, True))

    def test_instance_ids_round_trip(self):
        import UnityEditor
        go = GameObject("t_id")
        self.assertLess(go.GetInstanceID(), 0)
        self.assertIs(UnityEditor.EditorUtility.InstanceIDToObject(go.GetInstanceID()), go)

    def test_other_threads_are_refused(self):
        go = GameObject("t_main_only")
        seen = []

        def touch():
            try:
                go.name
            except RuntimeError as e:
                seen.append(str(e))

        worker = threading.Thread(target=touch, name="worker")
        worker.start()
        worker.join(10)
        self.assertEqual(len(seen), 1)
        self.assertIn("main thread", seen[0])

    def test_not_emulated_is_loud(self):
        with self.assertRaisesRegex(AttributeError, "UnityEngine.Physics is not emulated.*"
                                    "docs/unity-api-coverage.md"):
            UnityEngine.Physics
        with self.assertRaisesRegex(NotImplementedError, "UnityEngine.GameObject.SendMessage"):
            GameObject("t_x").SendMessage("Hi")
        with self.assertRaisesRegex(AttributeError, "UnityEngine.Camera.current"):
            Camera.current


class Transforms(unittest.TestCase):
    def tearDown(self):
        for go in Object.FindObjectsOfType(GameObject, True):
            if go and go.name.startswith("t_"):
                Object.DestroyImmediate(go)

    def test_world_composes_parent(self):
        parent = GameObject("t_p").transform
        parent.position = Vector3(1, 2, 3)
        parent.rotation = Quaternion.Euler(0, 90, 0)
        parent.localScale = Vector3(2, 2, 2)
        child = GameObject("t_c").transform
        child.SetParent(parent, False)
        child.localPosition = Vector3(0, 0, 1)
        self.assertTrue(close(child.position, (3, 2, 3)))
        self.assertTrue(close(child.lossyScale, (2, 2, 2)))
        self.assertTrue(close(child.eulerAngles, (0, 90, 0)))
        self.assertEqual(parent.childCount, 1)
        self.assertIs(parent.GetChild(0), child)
        self.assertIs(child.parent, parent)
        self.assertTrue(close(parent.InverseTransformPoint(child.position), (0, 0, 1)))

    def test_set_parent_keeps_world_pose(self):
        parent = GameObject("t_p2").transform
        parent.position = Vector3(5, 0, 0)
        parent.rotation = Quaternion.Euler(0, 0, 45)
        child = GameObject("t_c2").transform
        child.position = Vector3(1, 1, 1)
        child.parent = parent
        self.assertTrue(close(child.position, (1, 1, 1)))
        self.assertFalse(close(child.localPosition, (1, 1, 1)))
        child.SetParent(None)
        self.assertTrue(close(child.localPosition, (1, 1, 1)))
        self.assertEqual(parent.childCount, 0)

    def test_no_cycles(self):
        a, b = GameObject("t_a").transform, GameObject("t_b").transform
        b.parent = a
        with self.assertRaises(UnityEngine.UnityException):
            a.parent = b

    def test_type_checked(self):
        t = GameObject("t_typed").transform
        with self.assertRaisesRegex(TypeError, "Vector3"):
            t.position = (1, 2, 3)
