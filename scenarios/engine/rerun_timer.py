# Re-running a script spawns new coroutines beside the old ones, so scripts
# cancel every task of the loop first (modern spelling of the tutorial's
# asyncio.Task.all_tasks()). Each run is one generation.
import asyncio

import ue_asyncio
import unreal_engine as ue

for task in asyncio.all_tasks(ue_asyncio.loop):
    task.cancel()

ue_asyncio.generation = getattr(ue_asyncio, "generation", 0) + 1


async def ticking(generation):
    try:
        while True:
            await asyncio.sleep(0.05)
            ue.log(f"generation {generation} tick")
    except asyncio.CancelledError:
        ue.log(f"generation {generation} cancelled")
        raise


asyncio.ensure_future(ticking(ue_asyncio.generation))
