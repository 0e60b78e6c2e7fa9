"""The editor world as scripts of UnrealEnginePython's tutorial use it."""

import unreal_engine as ue
from unreal_engine.classes import Actor, Character

import probe

world = ue.get_editor_world()
hero = world.actor_spawn(Character)
hero.set_actor_label("hero")
prop = world.actor_spawn(Actor)
villain = world.actor_spawn(Character)
villain.set_actor_label("villain")
pawn = world.actor_spawn(ue.find_class("Pawn"))

found = probe.values
found["labels"] = [actor.get_actor_label() for actor in world.all_actors()]
found["names"] = [actor.get_name() for actor in world.all_actors()]
found["villain_found"] = world.find_actor_by_label("villain") == villain
found["nobody_found"] = world.find_actor_by_label("nobody")
found["villain_class"] = villain.get_class().get_name()
found["pawn_class"] = ue.find_class("Pawn").get_name()
try:
    ue.find_class("Dragon")
except RuntimeError as error:
    found["unknown_class"] = str(error)

villain.actor_destroy()
found["labels_after_destroy"] = [actor.get_actor_label() for actor in world.all_actors()]
found["villain_valid"] = villain.is_valid()
try:
    villain.get_actor_label()
except RuntimeError as error:
    found["destroyed_actor_error"] = str(error)

for attempt, call in [("number", lambda: world.actor_spawn(42)),
                      ("name", lambda: world.actor_spawn("Pawn")),
                      ("not_an_actor", lambda: world.actor_spawn(ue.find_class("Material")))]:
    try:
        call()
    except (TypeError, ValueError) as error:
        found[attempt] = f"{type(error).__name__}: {error}"
