# Broken on purpose: a ticker that, once, a second in, holds the main thread
# for 1.5 s (longer than any call timeout the must-fail cases use).
import time

import unreal_engine as ue

_state = {"elapsed": 0.0, "held": False}


def _hold_once(delta_time):
    _state["elapsed"] += delta_time
    if not _state["held"] and _state["elapsed"] >= 1.0:
        _state["held"] = True
        time.sleep(1.5)
    return True


_hold_once_ticker = ue.add_ticker(_hold_once)  # the ticker lives as long as its handle
