"""A timer on the tutorial's own hub, still pending when the engine stops."""

import asyncio

import ue_asyncio


async def simple_timer(frequency):
    while True:
        await asyncio.sleep(frequency)
        print(f"{frequency} seconds elapsed")


asyncio.ensure_future(simple_timer(0.02))
