# Broken on purpose: keeps 1 MiB of touched memory every 0.05 s, up to 300 MiB.
import unreal_engine as ue

_kept = []
_state = {"elapsed": 0.0}


def _leak(delta_time):
    _state["elapsed"] += delta_time
    if _state["elapsed"] >= 0.05 and len(_kept) < 300:
        _state["elapsed"] = 0.0
        _kept.append(b"x" * (1 << 20))
    return True


_leak_ticker = ue.add_ticker(_leak)  # the ticker lives as long as its handle
