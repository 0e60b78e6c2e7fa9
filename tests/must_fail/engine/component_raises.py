"""An actor component whose tick raises once: an engine error from a component."""

import unreal_engine as ue
from unreal_engine.classes import Character


class Health:
    raised = False

    def tick(self, delta_time):
        if not self.raised:
            self.raised = True
            raise AttributeError("the component's health bar is missing")


ue.get_editor_world().actor_spawn(Character).add_python_component("Health", __name__, "Health")
