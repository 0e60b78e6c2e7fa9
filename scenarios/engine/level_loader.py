# Loads levels on the engine's asyncio loop, one task per level, as a tool
# would: each spawns its level's actor. The level "missing" has no data, so
# its task raises, and nobody awaits the tasks: asyncio reports the exception
# as never retrieved, an engine error the scenario declares it expects.
import asyncio

import ue_asyncio
import unreal_engine as ue
from unreal_engine.classes import Character

LEVELS = {"forest": "ranger", "harbour": "sailor"}


async def load_level(name):
    await asyncio.sleep(0.05)
    if name not in LEVELS:
        raise LookupError(f"no data for level {name!r}")
    actor = ue.get_editor_world().actor_spawn(Character)
    actor.set_actor_label(LEVELS[name])
    ue.log(f"level {name} loaded")


for level in ("forest", "missing", "harbour"):
    ue_asyncio.loop.create_task(load_level(level))
