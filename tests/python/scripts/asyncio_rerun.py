"""A script that is run again: it cancels the hub's tasks first, so that its
new coroutines replace the old ones instead of running beside them."""

import asyncio

import unreal_engine as ue
import ue_asyncio

import probe

ue_asyncio.cancel_all_tasks()
run = probe.values["runs"] = probe.values.get("runs", 0) + 1


async def heartbeat(run):
    beats = 0
    while True:
        await asyncio.sleep(0.01)
        beats += 1
        ue.log(f"run {run} beat {beats}")


task = ue_asyncio.loop.create_task(heartbeat(run), name=f"heartbeat of run {run}")
probe.values.setdefault("tasks", {})[run] = task
