"""Spawns the generated class of a Blueprint whose parent is no actor class
(a Material): the spawn must fail naming the class, the Blueprint that made
it and its parent, not spawn something or return None."""

import unreal_engine as ue
from unreal_engine.classes import Material

blueprint = ue.create_blueprint(Material, "/Game/MustFail/BP_NotAnActor")
ue.get_editor_world().actor_spawn(blueprint.GeneratedClass)
