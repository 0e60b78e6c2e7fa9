"""MainThreadReading: the main thread reads the replies to its own async
calls, between frames, so that an async pipeline runs on one thread.

Without it, each batch of replies crosses threads twice: the connection's
reader decodes it and wakes the main thread to complete the futures, whose
callbacks send the next calls, while the reader sleeps until the next batch.
Measured on this machine (BENCHMARKS.md), that hand-off held the engine's
pipeline to 0.58-0.61 of plain `rpyc.async_`, whose one thread reads, completes
and sends; with the completions on one thread the engine reached 1.04-1.10.
Completions must still run on the main thread (game code's callbacks do), so
here the main thread does the reading while it is otherwise idle.

Who reads a connection:
- Its reader thread, as ever, until it receives a reply to an async call
  made from the main thread. It then hands the connection to the main thread
  (`grant`), with that call to complete, and parks.
- The main thread, between frames (FrameLoop's idle wait, `idle_wait`): it
  waits on the connections it was handed and on its job queue at once, reads
  the frames that have wholly arrived (it never waits for the rest of a frame
  on a socket), and completes each reply's future inline; a callback's next
  call goes out from there. A request it reads goes back to the reader with
  the connection, to be dispatched there as any request is: what needs the
  main thread becomes a job, the rest runs on the reader.
- The reader again (`release`) as soon as the main thread has been away from
  its idle wait for RECLAIM_AFTER_S (a long frame, a job, a callback that
  blocks), makes a synchronous call to that client, or reads something it
  leaves to the reader (a request, a large or compressed frame, the end of
  the connection). So while the main thread is busy, a client is left
  unread for RECLAIM_AFTER_S plus at most RECHECK_S (when its parked reader
  next looks), where its reader would have read it at once.

Never under --faithful: the originals complete on the reader's hand-off."""

import collections
import select
import threading

from rpyc.core import consts

import _understudy_engine as native

from .channel import LEAVE_TO_READER

# How long the main thread may be away from its idle wait before the readers
# of the connections it holds take them back, and how often a parked reader
# looks: short against a client's patience, long against a frame's work.
RECLAIM_AFTER_S = 0.010
RECHECK_S = 0.020


