"""A client whose services spawn an actor by calling back into the engine,
the shape of the re-entrant deadlock. Every line it prints starts with
time.monotonic().

spawn_sync(label)             calls root.execute() and waits: the bug when the
                              engine calls it synchronously from its main thread
spawn_fire_and_forget(label)  fix: rpyc.async_(root.execute), no waiting
spawn_and_poll(label)         fix: keeps the AsyncResult; a thread outside the
                              service polls it until it is ready
"""

import queue
import threading
import time

import rpyc

import understudy_client

SPAWN = """
import unreal_engine as ue
ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label({label!r})
"""
POLL_DEADLINE = 60.0


def say(text):
    print(f"{time.monotonic():.6f} {text}", flush=True)


class SpawnerService(understudy_client.ClientService):
    def __init__(self):
        super().__init__()
        self._conn = None
        self._pending = queue.Queue()
        threading.Thread(target=self._poll_pending, name="poller", daemon=True).start()

    def on_connect(self, conn):
        self._conn = conn

    def exposed_spawn_sync(self, label):
        say(f"spawn_sync({label}): calling execute")
        started = time.monotonic()
        self._conn.root.execute(SPAWN.format(label=label))
        say(f"spawn_sync({label}): execute returned after {time.monotonic() - started:.3f} s")
        return label

    def exposed_spawn_fire_and_forget(self, label):
        rpyc.async_(self._conn.root.execute)(SPAWN.format(label=label))
        say(f"spawn_fire_and_forget({label}): sent execute, not waiting")
        return label

    def exposed_spawn_and_poll(self, label):
        result = rpyc.async_(self._conn.root.execute)(SPAWN.format(label=label))
        self._pending.put((label, result, time.monotonic()))
        say(f"spawn_and_poll({label}): sent execute, polling it later")
        return label

    def _poll_pending(self):
        while True:
            label, result, started = self._pending.get()
            deadline = started + POLL_DEADLINE
            while not result.ready and time.monotonic() < deadline:
                time.sleep(0.005)
            outcome = "ready" if result.ready else "still not ready"
            error = ""
            if result.ready and result.error:
                try:
                    result.value
                except Exception as exc:
                    error = f", error {exc!r}"
            say(f"spawn_and_poll({label}): execute {outcome} after "
                f"{time.monotonic() - started:.3f} s{error}")


def main():
    understudy_client.connect(service=SpawnerService())
    say("connected")
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
