"""RunningThreads: the threads of one kind still running, so that the
engine's stop can wait for them. A thread left running Python when the
interpreter finalizes is frozen mid-frame, and what its frame held is never
freed (LeakSanitizer reports it)."""

import threading
import time


class RunningThreads:
    def __init__(self):
        self._threads = set()
        self._lock = threading.Lock()

    def add(self, thread):
        with self._lock:
            self._threads.add(thread)

    def discard(self, thread):
        with self._lock:
            self._threads.discard(thread)

    def join(self, timeout):
        """Waits at most `timeout` s for all of them to end; those still running."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [thread for thread in threads if thread.is_alive()]
