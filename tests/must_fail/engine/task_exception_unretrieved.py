"""An asyncio task on the engine's hub that raises, and nobody awaits it:
asyncio reports "Task exception was never retrieved", an engine error."""

import asyncio

import ue_asyncio


async def fetch_level():
    await asyncio.sleep(0.05)
    raise ConnectionError("the level server refused the task")


asyncio.ensure_future(fetch_level(), loop=ue_asyncio.loop)
