"""Reads a GameObject's name on a worker thread, as a tool that forgets the
main-thread rule does: the scene must refuse (WrongThreadError), and the
script re-raises what the worker saw."""

import threading

import UnityEngine

go = UnityEngine.GameObject("worker-target")
seen = []


def read_name():
    try:
        seen.append(go.name)
    except Exception as exc:  # handed to the main thread below
        seen.append(exc)


worker = threading.Thread(target=read_name, name="tool-worker")
worker.start()
worker.join(10)
if isinstance(seen[0], Exception):
    raise seen[0]
