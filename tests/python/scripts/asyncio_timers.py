"""Two timers at different periods, as in UnrealEnginePython's asyncio tutorial."""

import asyncio

import unreal_engine as ue
import ue_asyncio  # noqa: F401  (starts the hub)


async def timer(name, period):
    count = 0
    while True:
        await asyncio.sleep(period)
        count += 1
        ue.log(f"timer {name} {count}")


asyncio.ensure_future(timer("fast", 0.03))
asyncio.ensure_future(timer("slow", 0.09))
