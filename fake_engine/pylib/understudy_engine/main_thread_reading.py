"""MainThreadReading: the main thread reads the connections of the clients
it is serving, between frames, so that a call that needs it costs one
thread's wake-up, as with a plain RPyC server's one thread, not two.

Without it, each message crosses threads: the connection's reader decodes it
and wakes the main thread, which completes an async call's future (whose
callback sends the next call) or runs a request's main-thread job and sends
the reply, while the reader sleeps until the next message. Measured on this
machine (BENCHMARKS.md), that hand-off held the engine's async pipeline to
0.58-0.61 of plain `rpyc.async_` and a client's closed loop of `execute` to
0.57-0.65 of a plain server; with one thread doing the work, 1.04-1.10 and
0.95-1.11. The work must still run on the main thread (game code's callbacks
and the engine API do), so here the main thread does the reading while it
is otherwise idle.

Who reads a connection:
- Its reader thread, as ever, until it receives a reply to an async call
  made from the main thread, or a request it queues for the main thread. It
  then hands the connection to the main thread (`grant`), with that call to
  complete, and parks.
- The main thread, between frames (FrameLoop's idle wait, `idle_wait`): it
  waits on the connections it was handed and on its job queue at once, reads
  the frames that have wholly arrived (it never waits for the rest of a frame
  on a socket), and completes each reply's future inline; a callback's next
  call goes out from there. A request that needs the main thread runs there
  too, one per connection a turn (after the connection's jobs still queued),
  and so do those that cannot run any code of the object they touch
  (inline_requests.py). Any other request goes back to the reader with the
  connection, to run there as before: it may block, and the main thread
  must not.
- The reader again (`release`) as soon as the main thread has been away from
  its idle wait for RECLAIM_AFTER_S (a long frame, a job, a callback that
  blocks: the watchman thread looks every RECHECK_S), makes a synchronous
  call to that client, or reads something it leaves to the reader (such a
  request, a large or compressed frame, the end of the connection). So while
  the main thread is busy, a client is left unread for RECLAIM_AFTER_S plus
  at most RECHECK_S, where its reader would have read it at once. A client
  whose requests went back to its reader is not handed over again until it
  has sent REGRANT_AFTER main-thread requests in a row: one that mixes both
  kinds would otherwise cross between the threads on every call.

Never under --faithful: the originals dispatch on the reader."""

import collections
import select
import threading

from rpyc.core import consts

import _understudy_engine as native

from .channel import LEAVE_TO_READER

# How long the main thread may be away from its idle wait before the
# connections it holds go back to their readers, and how often the watchman
# looks: short against a client's patience, long against a frame's work.
RECLAIM_AFTER_S = 0.010
RECHECK_S = 0.020
# Main-thread requests in a row after which a client whose request the main
# thread gave back is handed over again.
REGRANT_AFTER = 8
# A parked reader also looks this often whether its connection closed.
PARKED_LOOK_S = 0.5


