# Broken on purpose: opens a file every 0.2 s and never closes it.
import unreal_engine as ue

_kept = []
_state = {"elapsed": 0.0}


def _leak(delta_time):
    _state["elapsed"] += delta_time
    if _state["elapsed"] >= 0.2 and len(_kept) < 500:
        _state["elapsed"] = 0.0
        _kept.append(open("/dev/null"))
    return True


_leak_ticker = ue.add_ticker(_leak)  # the ticker lives as long as its handle
