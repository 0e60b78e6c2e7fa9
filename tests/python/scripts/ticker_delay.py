"""A ticker with a delay runs once that many seconds have passed, and gets
the time since it last ran."""

import time

import unreal_engine as ue

import probe

probe.values["deltas"] = []
probe.values["times"] = []
probe.values["every_frame"] = 0


def every_quarter_second(delta_time):
    probe.values["deltas"].append(delta_time)
    probe.values["times"].append(time.monotonic())
    return True


def every_frame(delta_time):
    probe.values["every_frame"] += 1
    return True


quarter_second_ticker = ue.add_ticker(every_quarter_second, delay=0.25)
every_frame_ticker = ue.add_ticker(every_frame)
