"""Outbox: what the engine sends on one connection, written so that no
sending thread (the main thread above all) ever waits for the peer to read.

The main thread sends a lot: game code's calls to clients, and the replies
of every request that ran on it (execute, the engine API). A peer that stops
reading (paused, wedged, or hostile: it pipelines requests with large
replies and never reads them) fills its socket's buffers, and a blocking
send then holds the main thread, every frame and every other client with
it, until the frame deadline. Here a sending thread only does what the
socket takes at once:

- a small message is framed and written on the sending thread when nothing
  waits before it and the socket takes it whole (the common case: no
  handoff, no extra thread, the same latency as before);
- anything else is queued, in order, and the connection's writer thread
  frames and writes it as the peer reads. Messages over INLINE_BYTES are
  always queued, so that the writer, not the main thread, compresses them
  (RPyC compresses every frame over 3000 bytes: 12 MiB take the better part
  of a second).

A sending thread holds the outbox's lock only for a send that cannot block,
so order on the connection is the order of the sends. Bounds: a frame must
be written out within the frame deadline once it has started going out, and
behind it at most `limit` bytes may wait (--max-frame-bytes: a peer is
expected to take a frame that big; a message that would go out next is
taken whatever its size). A peer past either is refused as
every refusal is (the console warning "closing connection from PEER: peer
stopped reading: ..."), its socket is closed and what waited for it is
dropped; the engine's calls waiting for it fail as a disconnect, and a call's
own timeout bounds it whole, its sending included (calls.py).

Why a writer thread per connection, started on demand, and not:
- the connection's own thread: it waits in poll() for the peer's next
  frame, runs the requests that need no main thread (any of which may take
  long) and, under --faithful, waits for the main thread itself. Writing
  there would put a peer's replies behind its own requests (and behind the
  main thread), and need a wake-up descriptor per connection so that a
  queued reply does not wait out the poll.
- one writer for every connection: a frame one peer is owed would be
  compressed before the next peer's, so one peer's big replies would delay
  everyone's.
The writer starts when a connection first has something queued and ends
after IDLE_SECONDS with nothing to write, so a connection whose peer keeps
up costs no thread beyond its own (the connection cap counts one thread per
connection, limits.py). A writer that cannot start refuses its peer.

--faithful keeps the outbox: faithful reproduces RPyC's dispatch (which
thread receives, who waits for the main thread), not a main thread stuck
behind a socket, and the frame deadline applies there too. --frame-deadline
0 ("behave as stock RPyC") turns it off: the channel then sends as stock
RPyC does, waiting for the peer on the sending thread."""

import collections
import select
import socket
import threading
import time

import _understudy_engine as native
import unreal_engine as ue

from .running_threads import RunningThreads

# The send queue's bound when --max-frame-bytes is 0: the flag's default.
DEFAULT_LIMIT = 64 << 20
# A peer that went away is an EPIPE for the writer, not a SIGPIPE.
_DONTWAIT = socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL


class _Going:
    """The frame being written: its bytes, how many the socket has taken and
    when it started going out (None until framed)."""

    __slots__ = ("frame", "sent", "started")

    def __init__(self, frame=None, sent=0, started=None):
        self.frame = frame
        self.sent = sent
        self.started = started


# The writer threads still running (join_writers: the server's stop waits for them).
_live_writers = RunningThreads()


def join_writers(timeout):
    """Waits at most `timeout` s for every writer thread to end (their
    connections are closed first, which wakes them); those still running."""
    return _live_writers.join(timeout)


