"""World-space transforms of scene components: the relative transform
composed with each attach parent's, as UE's GetComponentTransform
(RelativeTransform * Parent's), and an actor's as its root component's."""

import unittest

from unreal_engine import FRotator, FTransform, FVector
from unreal_engine.classes import Actor, Character, PointLightComponent, SceneComponent

from uapi_support import SpawningTestCase


def assert_vector_close(test, a, b, places=3):
    for axis in ("x", "y", "z"):
        test.assertAlmostEqual(getattr(a, axis), getattr(b, axis), places=places, msg=f"{a} != {b}")


class TestWorldTransforms(SpawningTestCase):
    def make_chain(self):
        """An actor at (100, 0, 0) turned 90 degrees (yaw) and scaled 2, with a
        child 10 units ahead of it and a grandchild 5 units ahead of that."""
        actor = self.spawn(Actor)
        root = actor.add_actor_root_component(SceneComponent, "Root")
        root.set_relative_location(FVector(100, 0, 0))
        root.set_relative_rotation(FRotator(0, 0, 90))  # FRotator(roll, pitch, yaw)
        root.set_relative_scale(FVector(2, 2, 2))
        child = actor.add_actor_component(PointLightComponent, "Child", root)
        child.set_relative_location(FVector(10, 0, 0))
        grandchild = actor.add_actor_component(PointLightComponent, "Grandchild", child)
        grandchild.set_relative_location(FVector(5, 0, 0))
        return actor, root, child, grandchild

    # UE: the child's offset is scaled, then rotated, then moved by the parent.
    def test_world_location_composes_scale_rotation_and_translation(self):
        _, root, child, grandchild = self.make_chain()
        assert_vector_close(self, root.get_world_location(), FVector(100, 0, 0))
        assert_vector_close(self, child.get_world_location(), FVector(100, 20, 0))
        assert_vector_close(self, grandchild.get_world_location(), FVector(100, 30, 0))
        self.assertEqual(child.get_relative_location(), FVector(10, 0, 0), "relative stays relative")

    def test_world_rotation_and_scale_compose(self):
        _, _, child, _ = self.make_chain()
        child.set_relative_rotation(FRotator(0, 0, 45))
        self.assertAlmostEqual(child.get_world_rotation().yaw, 135, places=3)
        assert_vector_close(self, child.get_world_scale(), FVector(2, 2, 2))
        world = child.get_world_transform()
        self.assertIsInstance(world, FTransform)
        assert_vector_close(self, world.translation, FVector(100, 20, 0))

    # Setting a world location stores the relative location that gives it.
    def test_setting_the_world_location_stores_the_relative_one(self):
        _, _, child, grandchild = self.make_chain()
        child.set_world_location(FVector(100, 40, 0))
        assert_vector_close(self, child.get_relative_location(), FVector(20, 0, 0))
        assert_vector_close(self, child.get_world_location(), FVector(100, 40, 0))
        assert_vector_close(self, grandchild.get_world_location(), FVector(100, 50, 0),
                            "children move with their parent")
        child.set_world_rotation(FRotator(0, 0, 90))
        self.assertAlmostEqual(child.get_relative_rotation().yaw, 0, places=3)

    # The actor's transform is its root component's.
    def test_the_actor_is_where_its_root_is(self):
        actor, root, _, _ = self.make_chain()
        assert_vector_close(self, actor.get_actor_location(), FVector(100, 0, 0))
        self.assertAlmostEqual(actor.get_actor_rotation().yaw, 90, places=3)
        assert_vector_close(self, actor.get_world_location(), FVector(100, 0, 0))

    # A Character's mesh hangs under its capsule.
    def test_a_characters_mesh_follows_its_capsule(self):
        character = self.spawn(Character, FVector(0, 0, 300))
        character.Mesh.set_relative_location(FVector(0, 0, -90))
        assert_vector_close(self, character.Mesh.get_world_location(), FVector(0, 0, 210))

    def test_an_actor_without_a_root_has_no_world_transform(self):
        actor = self.spawn(Actor)
        with self.assertRaises(RuntimeError):
            actor.get_world_location()


if __name__ == "__main__":
    unittest.main()
