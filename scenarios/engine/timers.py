# The asyncio tutorial's timers, several at once, and a coroutine spawning
# actors: all on the engine's loop, one iteration per frame.
import asyncio

import ue_asyncio  # noqa: F401  (creates the loop and its ticker)
import unreal_engine as ue
from unreal_engine.classes import Character


async def simple_timer(frequency):
    while True:
        await asyncio.sleep(frequency)
        ue.log(f"{frequency} seconds elapsed")


async def spawn_heroes(count):
    world = ue.get_editor_world()
    for i in range(count):
        await asyncio.sleep(0.05)
        hero = world.actor_spawn(Character)
        hero.set_actor_label(f"hero-{i}")
        ue.log(f"spawned {hero.get_actor_label()}")


asyncio.ensure_future(simple_timer(0.1))
asyncio.ensure_future(simple_timer(0.25))
asyncio.ensure_future(spawn_heroes(3))
