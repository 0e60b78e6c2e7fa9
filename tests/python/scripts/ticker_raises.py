"""A ticker that raises is removed, and its traceback logged as an error."""

import unreal_engine as ue

import probe

probe.values["calls"] = 0


def exploding_ticker(delta_time):
    probe.values["calls"] += 1
    raise ValueError("ticker exploded on purpose")


ticker = ue.add_ticker(exploding_ticker)
