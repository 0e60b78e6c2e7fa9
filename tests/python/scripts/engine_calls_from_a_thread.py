"""Engine API called from a Python thread that is not the main thread: each
call raises RuntimeError naming the API and the thread; logging is allowed."""

import threading

import unreal_engine as ue
from unreal_engine.classes import Character

import probe

world = ue.get_editor_world()
actor = world.actor_spawn(Character)
actor.set_actor_label("untouched")
errors = probe.values.setdefault("errors", {})


def attempt(api, call):
    try:
        call()
        errors[api] = "no error"
    except RuntimeError as error:
        errors[api] = str(error)


def worker():
    attempt("unreal_engine.get_editor_world", ue.get_editor_world)
    attempt("UObject.actor_spawn", lambda: world.actor_spawn(Character))
    attempt("UObject.all_actors", world.all_actors)
    attempt("UObject.find_actor_by_label", lambda: world.find_actor_by_label("untouched"))
    attempt("UObject.set_actor_label", lambda: actor.set_actor_label("from a thread"))
    attempt("UObject.get_actor_label", actor.get_actor_label)
    attempt("UObject.actor_destroy", actor.actor_destroy)
    attempt("unreal_engine.add_ticker", lambda: ue.add_ticker(lambda delta_time: True))
    attempt("unreal_engine.remove_ticker", lambda: ue.remove_ticker(1))
    probe.values["worker_is_main_thread"] = ue.is_main_thread()
    ue.log("logged from rpc-worker-7")


thread = threading.Thread(target=worker, name="rpc-worker-7")
thread.start()
thread.join()
probe.values["script_is_main_thread"] = ue.is_main_thread()
