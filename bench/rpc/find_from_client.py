#!/usr/bin/python3
"""find_from_client: GameObject.Find on the Unity binding from a client,
against the same lookup on the Unreal binding, measured in one run.

    /usr/bin/python3 bench/rpc/find_from_client.py [--engine PATH] [--calls N]

One engine holds a Unity scene of 10,000 GameObjects (g0..g9999) and an
Unreal world of 10,000 actors (a0..a9999). A client in this process calls,
through netrefs as a tool does:

  Unity:   UnityEngine.GameObject.Find('g5000')
  Unreal:  ue.get_editor_world().find_actor_by_label('a5000')  (the baseline)
  fast:    UnityEngine.Debug.Log('...'), which PfU runs on the connection's
           thread, so it needs no frame (for comparison, not a target)

Both lookups hop to the engine's main thread and come back with a netref
to the object found. The calls alternate in rounds, so that drift on a
shared machine falls on both alike. This is a benchmark, not a test: it
prints a table and asserts nothing.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rpc_latency import REPO, Processes, connect, measure, percentiles  # noqa: E402

OBJECTS = 10_000
ROUNDS = 5

SETUP = f"""
import UnityEngine
import unreal_engine as ue
from unreal_engine.classes import Actor
world = ue.get_editor_world()
for i in range({OBJECTS}):
    UnityEngine.GameObject(f'g{{i}}')
    world.actor_spawn(Actor).set_actor_label(f'a{{i}}')
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default=os.environ.get("UNDERSTUDY_ENGINE") or str(
        REPO / "build" / "fake_engine" / "understudy-engine"))
    parser.add_argument("--calls", type=int, default=2000, help="calls per row, in all rounds")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="find-from-client-") as directory:
        procs = Processes(directory)
        try:
            engine, announced = procs.start(
                "engine", [options.engine, "--port", "0", "--tick-hz", "60"], "understudy")
            conn = connect(announced["rpc"])
            root = conn.root
            root.execute(SETUP, root.dict())
            unity = root.import_module("UnityEngine")
            find = unity.GameObject.Find
            log = unity.Debug.Log
            find_actor = root.import_module("unreal_engine").get_editor_world().find_actor_by_label
            if find("g5000").name != "g5000" or find_actor("a5000").get_actor_label() != "a5000":
                raise RuntimeError(f"the lookups found the wrong objects; see {directory}")
            rows = {"Unity": [], "Unreal": [], "fast": []}
            per_round = max(1, options.calls // ROUNDS)
            for _ in range(ROUNDS):
                rows["Unreal"] += measure(lambda: find_actor("a5000"), per_round)
                rows["Unity"] += measure(lambda: find("g5000"), per_round)
                rows["fast"] += measure(lambda: log("find_from_client"), per_round)
            conn.close()
            procs.stop(engine)
        finally:
            procs.stop_all()
    unity, unreal, fast = (percentiles(rows[k]) for k in ("Unity", "Unreal", "fast"))
    print(f"\n{len(rows['Unity'])} calls per row in {ROUNDS} alternating rounds; "
          f"{OBJECTS:,} objects each side; engine at --tick-hz 60")
    header = f"{'call from a client':58} {'p50 ms':>8} {'p99 ms':>8} {'x p50':>7} {'x p99':>7}"
    print(header)
    print("-" * len(header))
    for title, got in (("ue world.find_actor_by_label('a5000') (baseline)", unreal),
                       ("UnityEngine.GameObject.Find('g5000')", unity),
                       ("UnityEngine.Debug.Log (fast call, no main thread)", fast)):
        print(f"{title:58} {got['p50']:8.3f} {got['p99']:8.3f} "
              f"{got['p50'] / unreal['p50']:7.2f} {got['p99'] / unreal['p99']:7.2f}")


if __name__ == "__main__":
    main()
