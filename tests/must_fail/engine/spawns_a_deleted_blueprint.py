"""Deletes a Blueprint, then spawns from a reference to its generated class
kept from before: the spawn must fail naming the class and the deleted
Blueprint, not spawn an actor of a class that is gone."""

import unreal_engine as ue
from unreal_engine.classes import Actor

blueprint = ue.create_blueprint(Actor, "/Game/MustFail/BP_Deleted")
stale = blueprint.GeneratedClass
ue.delete_asset(blueprint.get_path_name())
ue.get_editor_world().actor_spawn(stale)
