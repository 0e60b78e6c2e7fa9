# A level-dressing tool over the studio's own class: spawns doors with
# properties as keywords (UEP's deferred spawn), reads them back by attribute,
# and reports what the world holds.
import unreal_engine as ue
from unreal_engine import FVector
from unreal_engine.classes import BP_Door
from unreal_engine.enums import EDoorSwing

world = ue.get_editor_world()
for i in range(3):
    door = world.actor_spawn(BP_Door, FVector(i * 200.0, 0, 0), OpenAngle=30.0 * i)
    door.set_actor_label(f"door-{i}")
    door.Swing = EDoorSwing.Outward if i % 2 else EDoorSwing.Inward
doors = [actor for actor in world.all_actors() if actor.is_a(BP_Door)]
ue.log("doors: " + ", ".join(
    f"{d.get_actor_label()} at x={d.get_actor_location().x:g} open {d.OpenAngle:g} swing {d.Swing}"
    for d in doors))
ue.log(f"door-1's panel hangs on {doors[1].get_actor_component('Panel').get_attach_parent().get_name()}")
