"""Calls UnrealEnginePython API the stand-in does not emulate (it opens an
editor window): the call must fail loudly, naming the API and the coverage
page, not return None."""

import unreal_engine as ue

world = ue.get_editor_world()
ue.open_editor_for_asset(world)
