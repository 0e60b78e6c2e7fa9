# Coroutines owned by actors (a component starts one in begin_play and
# cancels it in end_play), and a short-lived extra loop for one job.
import asyncio

import ue_asyncio
import unreal_engine as ue
from unreal_engine.classes import Character
from unreal_engine.enums import EEndPlayReason


# end_play gets UE's EEndPlayReason value.
REASONS = {EEndPlayReason.Destroyed: "Destroyed", EEndPlayReason.Quit: "Quit"}


class Heartbeat:
    def begin_play(self):
        self.label = self.uobject.get_owner().get_actor_label()
        self.task = ue_asyncio.loop.create_task(self.beat())

    async def beat(self):
        while True:
            await asyncio.sleep(0.05)
            ue.log(f"{self.label} heartbeat")

    def end_play(self, reason):
        self.task.cancel()
        ue.log(f"{self.label} coroutine cancelled ({REASONS.get(reason, reason)})")


world = ue.get_editor_world()
for name in ("guard-1", "guard-2"):
    guard = world.actor_spawn(Character)
    guard.set_actor_label(name)
    guard.add_python_component("Heartbeat", __name__, "Heartbeat")


async def one_job():
    await asyncio.sleep(0.01)
    return 42


extra = asyncio.new_event_loop()
try:
    ue.log(f"extra loop result {extra.run_until_complete(one_job())}")
finally:
    extra.close()
    asyncio.set_event_loop(ue_asyncio.loop)
