"""Tests of the engine script unreal/street_lamps.py: the engine runs it at
start (--script), as the editor runs a startup script, and the test reads
the world back."""

from pathlib import Path

# The engine runs in a folder of its own: give it the script's full path.
SCRIPT = Path(__file__).resolve().parent.parent / "unreal" / "street_lamps.py"

# Engine-side code: the lamps in the world, sorted by label.
READ_LAMPS = """
    import unreal_engine as ue
    lamps = sorted((actor for actor in ue.get_editor_world().all_actors()
                    if actor.get_actor_label().startswith("street-lamp-")),
                   key=lambda actor: actor.get_actor_label())
    labels = [lamp.get_actor_label() for lamp in lamps]
    xs = [lamp.get_actor_location().x for lamp in lamps]
    intensities = [lamp.PointLightComponent.Intensity for lamp in lamps]
"""


def test_the_script_lights_the_street(understudy_engine):
    # The factory returns once the engine's startup scripts have run; the
    # coroutines they started go on frame by frame.
    engine = understudy_engine("--script", str(SCRIPT))
    engine.wait_for_console(r"^street lamps: 6 lit$", severity="log")

    lamps = engine.execute(READ_LAMPS)
    assert list(lamps["labels"]) == [f"street-lamp-{i}" for i in range(6)]
    assert list(lamps["xs"]) == [0.0, 400.0, 800.0, 1200.0, 1600.0, 2000.0]
    assert list(lamps["intensities"]) == [5000.0] * 6


def test_one_lamp_per_frame(understudy_engine):
    # Console records carry the frame they were logged in: each lamp was
    # placed in a frame of its own, so no frame held the editor for all six.
    engine = understudy_engine("--script", str(SCRIPT))
    engine.wait_for_console(r"^street lamps: 6 lit$")

    frames = [record.frame for record in engine.console()
              if record.text.startswith("placed street-lamp-")]
    assert len(frames) == 6 and len(set(frames)) == 6, frames
