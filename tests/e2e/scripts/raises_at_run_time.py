"""Registers a ticker, then raises: the traceback is logged and the engine,
ticker included, keeps running to its frame limit."""

import unreal_engine as ue


def report_frames(delta_time):
    frame = ue.get_frame_number()
    if frame % 10 == 0:
        ue.log(f"still ticking at frame {frame}")
    return True


def fail():
    raise ValueError("boom at run time")


report_frames_ticker = ue.add_ticker(report_frames)  # the ticker lives as long as its handle
ue.log("about to raise")
fail()
