"""A ticker that raises on its third frame: an engine error from a ticker."""

import unreal_engine as ue

frames = 0


def count_frames(delta_time):
    global frames
    frames += 1
    if frames == 3:
        raise ZeroDivisionError("the ticker divided by zero on frame 3")
    return True


count_frames_ticker = ue.add_ticker(count_frames)  # the ticker lives as long as its handle
