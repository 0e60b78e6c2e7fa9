# Broken on purpose: an actor labelled like a fault-matrix client's (NAME.PID.N)
# that no client ever asked for.
import unreal_engine as ue

ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label("fm-0.1.1")
