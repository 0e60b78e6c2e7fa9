# Broken on purpose: every fourth spawn puts two actors with the label in the world.
import world_wrapper


class _Twice:
    def __init__(self, first, second):
        self._actors = (first, second)

    def set_actor_label(self, label):
        for actor in self._actors:
            actor.set_actor_label(label)


def _spawn(world, cls):
    if next(world_wrapper.spawns) % 4 == 0:
        return _Twice(world.actor_spawn(cls), world.actor_spawn(cls))
    return world.actor_spawn(cls)


world_wrapper.install(_spawn)
