"""Python components on actors, as UnrealEnginePython's add_python_component
makes them: initialize_component and begin_play when attached, tick every
frame, end_play with UE's EEndPlayReason (Destroyed with the actor, Quit when
the engine stops)."""

import unreal_engine as ue
from unreal_engine.classes import Character

import probe

events = probe.values.setdefault("events", [])


class Recorder:
    def initialize_component(self):
        # The actor is gone by the time end_play(Destroyed) runs.
        self.label = self.uobject.get_owner().get_actor_label()
        events.append(f"{self.label} initialize_component")

    def begin_play(self):
        events.append(f"{self.label} begin_play")

    def tick(self, delta_time):
        events.append(f"{self.label} tick")

    def end_play(self, reason):
        events.append(f"{self.label} end_play {reason}")


world = ue.get_editor_world()
doomed = world.actor_spawn(Character)
doomed.set_actor_label("doomed")
survivor = world.actor_spawn(Character)
survivor.set_actor_label("survivor")

doomed.add_python_component("Recorder", __name__, "Recorder")
component = survivor.add_python_component("Recorder", __name__, "Recorder")
probe.values["returned_component_is_attached"] = (
    component.get_owner() == survivor and component.get_py_proxy().uobject is component)
probe.values["doomed"] = doomed
