# Broken on purpose: starts a thread every 0.2 s that never ends (until the
# engine does: daemon threads).
import threading

import unreal_engine as ue

_forever = threading.Event()
_state = {"elapsed": 0.0, "started": 0}


def _leak(delta_time):
    _state["elapsed"] += delta_time
    if _state["elapsed"] >= 0.2 and _state["started"] < 200:
        _state["elapsed"] = 0.0
        _state["started"] += 1
        threading.Thread(target=_forever.wait, daemon=True).start()
    return True


_leak_ticker = ue.add_ticker(_leak)  # the ticker lives as long as its handle
