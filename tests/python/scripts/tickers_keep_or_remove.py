"""add_ticker's contract: a truthy return keeps a ticker, a falsy one removes it."""

import unreal_engine as ue

import probe

calls = probe.values.setdefault("calls", {})


def returning(name, result):
    def ticker(delta_time):
        calls[name] = calls.get(name, 0) + 1
        return result

    return ticker


RESULTS = {
    "True": True, "1": 1, "'yes'": "yes", "[0]": [0],
    "False": False, "None": None, "0": 0, "''": "", "[]": [],
}
# Dropping a handle would remove its ticker (as in UnrealEnginePython): keep them.
tickers = [ue.add_ticker(returning(name, result)) for name, result in RESULTS.items()]
