"""street_lamps: an UnrealEnginePython script that lights a street.

It runs inside the editor, in UnrealEnginePython's (UEP) embedded Python,
as a startup script or from the Python console; under Understudy, the
engine runs it the same way:

    understudy-engine --script unreal/street_lamps.py

It places a row of point lights along the street, switched off, then
switches them on at dusk. Both steps are coroutines on the asyncio loop of
UEP's asyncio tutorial, which the editor ticks once per frame: placing one
lamp per frame, and waiting for dusk with asyncio.sleep, never holds the
editor's frame, whereas a loop spawning every lamp at once, or a
time.sleep, would freeze the editor until it ended.

What it logs (ue.log, the editor's Output Log) is what the tests and the
scenario check: "placed street-lamp-N" for each lamp, then
"street lamps: N lit".
"""

import asyncio

import ue_asyncio  # noqa: F401  (creates the loop, and the ticker that runs it each frame)
import unreal_engine as ue
from unreal_engine import FVector
from unreal_engine.classes import PointLight

LAMPS = 6
SPACING = 400.0  # centimetres, Unreal's unit, between two lamps
HEIGHT = 300.0
INTENSITY = 5000.0
DUSK_S = 0.5  # seconds after the lamps are placed


async def place_lamps(world):
    """Spawns the lamps, switched off, one per frame; returns them."""
    lamps = []
    for i in range(LAMPS):
        lamp = world.actor_spawn(PointLight, FVector(i * SPACING, 0, HEIGHT))
        lamp.set_actor_label(f"street-lamp-{i}")
        # A property of the lamp's light component, read and written as an
        # attribute, as in UEP.
        lamp.PointLightComponent.Intensity = 0.0
        lamps.append(lamp)
        ue.log(f"placed {lamp.get_actor_label()}")
        await asyncio.sleep(0)  # gives the frame back: the next lamp comes next frame
    return lamps


async def light_at_dusk(lamps):
    await asyncio.sleep(DUSK_S)  # other coroutines, and the editor, run meanwhile
    for lamp in lamps:
        lamp.PointLightComponent.Intensity = INTENSITY
    ue.log(f"street lamps: {len(lamps)} lit")


async def light_the_street():
    lamps = await place_lamps(ue.get_editor_world())
    await light_at_dusk(lamps)


# The loop keeps only a weak reference to its tasks: keep this one in a
# global, or it could be collected before it ends. An exception it raises
# is an engine error, which fails the scenario or test that runs the script.
street = asyncio.ensure_future(light_the_street())
