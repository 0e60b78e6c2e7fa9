"""A short-lived extra event loop for one job, beside the hub's."""

import asyncio

import unreal_engine as ue
import ue_asyncio

import probe


async def heartbeat():
    beats = 0
    while True:
        await asyncio.sleep(0.01)
        beats += 1
        ue.log(f"hub beat {beats}")


async def one_job():
    await asyncio.sleep(0.01)
    return 42


ue_asyncio.loop.create_task(heartbeat())

extra = asyncio.new_event_loop()
try:
    result = extra.run_until_complete(one_job())
finally:
    extra.close()
ue.log(f"extra loop result {result}")
probe.values["current_loop_is_the_hub"] = asyncio.get_event_loop() is ue_asyncio.loop
