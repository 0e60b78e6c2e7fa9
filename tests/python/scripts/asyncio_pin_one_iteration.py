"""Pins how the hub drives asyncio on this Python: each engine tick runs
exactly one loop iteration. A callback that reschedules itself with
call_soon runs in the next iteration, so it advances one step per tick."""

import ue_asyncio

import probe

probe.values["steps"] = 0


def step():
    probe.values["steps"] += 1
    ue_asyncio.loop.call_soon(step)


ue_asyncio.loop.call_soon(step)