class MainThreadReading:
    def __init__(self):
        self._lock = threading.Lock()
        self._watch = threading.Condition(self._lock)  # a grant, or the stop
        self._watchman = None
        self._watchman_stop = None  # an Event per start: a reload's watchman is its own
        self._held = {}  # fd -> connection the main thread reads
        # Readers that parked and connections given back since the main
        # thread last looked: it registers and unregisters them in its
        # poller, which it alone touches (no rebuild per change).
        self._changes = collections.deque()
        self._poller = None
        self._polled = {}  # fd -> connection in the poller (main thread)
        self._ahead = set()  # connections with frames read ahead (main thread)
        self._ready = collections.deque()  # AsyncCalls whose replies a reader received
        self._active = False
        # What it did, for tests and profiles: connections handed over by
        # their readers, taken back while the main thread was away, replies
        # the main thread read, requests it read and ran, and requests it
        # gave to the readers.
        self.grants = 0
        self.reclaims = 0
        self.messages_read = 0
        self.requests_run = 0
        self.requests_handed_back = 0

    # --- the server's start and stop (main thread) ---

    def start(self):
        self._active = True
        self._poller = select.poll()
        self._poller.register(native.main_thread_wake_fd(), select.POLLIN)
        self._polled = {}
        self._ahead = set()
        self._watchman_stop = threading.Event()
        self._watchman = threading.Thread(target=self._watch_main_thread,
                                          args=(self._watchman_stop,),
                                          name="rpc-main-reading-watch", daemon=True)
        self._watchman.start()
        native.set_idle_wait(self.idle_wait)

    def stop(self):
        with self._lock:
            self._active = False
            if self._watchman_stop is not None:
                self._watchman_stop.set()
            self._watch.notify_all()
        native.set_idle_wait(None)
        native.want_idle_wait(False)
        self._release_all()
        self._complete_ready()
        if self._watchman is not None:
            self._watchman.join(timeout=1.0)
            self._watchman = None

    def _release_all(self):
        with self._lock:
            held = list(self._held.values())
        for conn in held:
            self.release(conn)

    # --- a connection's reader ---

    def grant(self, conn, call=None):
        """On `conn`'s reader thread, which just received the reply to the
        main thread's async call `call`, or a request it queued for the main
        thread (call None): hands the connection to the main thread, with the
        call to complete. False when it did not: not the reader, not active,
        the main thread busy elsewhere (in a long job, a synchronous call),
        which would only leave the connection unread until it was taken
        back, or a client whose requests recently went back to its reader;
        the caller then posts the completion as a job."""
        if not self._active or threading.get_ident() != conn._reader_ident or \
                conn._hooks.main_thread_sync_calls or self.main_away_for() > RECLAIM_AFTER_S:
            return False
        if call is None and conn._regrant_after:
            conn._regrant_after -= 1
            return False
        # One critical section for the call and the connection: the main
        # thread says it has nothing to wait on only under this lock, when it
        # finds neither.
        with conn._park, self._lock:
            if call is not None:
                self._ready.append(call)
            if not conn._main_reads and not conn.closed:
                conn._main_reads = True
                conn._reader_parked = False
                self._held[conn._fileno] = conn
                self.grants += 1
                self._watch.notify_all()
            native.want_idle_wait(True)
        native.wake_main_thread()
        return True

    def park(self, conn):
        """On `conn`'s reader thread, which handed the connection over:
        waits until it is given back."""
        with conn._park:
            if conn._main_reads and not conn.closed:
                # The receive lock is free now: the main thread may read.
                conn._reader_parked = True
                with self._lock:
                    self._changes.append(conn)
                native.wake_main_thread()
            while conn._main_reads and not conn.closed:
                conn._park.wait(PARKED_LOOK_S)
            if conn.closed:
                # Closed before the main thread read it (or while parked):
                # nothing of it may stay held, nor in the poller.
                self._take_back(conn)

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
            conn._reader_parked = False
            conn._park.notify_all()
        with self._lock:
            if self._held.get(conn._fileno) is conn:
                del self._held[conn._fileno]
                self._changes.append(conn)

    def _watch_main_thread(self, stop):
        """The watchman's thread: while the main thread holds connections,
        looks every RECHECK_S whether it has been away from its idle wait for
        RECLAIM_AFTER_S, and if so gives them back to their readers. One
        thread for all, where each parked reader looking for itself would
        take the GIL from the main thread dozens of times a second."""
        while True:
            with self._lock:
                while not stop.is_set() and not self._held:
                    self._watch.wait()
            if stop.wait(RECHECK_S):
                return
            if self.main_away_for() <= RECLAIM_AFTER_S:
                continue
            with self._lock:
                held = list(self._held.values())
            for conn in held:
                with conn._park:
                    if conn._main_reads:
                        self.reclaims += 1
                    self._take_back(conn)

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
        if not self._apply_changes():
            with self._lock:
                if not self._held and not self._ready:
                    native.want_idle_wait(False)  # until the next grant
            return None
        # Frames already read ahead (by the reader, before it handed the
        # connection over, or by this thread, which runs one request of a
        # connection a turn) do not make the socket readable: no poll would
        # ever show them, and the reader, parked while the main thread idles,
        # would not take them back.
        ahead = self._ahead
        if ahead:
            for conn in list(ahead):
                if not self.read(conn):
                    ahead.discard(conn)
        # With jobs queued (or a wake-up), the connections are still looked
        # at, without waiting: they take turns with the jobs, where waiting
        # for an empty queue would leave them to the watchman.
        wait = not native.begin_idle_wait() and not ahead
        try:
            events = self._poller.poll(max(0, int(timeout_s * 1000 + 0.999)) if wait else 0)
        except InterruptedError:
            events = ()
        finally:
            jobs = native.end_idle_wait()
        polled = self._polled
        for fd, _ in events:
            conn = polled.get(fd)
            if conn is not None and self.read(conn):
                ahead.add(conn)
        return jobs

    def _apply_changes(self):
        """Registers the connections whose readers parked, unregisters those
        given back; whether any connection is held (or about to be)."""
        with self._lock:
            changes, self._changes = self._changes, collections.deque()
            held = bool(self._held)
        polled = self._polled
        for conn in changes:
            fd = conn._fileno
            if conn._main_reads and conn._reader_parked and not conn.closed:
                if polled.get(fd) is not conn:
                    polled[fd] = conn
                    self._poller.register(fd, select.POLLIN)
                if conn._channel.has_read_ahead():
                    self._ahead.add(conn)
            else:
                self._ahead.discard(conn)
                if polled.get(fd) is conn:
                    del polled[fd]
                    try:
                        self._poller.unregister(fd)
                    except (KeyError, ValueError):
                        pass  # closed already
        return held or bool(polled)

    def read(self, conn):
        """Main thread: dispatches the messages wholly arrived on `conn`
        while it holds it, and returns whether more may be waiting. Replies
        complete their futures here. Of the requests, one that needs the
        main thread runs here too, one a turn, so that connections and frames
        take turns with it, as with the job queue, and so does one that runs
        no code of the object's (inline_requests.py); any other goes back to
        the reader with the connection, to run there as before (it may block,
        and the main thread must not)."""
        while conn._main_reads:
            if conn.closed:
                self.release(conn)
                return False
            if not conn._recvlock.acquire(False):
                if not conn._reader_parked:
                    return False  # the reader is finishing the hand-over
                # Another thread is receiving on it (a script's thread waiting
                # for its reply): the reader takes over after it, rather than
                # the main thread polling a socket it cannot read.
                self.release(conn)
                return False
            try:
                # Taken back between the look above and the lock?
                message = conn._read_whole_message() if conn._main_reads else None
            finally:
                conn._release_recvlock()
            if message is None:
                return False
            if message is LEAVE_TO_READER:
                self.release(conn)
                return False
            if message[0] == consts.MSG_REQUEST:
                ran = conn._take_request_on_main(message[1], message[2])
                if ran is None:
                    self.requests_handed_back += 1
                    conn._regrant_after = REGRANT_AFTER
                    self.release(conn)
                    return False
                self.requests_run += 1
                if ran:
                    return True  # a main-thread request: the others' turn
                continue
            self.messages_read += 1
            conn._dispatch_reply_on_main(*message)
        return False

    def _complete_ready(self):
        ready = self._ready
        while ready:
            ready.popleft().settle()
