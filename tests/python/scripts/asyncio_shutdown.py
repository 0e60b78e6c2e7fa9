"""Tasks that log when they are cancelled, for the engine's shutdown."""

import asyncio

import unreal_engine as ue
import ue_asyncio

import probe

probe.values["started"] = set()


async def worker(name):
    probe.values["started"].add(name)
    try:
        while True:
            await asyncio.sleep(0.01)
    except asyncio.CancelledError:
        ue.log(f"{name} cancelled")
        raise


for name in ("worker-a", "worker-b"):
    ue_asyncio.loop.create_task(worker(name), name=name)
