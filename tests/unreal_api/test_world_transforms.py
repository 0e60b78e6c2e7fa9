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


class TestAttachedActorTransforms(SpawningTestCase):
    """UE's SetActorLocation & co set the root component's WORLD transform
    (AActor::SetActorLocation moves the root to a world location; the relative
    one follows through the attach parent); get/set_relative_* stay relative."""

    def make_attached(self):
        """A parent at (100, 0, 0), turned 90 degrees (yaw) and scaled 2, and a
        child actor whose root hangs 10 units ahead of the parent's root."""
        parent = self.spawn(Actor)
        parent_root = parent.add_actor_root_component(SceneComponent, "Root")
        parent_root.set_relative_location(FVector(100, 0, 0))
        parent_root.set_relative_rotation(FRotator(0, 0, 90))
        parent_root.set_relative_scale(FVector(2, 2, 2))
        child = self.spawn(Actor)
        child_root = child.add_actor_root_component(SceneComponent, "Root")
        child_root.attach_to_component(parent_root)
        child_root.set_relative_location(FVector(10, 0, 0))
        return parent, child, child_root

    def test_set_actor_location_sets_the_world_location(self):
        _, child, child_root = self.make_attached()
        assert_vector_close(self, child.get_actor_location(), FVector(100, 20, 0))
        self.assertTrue(child.set_actor_location(FVector(100, 40, 0)))
        assert_vector_close(self, child.get_actor_location(), FVector(100, 40, 0))
        assert_vector_close(self, child_root.get_relative_location(), FVector(20, 0, 0))
        assert_vector_close(self, child_root.get_world_location(), FVector(100, 40, 0))

    def test_set_actor_rotation_sets_the_world_rotation(self):
        _, child, child_root = self.make_attached()
        self.assertAlmostEqual(child.get_actor_rotation().yaw, 90, places=3)
        child.set_actor_rotation(FRotator(0, 0, 135))
        self.assertAlmostEqual(child.get_actor_rotation().yaw, 135, places=3)
        self.assertAlmostEqual(child_root.get_relative_rotation().yaw, 45, places=3)
        assert_vector_close(self, child.get_actor_location(), FVector(100, 20, 0),
                            "turning does not move it")

    def test_set_actor_scale_sets_the_world_scale(self):
        _, child, child_root = self.make_attached()
        assert_vector_close(self, child.get_actor_scale(), FVector(2, 2, 2))
        child.set_actor_scale(FVector(4, 4, 4))
        assert_vector_close(self, child.get_actor_scale(), FVector(4, 4, 4))
        assert_vector_close(self, child_root.get_relative_scale(), FVector(2, 2, 2))

    # The relative calls are the root component's own transform, as UE's SetRelativeLocation.
    def test_relative_calls_stay_relative(self):
        _, child, child_root = self.make_attached()
        child_root.set_relative_location(FVector(5, 0, 0))
        self.assertEqual(child_root.get_relative_location(), FVector(5, 0, 0))
        assert_vector_close(self, child.get_actor_location(), FVector(100, 10, 0))

    # Moving the parent carries the child: its relative location is unchanged.
    def test_the_attached_actor_follows_its_parent(self):
        parent, child, child_root = self.make_attached()
        parent.set_actor_location(FVector(0, 0, 50))
        assert_vector_close(self, child.get_actor_location(), FVector(0, 20, 50))
        self.assertEqual(child_root.get_relative_location(), FVector(10, 0, 0))

    # UE's SetActorTransform is SetActorLocation, Rotation and Scale3D at once, in world space.
    def test_set_actor_transform_sets_the_world_transform(self):
        _, child, child_root = self.make_attached()
        world = child.get_actor_transform()
        self.assertIsInstance(world, FTransform)
        assert_vector_close(self, world.translation, FVector(100, 20, 0))
        self.assertTrue(child.set_actor_transform(
            FTransform(FVector(100, 40, 0), FRotator(0, 0, 135), FVector(4, 4, 4))))
        assert_vector_close(self, child.get_actor_location(), FVector(100, 40, 0))
        self.assertAlmostEqual(child.get_actor_rotation().yaw, 135, places=3)
        assert_vector_close(self, child.get_actor_scale(), FVector(4, 4, 4))
        assert_vector_close(self, child_root.get_relative_location(), FVector(20, 0, 0))
        self.assertAlmostEqual(child_root.get_relative_rotation().yaw, 45, places=3)
        assert_vector_close(self, child_root.get_relative_scale(), FVector(2, 2, 2))

    def test_an_actor_without_a_root_has_the_identity_transform(self):
        actor = self.spawn(Actor)
        self.assertEqual(actor.get_actor_transform().scale, FVector(1, 1, 1))
        self.assertEqual(actor.get_actor_transform().translation, FVector(0, 0, 0))
        self.assertFalse(actor.set_actor_transform(FTransform()))

    # Unattached, world and relative are one: the value is stored as given.
    def test_an_unattached_actor_stores_the_location_as_given(self):
        actor = self.spawn(Character, FVector(1, 2, 3))
        self.assertTrue(actor.set_actor_location(FVector(0.5, 0.25, 0.125)))
        self.assertEqual(actor.get_actor_root_component().get_relative_location(),
                         FVector(0.5, 0.25, 0.125))


if __name__ == "__main__":
    unittest.main()
