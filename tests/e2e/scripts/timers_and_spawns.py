"""Two timers and a coroutine spawning actors, as in UnrealEnginePython's
asyncio tutorial. When the engine stops, a component logs the world's labels
("world at Quit: ...") for the test to check the end state."""

import asyncio

import unreal_engine as ue
from unreal_engine.classes import Character
from unreal_engine.enums import EEndPlayReason
import ue_asyncio  # noqa: F401  (starts the hub)


async def timer(name, period):
    count = 0
    while True:
        await asyncio.sleep(period)
        count += 1
        ue.log(f"timer {name} {count}")


async def spawn_heroes(count):
    world = ue.get_editor_world()
    for i in range(count):
        await asyncio.sleep(0.02)
        hero = world.actor_spawn(Character)
        hero.set_actor_label(f"hero-{i}")
        ue.log(f"spawned {hero.get_name()} as {hero.get_actor_label()}")


class WorldReporter:
    def end_play(self, reason):
        # reason is UE's EEndPlayReason value.
        name = "Quit" if reason == EEndPlayReason.Quit else str(reason)
        labels = sorted(actor.get_actor_label() for actor in ue.get_editor_world().all_actors())
        ue.log(f"world at {name}: {', '.join(labels)}")


reporter = ue.get_editor_world().actor_spawn(Character)
reporter.set_actor_label("reporter")
reporter.add_python_component("Reporter", __name__, "WorldReporter")

asyncio.ensure_future(timer("fast", 0.05))
asyncio.ensure_future(timer("slow", 0.15))
asyncio.ensure_future(spawn_heroes(3))
