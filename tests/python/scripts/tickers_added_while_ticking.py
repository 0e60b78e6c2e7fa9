"""A ticker added by a ticker starts on the next frame."""

import unreal_engine as ue

import probe

calls = probe.values.setdefault("calls", [])
tickers = []  # a dropped handle would remove its ticker


def child(delta_time):
    calls.append("child")
    return True


def parent(delta_time):
    calls.append("parent")
    if calls.count("parent") == 1:
        tickers.append(ue.add_ticker(child))
    return True


tickers.append(ue.add_ticker(parent))
