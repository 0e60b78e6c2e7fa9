"""Python components (UEP's UPythonComponent): add_python_component(name, module, class)."""

import unittest

import unreal_engine as ue
from unreal_engine.classes import Actor, Character, PythonComponent
from unreal_engine.enums import EEndPlayReason

from uapi_support import SpawningTestCase


class TestPythonComponents(SpawningTestCase):
    def attach(self, actor, cls="Recorder", name="Py"):
        component = actor.add_python_component(name, "uapi_components", cls)
        return component, component.get_py_proxy()

    # UEPyActor.cpp py_ue_add_python_component(name, module, class): returns the new PythonComponent,
    # owned by the actor, with PythonModule/PythonClass set; the Python instance is its proxy.
    def test_add_python_component_returns_the_component(self):
        actor = self.spawn(Character)
        component, instance = self.attach(actor)
        self.assertTrue(component.is_a(PythonComponent))
        self.assertEqual(component.get_name(), "Py")
        self.assertEqual(component.get_owner(), actor)
        self.assertEqual(component.PythonModule, "uapi_components")
        self.assertEqual(component.PythonClass, "Recorder")
        self.assertIn(component, actor.get_actor_components())
        self.assertEqual(type(instance).__name__, "Recorder")

    # PythonComponent.cpp InitializePythonComponent: the instance's `uobject` is the component
    # (not the actor); the actor is uobject.get_owner().
    def test_uobject_is_the_component(self):
        actor = self.spawn(Actor)
        component, instance = self.attach(actor)
        self.assertEqual(instance.uobject, component)
        self.assertEqual(instance.uobject.get_owner(), actor)

    # UEPyActor.cpp py_ue_add_python_component calls InitializeComponent on a registered component
    # (bWantsInitializeComponent): initialize_component has run when add_python_component returns,
    # and play began after it, once.
    def test_initialize_component_then_begin_play(self):
        _, instance = self.attach(self.spawn(Character))
        self.assertEqual(instance.events[:2], ["initialize_component", "begin_play"])
        self.assertEqual(instance.events.count("begin_play"), 1)

    # PythonComponent.cpp EndPlay: end_play(reason) with the EEndPlayReason as an int; destroying
    # the actor ends its components' play with Destroyed, at once.
    def test_end_play_on_destroy(self):
        actor = self.world.actor_spawn(Character)
        _, instance = self.attach(actor)
        actor.actor_destroy()
        self.assertEqual(instance.events[-1], ("end_play", EEndPlayReason.Destroyed))
        self.assertIsInstance(instance.events[-1][1], int)

    # PythonComponent.cpp TickComponent: tick(delta_seconds) each frame; UEP's engine_tick(delta)
    # runs one engine frame (GEngine->Tick) synchronously.
    def test_tick_each_frame(self):
        _, instance = self.attach(self.spawn(Character))
        ue.engine_tick(0.25)
        ticks = [e for e in instance.events if isinstance(e, tuple) and e[0] == "tick"]
        self.assertEqual(len(ticks), 1)
        self.assertAlmostEqual(ticks[0][1], 0.25, places=5)

    # PythonComponent.cpp: every hook is optional (PyObject_HasAttrString before each call).
    def test_hooks_are_optional(self):
        actor = self.world.actor_spawn(Character)
        component, _ = self.attach(actor, "NoHooks")
        self.assertTrue(component.is_a(PythonComponent))
        actor.actor_destroy()

    # UEPyActor.cpp py_ue_add_python_component: on a non-actor raises ("uobject is not an AActor").
    def test_add_python_component_on_a_component_raises(self):
        actor = self.spawn(Character)
        with self.assertRaises(Exception):
            actor.CapsuleComponent.add_python_component("Py", "uapi_components", "Recorder")


if __name__ == "__main__":
    unittest.main(exit=False)
