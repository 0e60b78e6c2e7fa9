"""A client with no services at all: plain rpyc.connect, no client_name().
The engine cannot call it, but it can call the engine. Spawns an actor
labelled argv[1], logs a line in the engine console, and exits 0."""

import sys
import time

from plain_client import connect


def main():
    label = sys.argv[1]
    conn = connect()
    conn.root.execute(
        "import unreal_engine as ue\n"
        f"ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label({label!r})\n")
    conn.root.log(f"void client spawned {label}")
    print(f"{time.monotonic():.6f} spawned {label}", flush=True)
    conn.close()


if __name__ == "__main__":
    main()
