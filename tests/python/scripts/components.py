"""Python components on actors: begin_play when attached, tick every frame,
end_play("Destroyed") with the actor, end_play("Quit") when the engine stops."""

import unreal_engine as ue
from unreal_engine.classes import Character

import probe

events = probe.values.setdefault("events", [])


class Recorder:
    def begin_play(self):
        # The actor is gone by the time end_play("Destroyed") runs.
        self.label = self.uobject.get_actor_label()
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

doomed.add_python_component(Recorder)  # a class is instantiated
component = survivor.add_python_component(Recorder())  # an instance is used as is
probe.values["returned_component_is_attached"] = component.uobject == survivor
probe.values["doomed"] = doomed
