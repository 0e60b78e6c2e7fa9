# Broken on purpose: keeps 4 MiB of touched memory every frame, up to 2 GiB.
# The soak's round lasts a few tenths of a second, so the rate must leave the
# 4 MiB bound far behind even on a loaded machine (1 MiB every 0.05 s grew
# 5 to 6 MiB in a round on an idle machine and less than 4 in a loaded CI
# run), and the cap (about 8 s of frames at 60 Hz) must not be reached before
# the soak takes its baseline.
import unreal_engine as ue

_MIB = 1 << 20
_CAP = 2048 // 4
_kept = []


def _leak(delta_time):
    if len(_kept) < _CAP:
        _kept.append(b"x" * (4 * _MIB))
    return True


_leak_ticker = ue.add_ticker(_leak)  # the ticker lives as long as its handle
