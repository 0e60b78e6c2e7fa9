"""Says once that frames are running, so that a test knows the engine is up."""

import unreal_engine as ue


def announce(delta_time):
    ue.log(f"engine ready at frame {ue.get_frame_number()}")
    return False


announce_ticker = ue.add_ticker(announce)  # the ticker lives as long as its handle
