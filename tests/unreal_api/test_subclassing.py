"""Python subclasses of UClasses, as UEP's subclassing API (docs/Subclassing_API.md)
makes them: a runtime class, spawnable, whose __init__ runs in each new
object and whose methods objects find; actors get ReceiveBeginPlay and
ReceiveTick from the engine's play."""

import unittest

import unreal_engine as ue
from unreal_engine.classes import ActorComponent, Character, Object, PawnSensingComponent, Pawn

from uapi_support import SpawningTestCase

events = []


class Hero(Character):
    """A character that starts big."""

    speed = 600

    def __init__(self):
        self.CapsuleComponent.CapsuleRadius = 117
        self.sensor = self.add_actor_component(PawnSensingComponent, "Sensor")

    def ReceiveBeginPlay(self):
        events.append(("begin", self.get_name()))

    def ReceiveTick(self, delta_seconds):
        events.append(("tick", self.get_name(), delta_seconds))

    def greet(self, other):
        return f"{self.get_name()} greets {other}"


class SuperHero(Hero):
    # Hero is a UClass, not a Python type (as in UEP): the parent's method is
    # called through it, not through super().
    def greet(self, other):
        return "super " + Hero.greet(self, other)


components_made = []


class Counter(ActorComponent):
    made = 0

    # Runs for the class default object while the class statement runs, before the name
    # Counter is bound: it counts in a module-level list.
    def __init__(self):
        components_made.append(self.get_name())


constructed = []


class Veteran(Character):
    """Sets its defaults in the class default object only: new actors take them from it."""

    def __init__(self):
        constructed.append(self.get_name())
        if self.get_name().startswith("Default__"):
            self.InitialLifeSpan = 11.0
            self.CapsuleComponent.CapsuleHalfHeight = 160


class TestClassDefaultObject(SpawningTestCase):
    # UEP: the Python class's __init__ is its UClass's constructor, which UE runs for the class
    # default object when the class is made.
    def test_init_runs_for_the_class_default_object_once(self):
        self.assertEqual(constructed.count("Default__Veteran"), 1)
        cdo = Veteran.get_cdo()
        self.assertEqual(cdo.get_name(), "Default__Veteran")
        self.assertEqual(cdo.InitialLifeSpan, 11.0)
        self.assertEqual(cdo.CapsuleComponent.CapsuleHalfHeight, 160)
        Veteran.get_cdo()
        self.assertEqual(constructed.count("Default__Veteran"), 1, "get_cdo does not rebuild it")

    # What __init__ set in the CDO is the default of the actors spawned after it.
    def test_new_actors_start_from_the_defaults_init_set(self):
        veteran = self.spawn(Veteran)
        self.assertIn(veteran.get_name(), constructed, "__init__ runs for the actor too")
        self.assertEqual(veteran.InitialLifeSpan, 11.0)
        self.assertEqual(veteran.CapsuleComponent.CapsuleHalfHeight, 160)
        self.assertEqual(Hero.get_cdo().CapsuleComponent.CapsuleRadius, 117)

    # An __init__ that raises while the class is made leaves no class, and says which.
    def test_an_init_that_raises_names_the_class_and_registers_nothing(self):
        with self.assertRaises(RuntimeError) as raised:
            class BrokenDefaults(Character):  # noqa: F841
                def __init__(self):
                    raise ValueError("no defaults today")
        message = str(raised.exception)
        self.assertIn("class BrokenDefaults", message)
        self.assertIn("Default__BrokenDefaults", message)
        self.assertIn("no defaults today", message)
        self.assertIsInstance(raised.exception.__cause__, ValueError)
        with self.assertRaises(Exception):
            ue.find_class("BrokenDefaults")

        class BrokenDefaults(Character):  # the corrected definition registers anew
            def __init__(self):
                self.InitialLifeSpan = 2.0
        self.assertIs(ue.find_class("BrokenDefaults"), BrokenDefaults)
        self.assertEqual(BrokenDefaults.get_cdo().InitialLifeSpan, 2.0)
        self.assertEqual(self.spawn(BrokenDefaults).InitialLifeSpan, 2.0)


class TestPythonSubclass(SpawningTestCase):
    def setUp(self):
        super().setUp()
        events.clear()

    # The class statement gives a UClass deriving from the base, found as the schema's are.
    def test_the_class_statement_registers_a_uclass(self):
        self.assertIsInstance(Hero, ue.UObject)
        self.assertEqual(Hero.get_name(), "Hero")
        self.assertEqual(Hero.get_super_class(), Character)
        self.assertTrue(Hero.is_child_of(Pawn))
        self.assertIs(ue.find_class("Hero"), Hero)
        self.assertIs(ue.classes.Hero, Hero)
        self.assertTrue(SuperHero.is_child_of(Hero))

    # UEP: __init__ runs in each new object (its constructor), with self the object.
    def test_init_runs_in_each_spawned_actor(self):
        hero = self.spawn(Hero)
        self.assertTrue(hero.is_a(Character))
        self.assertEqual(hero.get_class(), Hero)
        self.assertEqual(hero.CapsuleComponent.CapsuleRadius, 117)
        self.assertTrue(hero.sensor.is_a(PawnSensingComponent))
        self.assertEqual(hero.sensor.get_owner(), hero)

    # Methods and class attributes of the namespace, overridden and called through the parent.
    def test_methods_are_callable_on_the_objects(self):
        hero = self.spawn(Hero)
        self.assertEqual(hero.greet("you"), f"{hero.get_name()} greets you")
        self.assertEqual(hero.speed, 600)
        champion = self.spawn(SuperHero)
        self.assertEqual(champion.greet("you"), f"super {champion.get_name()} greets you")
        self.assertEqual(champion.CapsuleComponent.CapsuleRadius, 117, "the parent's __init__")

    # UE's events: BeginPlay when the actor starts playing, Tick each frame.
    def test_begin_play_and_tick_come_from_the_engine(self):
        hero = self.spawn(Hero)
        self.assertEqual(events, [("begin", hero.get_name())])
        ue.engine_tick(0.5)
        self.assertIn(("tick", hero.get_name(), 0.5), events)

    # A Python component class: its __init__ runs in each component added.
    def test_a_component_subclass_runs_init_when_added(self):
        actor = self.spawn(Character)
        before = len(components_made)
        component = actor.add_actor_component(Counter, "Counting")
        self.assertTrue(component.is_a(ActorComponent))
        self.assertEqual(components_made[before:], ["Counting"])
        self.assertEqual(component.made, 0, "objects see their class's attributes")

    # UEP subclasses one UClass; anything else is a TypeError.
    def test_a_subclass_has_one_uclass_base(self):
        with self.assertRaises(TypeError):
            class Both(Character, Pawn):  # noqa: F841
                pass

    # Defining the class again (a script run twice) keeps the UClass and takes the new methods.
    def test_defining_a_class_again_updates_its_methods(self):
        class Again(Object):
            def answer(self):
                return 1
        first = Again

        class Again(Object):  # noqa: F811
            def answer(self):
                return 2
        self.assertIs(Again, first)
        self.assertEqual(Again().answer(), 2)

    # A name the schema has is refused, not shadowed.
    def test_a_schema_class_name_is_refused(self):
        with self.assertRaises(RuntimeError):
            class Pawn(Character):  # noqa: F841
                pass


if __name__ == "__main__":
    unittest.main()
