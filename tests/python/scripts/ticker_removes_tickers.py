"""remove_ticker from inside a ticker: of a later ticker (which then does not
run, even this frame) and of itself (gone, whatever it returns)."""

import unreal_engine as ue

import probe

calls = probe.values.setdefault("calls", [])
handles = {}


def remover(delta_time):
    calls.append("remover")
    ue.remove_ticker(handles["victim"])
    ue.remove_ticker(handles["remover"])
    ue.remove_ticker(handles["victim"])  # removed already: ignored
    return True


def victim(delta_time):
    calls.append("victim")
    return True


def bystander(delta_time):
    calls.append("bystander")
    return True


handles["remover"] = ue.add_ticker(remover)
handles["victim"] = ue.add_ticker(victim)
handles["bystander"] = ue.add_ticker(bystander)
