"""Vector3, Quaternion and Color with Unity's semantics."""

import unittest

from UnityEngine import Color, Quaternion, Vector3


def close(a, b, places=4):
    return all(abs(x - y) < 10 ** -places for x, y in zip(a, b))


class Values(unittest.TestCase):
    def test_vector_arithmetic(self):
        a, b = Vector3(1, 2, 3), Vector3(4, 5, 6)
        self.assertEqual(a + b, Vector3(5, 7, 9))
        self.assertEqual(b - a, Vector3(3, 3, 3))
        self.assertEqual(a * 2, 2 * a)
        self.assertEqual(a / 2, Vector3(0.5, 1, 1.5))
        self.assertEqual(-a, Vector3(-1, -2, -3))
        self.assertEqual(Vector3(3, 4, 0).magnitude, 5)
        self.assertEqual(Vector3.Cross(Vector3.right, Vector3.up), Vector3.forward)
        self.assertEqual(Vector3.Dot(a, b), 32)
        with self.assertRaises(TypeError):
            a * b

    def test_vector_equality_is_approximate(self):
        self.assertEqual(Vector3(1, 1, 1), Vector3(1 + 1e-6, 1, 1))
        self.assertNotEqual(Vector3(1, 1, 1), Vector3(1.001, 1, 1))
        self.assertEqual(Vector3(1e-6, 0, 0).normalized, Vector3.zero)
        self.assertEqual(str(Vector3(1, 2.5, -3)), "(1.00, 2.50, -3.00)")

    def test_euler_order_is_z_x_y(self):
        q = Quaternion.Euler(30, 45, 60)
        expected = Quaternion.Euler(0, 45, 0) * Quaternion.Euler(30, 0, 0) * Quaternion.Euler(
            0, 0, 60)
        self.assertEqual(q, expected)
        self.assertTrue(close((q.x, q.y, q.z, q.w), (0.39190, 0.20056, 0.36042, 0.82236)))
        self.assertTrue(close(q.eulerAngles, (30, 45, 60), 3))

    def test_rotation_of_vectors(self):
        self.assertEqual(Quaternion.Euler(0, 90, 0) * Vector3.forward, Vector3.right)
        self.assertEqual(Quaternion.Euler(90, 0, 0) * Vector3.forward, Vector3.down)
        # q1 * q2 applies q2 first.
        turn = Quaternion.Euler(0, 90, 0) * Quaternion.Euler(90, 0, 0)
        self.assertEqual(turn * Vector3.forward, Vector3.down)
        self.assertEqual(Quaternion.Inverse(turn) * (turn * Vector3(1, 2, 3)), Vector3(1, 2, 3))
        self.assertEqual(Quaternion.identity, Quaternion(0, 0, 0, 1))

    def test_euler_angles_wrap_to_0_360(self):
        self.assertTrue(close(Quaternion.Euler(-30, 200, 10).eulerAngles, (330, 200, 10), 3))

    def test_color(self):
        self.assertEqual(Color(1, 0, 0).a, 1.0)
        self.assertEqual(Color.red, Color(1, 0, 0, 1))
        self.assertEqual(str(Color.red), "RGBA(1.000, 0.000, 0.000, 1.000)")
        self.assertEqual(Color.red * 0.5, Color(0.5, 0, 0, 0.5))
