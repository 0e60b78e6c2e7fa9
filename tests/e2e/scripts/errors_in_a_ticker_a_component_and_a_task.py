"""Three engine errors after the script itself ran cleanly: a ticker that
raises (and is removed), a component whose first tick raises, and an asyncio
task whose exception nobody retrieves."""

import asyncio

import unreal_engine as ue
from unreal_engine.classes import Character

import ue_asyncio


def exploding_ticker(delta_time):
    raise KeyError("the ticker's key")


class ExplodingComponent:
    exploded = False

    def tick(self, delta_time):
        if not self.exploded:
            self.exploded = True
            raise RuntimeError("the component's first tick")


async def failing_task():
    raise ValueError("the task's exception, never retrieved")


exploding_ticker_handle = ue.add_ticker(exploding_ticker)  # the ticker lives as long as its handle
ue.get_editor_world().actor_spawn(Character).add_python_component(
    "Exploding", __name__, "ExplodingComponent")
asyncio.ensure_future(failing_task(), loop=ue_asyncio.loop)
ue.log("three errors armed")
