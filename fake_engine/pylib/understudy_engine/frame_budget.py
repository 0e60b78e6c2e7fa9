"""FrameBudget: how many bytes of frames still being received all of the RPC
server's connections together may hold (--max-buffered-bytes).

--max-frame-bytes bounds one frame, not the sum: eight peers each holding 60
MiB of a 63 MiB frame (sending the rest never, or a byte at a time within the
frame deadline) took the engine from 23 to 505 MiB, and --max-connections
such peers could take 64 MiB each. A connection reserves its frame's
announced length here before it reads the payload (and what a compressed
frame inflates to, as it inflates) and gives it back once the frame is in
one piece, so the bytes held for frames being received stay under the
budget whatever the peers do.

The first FREE_BYTES of every frame are not counted: ordinary calls and
replies are far smaller, and peers holding the whole budget must not stop
them. That part is bounded by the connection cap instead (at most
--max-connections x 64 KiB).

A frame that does not fit waits up to WAIT seconds (less, if its frame
deadline comes first) for room before its connection is refused: an honest
frame of tens of MiB arrives over loopback in tens of milliseconds, so
honest peers sending large frames at once take turns instead of being
closed, while a budget held by frames that do not finish refuses the
newcomer after a second, visibly. While it waits nothing is read: its bytes
stay in the kernel's socket buffer, and its sender is held back by TCP."""

import threading
import time


class FrameBudget:
    FREE_BYTES = 64 * 1024
    WAIT = 1.0

    def __init__(self, limit):
        """`limit`: bytes; 0 counts nothing (stock RPyC)."""
        self.limit = limit
        self.held = 0  # counted bytes reserved now, across connections
        self._room = threading.Condition()

    def reserve(self, size, deadline=None):
        """A Reservation of a frame of `size` bytes, waiting for room until
        WAIT seconds from now or the monotonic `deadline`, whichever is
        first; None if there was none by then."""
        reservation = Reservation(self)
        return reservation if reservation.grow(size, self._wait_until(deadline)) else None

    def _wait_until(self, deadline):
        until = time.monotonic() + self.WAIT
        return until if deadline is None else min(until, deadline)

    def _take(self, count, until):
        """Counts `count` more bytes, waiting for room until the monotonic
        `until` (None: not at all); False if there was none."""
        if count > self.limit:
            return False  # no wait frees enough
        with self._room:
            while self.held + count > self.limit:
                left = None if until is None else until - time.monotonic()
                if left is None or left <= 0:
                    return False
                self._room.wait(left)
            self.held += count
            return True

    def _give_back(self, count):
        with self._room:
            self.held -= count
            self._room.notify_all()


class Reservation:
    """The bytes one frame being received holds: `size` in all, of which
    the part past FrameBudget.FREE_BYTES is counted against the budget."""

    __slots__ = ("budget", "size", "counted")

    def __init__(self, budget):
        self.budget = budget
        self.size = 0
        self.counted = 0

    def grow(self, count, until=None):
        """Adds `count` bytes to the frame, waiting for room until the
        monotonic `until` (None: not at all); False, with nothing added, if
        the budget has no room for them."""
        budget = self.budget
        size = self.size + count
        counted = max(0, size - budget.FREE_BYTES) if budget.limit else 0
        if counted > self.counted and not budget._take(counted - self.counted, until):
            return False
        self.size, self.counted = size, counted
        return True

    def release(self):
        """Gives the counted bytes back (the frame is complete or dropped)."""
        if self.counted:
            self.budget._give_back(self.counted)
            self.counted = 0
        self.size = 0
