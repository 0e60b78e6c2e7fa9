# Broken on purpose: every third spawn creates the actor and labels it, then
# raises, so the client is told the spawn failed although the actor exists.
import world_wrapper


class _LabelThenRaise:
    def __init__(self, actor):
        self._actor = actor

    def set_actor_label(self, label):
        self._actor.set_actor_label(label)
        raise RuntimeError(f"broken engine: {label} spawned, then reported failed")


def _spawn(world, cls):
    actor = world.actor_spawn(cls)
    return _LabelThenRaise(actor) if next(world_wrapper.spawns) % 3 == 0 else actor


world_wrapper.install(_spawn)