class Outbox:
    """One connection's outgoing frames. `channel` (a BoundedChannel) frames
    messages (frame()), closes the connection (close()) and refuses the peer
    (reject()); `deadline` is the frame deadline in seconds, `limit` the bytes
    that may wait behind the frame going out (`limit_text` says it in log
    lines: "64 MiB"). Thread-safe: put() and close() from any thread, the
    writer's included."""

    INLINE_BYTES = 64 * 1024
    WRITE_CHUNK = 256 * 1024  # bytes copied per non-blocking send
    IDLE_SECONDS = 2.0
    # How long the writer waits for the socket between checks that it is
    # still open (closing it wakes the wait anyway; this is a backstop).
    WAIT_SLICE = 0.5

    def __init__(self, channel, deadline, limit, limit_text, keep_gil, name):
        self._channel = channel
        self.deadline = deadline
        self.limit = limit
        self._limit_text = limit_text
        self._keep_gil = keep_gil
        self._name = name
        # Guards everything below; the writer waits on it for work.
        # Reentrant: refusing the peer closes the outbox with it held, and
        # so may a netref's __del__ sending from inside a send.
        self._lock = threading.Condition(threading.RLock())
        self._going = None
        self._waiting = collections.deque()  # messages not framed yet
        self._waiting_bytes = 0
        self._writer = None
        self._closed = False

    # --- the sending threads' side ---

    def put(self, data):
        """Sends `data` (a brine message) now or queues it; never waits for
        the peer. EOFError if the connection is closed, PeerRejected (an
        EOFError) if queuing it would pass the limit or its writer cannot
        start."""
        with self._lock:
            if self._closed:
                raise EOFError("stream has been closed")
            if self._going is None and not self._waiting and len(data) <= self.INLINE_BYTES:
                going = _Going(self._channel.frame(data), 0, time.monotonic())
                self._send_chunk(going)  # the whole frame: it is under WRITE_CHUNK
                if going.sent == len(going.frame):
                    return
                self._going = going
            elif (self._going is not None or self._waiting) and \
                    self._waiting_bytes + len(data) > self.limit:
                raise self._channel.reject(
                    f"peer stopped reading: {self._waiting_bytes + len(data)} bytes of replies "
                    f"and calls to it would wait behind the frame going out, over the "
                    f"{self._limit_text} send queue limit")
            else:
                self._waiting.append(data)
                self._waiting_bytes += len(data)
            self._wake_writer()

    def close(self, close_stream):
        """Drops what waits, wakes the writer to end, and calls
        close_stream() with the lock held, so that the writer never sends on
        a descriptor that was closed (and perhaps reused) under it."""
        with self._lock:
            self._closed = True
            self._going = None
            self._waiting.clear()
            self._waiting_bytes = 0
            close_stream()
            self._lock.notify_all()

    def _wake_writer(self):
        # REQUIRES: lock held.
        if self._writer is not None:
            self._lock.notify()
            return
        writer = threading.Thread(target=self._write, name=self._name, daemon=True)
        _live_writers.add(writer)
        try:
            writer.start()
        except RuntimeError as exc:  # "can't start new thread"
            _live_writers.discard(writer)
            raise self._channel.reject(f"cannot start a thread to write to it ({exc})") from None
        self._writer = writer

    def _send_chunk(self, going):
        """Sends what the socket takes now of the next WRITE_CHUNK bytes of
        going.frame; how many that was (0: the socket's buffer is full). One
        chunk per call, so that the lock is never held for long however fast
        the peer reads. REQUIRES: lock held. EOFError (the connection
        closed) if the send fails."""
        sock = self._channel.stream.sock
        frame = going.frame
        chunk = frame[going.sent:going.sent + self.WRITE_CHUNK] \
            if going.sent or len(frame) > self.WRITE_CHUNK else frame
        try:
            if self._keep_gil:
                sent = native.send_holding_gil(sock.fileno(), chunk)
            else:
                try:
                    sent = sock.send(chunk, _DONTWAIT)
                except (BlockingIOError, InterruptedError):
                    sent = 0
        except OSError as exc:
            self._channel.close()
            raise EOFError(exc) from None
        going.sent += sent
        return sent

    # --- the writer thread ---

    def _write(self):
        try:
            while self._write_one():
                pass
        except Exception as exc:  # a writer that dies must not leave its peer hanging
            ue.log_error(f"{self._name} failed, closing its connection: {exc!r}")
            self._channel.close()
        finally:
            with self._lock:
                if self._writer is threading.current_thread():
                    self._writer = None
            _live_writers.discard(threading.current_thread())

    def _write_one(self):
        """Frames and writes the next message; False when the writer ends
        (idle, or the connection closed)."""
        with self._lock:
            while self._going is None and not self._waiting and not self._closed:
                if not self._lock.wait(self.IDLE_SECONDS) and \
                        self._going is None and not self._waiting:
                    self._writer = None  # with the lock: put() starts another
                    return False
            if self._closed:
                return False
            if self._going is None:
                data = self._waiting.popleft()
                self._waiting_bytes -= len(data)
                self._going = going = _Going()
            else:
                going, data = self._going, None
        if going.frame is None:
            # Outside the lock: compression takes long for big messages and
            # releases the GIL; the outbox is busy meanwhile (_going is set),
            # so later messages queue behind this one.
            going.frame = self._channel.frame(data)
            going.started = time.monotonic()
        return self._write_out(going)

    def _write_out(self, going):
        poller = select.poll()
        while True:
            with self._lock:
                if self._closed or self._going is not going:
                    return False
                try:
                    if self._send_chunk(going):
                        if going.sent == len(going.frame):
                            self._going = None
                            return True
                        continue  # the lock goes back between chunks
                    fd = self._channel.stream.sock.fileno()
                except EOFError:  # closed, perhaps by the reader that saw the peer go
                    return False
                left = None
                if self.deadline:
                    left = going.started + self.deadline - time.monotonic()
                    if left <= 0:
                        self._channel.reject(
                            f"peer stopped reading: {len(going.frame) - going.sent} of the "
                            f"{len(going.frame)} bytes of a frame to it unsent after the "
                            f"{self.deadline:g} s frame deadline")
                        return False
            wait = self.WAIT_SLICE if left is None else min(left, self.WAIT_SLICE)
            poller.register(fd, select.POLLOUT)
            try:
                poller.poll(max(1, int(wait * 1000)))
            except InterruptedError:
                pass
            poller.unregister(fd)
