"""One component's tick destroys another actor: that actor's components end
their play, and are not ticked afterwards."""

import unreal_engine as ue
from unreal_engine.classes import Character

import probe

events = probe.values.setdefault("events", [])
world = ue.get_editor_world()
killer = world.actor_spawn(Character)  # spawned first, so ticked first
victim = world.actor_spawn(Character)


class Killer:
    def tick(self, delta_time):
        if victim.is_valid():
            victim.actor_destroy()


class Victim:
    def begin_play(self):
        events.append("begin_play")

    def tick(self, delta_time):
        events.append(f"tick, actor valid: {self.uobject.is_valid()}")

    def end_play(self, reason):
        events.append(f"end_play {reason}")


killer.add_python_component("Killer", __name__, "Killer")
victim.add_python_component("Victim", __name__, "Victim")
