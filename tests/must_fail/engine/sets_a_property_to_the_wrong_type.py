"""Writes a string to a float UPROPERTY of the project's own class: UEP raises
ValueError, and so must the stand-in (not store it, not ignore it)."""

import unreal_engine as ue
from unreal_engine.classes import BP_Lamp

lamp = ue.get_editor_world().actor_spawn(BP_Lamp)
lamp.Brightness = "very"