class MainThreadReading:
    def __init__(self):
        self._lock = threading.Lock()
        self._held = {}  # fd -> connection the main thread reads
        self._version = 0  # changes with _held, so the poller is rebuilt
        self._poller = None
        self._poller_version = -1
        self._ready = collections.deque()  # AsyncCalls whose replies a reader received
        self._active = False
        # What it did, for tests and profiles: connections handed over by
        # their readers, taken back by them while the main thread was away,
        # replies the main thread read, and requests it gave to the readers.
        self.grants = 0
        self.reclaims = 0
        self.messages_read = 0
        self.requests_handed_back = 0

    # --- the server's start and stop (main thread) ---

    def start(self):
        self._active = True
        native.set_idle_wait(self.idle_wait)

    def stop(self):
        self._active = False
        native.set_idle_wait(None)
        native.want_idle_wait(False)
        self._release_all()
        self._complete_ready()

    def _release_all(self):
        with self._lock:
            held = list(self._held.values())
        for conn in held:
            self.release(conn)

    # --- a connection's reader ---

    def grant(self, conn, call):
        """On `conn`'s reader thread, whose reply to the main thread's async
        call `call` just arrived: hands the connection to the main thread
        with the call to complete. False when the caller must post the
        completion as a job instead: not the reader, not active, or the main
        thread busy elsewhere (in a long job, a synchronous call), which would
        only leave the connection unread until the reader took it back."""
        if not self._active or threading.get_ident() != conn._reader_ident or \
                self.main_away_for() > RECLAIM_AFTER_S:
            return False
        # One critical section for the call and the connection: the main
        # thread says it has nothing to wait on only under this lock, when it
        # finds neither.
        with conn._park, self._lock:
            self._ready.append(call)
            if not conn._main_reads and not conn.closed:
                conn._main_reads = True
                self._held[conn._fileno] = conn
                self._version += 1
                self.grants += 1
            native.want_idle_wait(True)
        native.wake_main_thread()
        return True

    def park(self, conn):
        """On `conn`'s reader thread, which handed the connection over:
        waits until it is released, taking it back if the main thread stays
        away from its idle wait."""
        with conn._park:
            while conn._main_reads and not conn.closed:
                conn._park.wait(RECHECK_S)
                if conn._main_reads and self.main_away_for() > RECLAIM_AFTER_S:
                    self._take_back(conn)
                    with self._lock:
                        self.reclaims += 1

    def held_count(self):
        with self._lock:
            return len(self._held)

    @staticmethod
    def main_away_for():
        return native.main_thread_busy_for()

    def release(self, conn):
        """Any thread: `conn`'s reader reads it again."""
        with conn._park:
            self._take_back(conn)

    def _take_back(self, conn):
        # REQUIRES: conn._park held.
        if conn._main_reads:
            conn._main_reads = False
            conn._park.notify_all()
        with self._lock:
            if self._held.pop(conn._fileno, None) is not None:
                self._version += 1

    # --- the main thread ---

    def idle_wait(self, timeout_s):
        """FrameLoop's idle wait: None when no connection is held (the job
        queue's own wait runs), else whether jobs are queued after waiting up
        to `timeout_s` for a job or for something to read."""
        try:
            return self._idle_wait(timeout_s)
        except BaseException:
            # The engine stops calling it (it logs why): no connection may
            # stay with a main thread that no longer reads.
            self._active = False
            self._release_all()
            raise

    def _idle_wait(self, timeout_s):
        self._complete_ready()
        held, version = self._held_connections()
        if not held:
            with self._lock:
                if not self._held and not self._ready:
                    native.want_idle_wait(False)  # until the next grant
            return None
        for conn in held.values():
            # Frames already read ahead (by the reader, before it handed the
            # connection over) do not make the socket readable: no poll would
            # ever show them, and the reader, parked while the main thread
            # idles, would not take them back.
            if conn._channel.has_read_ahead():
                self.read(conn)
        if native.begin_idle_wait():
            return native.end_idle_wait()
        poller = self._poller_for(held, version)
        try:
            events = poller.poll(max(0, int(timeout_s * 1000 + 0.999)))
        except InterruptedError:
            events = ()
        finally:
            jobs = native.end_idle_wait()
        for fd, _ in events:
            conn = held.get(fd)
            if conn is not None:
                self.read(conn)
        return jobs

    def read(self, conn):
        """Main thread: dispatches the messages wholly arrived on `conn`
        while it holds it; replies complete their futures here."""
        while conn._main_reads:
            if conn.closed:
                self.release(conn)
                return
            if not conn._recvlock.acquire(False):
                # Another thread is receiving on it (a script's thread waiting
                # for its reply): the reader takes over after it, rather than
                # the main thread polling a socket it cannot read.
                self.release(conn)
                return
            try:
                # Taken back between the look above and the lock?
                message = conn._read_whole_message() if conn._main_reads else None
            finally:
                conn._release_recvlock()
            if message is None:
                return
            if message is LEAVE_TO_READER:
                self.release(conn)
                return
            if message[0] == consts.MSG_REQUEST:
                self.requests_handed_back += 1
                conn._requests_from_main.append(message)
                self.release(conn)
                return
            self.messages_read += 1
            conn._dispatch_reply_on_main(*message)

    def _complete_ready(self):
        ready = self._ready
        while ready:
            ready.popleft().settle()

    def _held_connections(self):
        with self._lock:
            held, version = dict(self._held), self._version
        closed = [conn for conn in held.values() if conn.closed]
        if closed:
            for conn in closed:
                self.release(conn)
            return self._held_connections()
        return held, version

    def _poller_for(self, held, version):
        if self._poller_version != version:
            poller = select.poll()
            poller.register(native.main_thread_wake_fd(), select.POLLIN)
            for fd in held:
                poller.register(fd, select.POLLIN)
            self._poller = poller
            self._poller_version = version
        return self._poller

