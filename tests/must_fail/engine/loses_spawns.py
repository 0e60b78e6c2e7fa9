# Broken on purpose: every fourth spawn answers as if it had spawned, but no
# actor ever enters the world.
import world_wrapper


class _NoActor:
    def set_actor_label(self, label):
        pass


def _spawn(world, cls):
    return _NoActor() if next(world_wrapper.spawns) % 4 == 0 else world.actor_spawn(cls)


world_wrapper.install(_spawn)
