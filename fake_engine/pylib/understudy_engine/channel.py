"""BoundedChannel: RPyC's Channel with limits on what one peer can make the
engine's server do.

Stock RPyC 5.x reads a frame header (`!LB`: length, compressed flag) and then
exactly that many bytes, whatever the length says and however long they take:
a header announcing 4 GiB makes a connection thread collect bytes until memory
runs out, and a peer that stops mid-frame (or sends a byte a second) keeps it
blocked forever. Here a frame longer than `max_frame_bytes` (also once
inflated) is refused at its header, a frame that has started arriving must
be complete within `frame_deadline` seconds, and the frames being received
on all connections together hold at most their FrameBudget (frame_budget.py
says how). Frames going out pass through the connection's Outbox
(outbox.py): a sending thread, the main thread included, never waits for a
peer that stops reading; the connection's writer thread writes what the
socket cannot take at once, within the same deadline and a bound on what
may wait. Either limit at 0 behaves as stock RPyC (a frame deadline of 0:
stock RPyC's blocking send, outbox off).

A refused peer is logged once, naming its address and the reason, and its
socket is closed at once; the caller gets PeerRejected, an EOFError, so that
RPyC closes the connection as it does for a peer that went away.

Sends, and receives of data that has already arrived (in frames of up to
GIL_HELD_READ_LIMIT bytes), keep the GIL (gil_held_socket_io.h says why).
Small frames are read with what has arrived behind them, up to READ_AHEAD
bytes, kept for the next frames: stock RPyC makes four system calls per
message (a poll, then the header, the payload and the flusher apart), and a
system call costs several microseconds on a virtual machine, where a
pipeline's whole message costs tens. With faithful=True the channel does
its I/O as stock RPyC does, through the outbox all the same."""

import select
import socket
import threading
import time
import zlib

from rpyc.core.channel import Channel

import _understudy_engine as native

from .frame_budget import FrameBudget
from .outbox import DEFAULT_LIMIT, Outbox


# What recv_whole() gives for what only recv() may take: a large or
# compressed frame, or the connection's end.
LEAVE_TO_READER = object()


class PeerRejected(EOFError):
    """The server closed a connection because of what its peer sent."""


def describe_size(count):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


class BoundedChannel(Channel):
    # Stock RPyC reads in chunks of this size too (consts.STREAM_CHUNK).
    READ_CHUNK = 64000
    INFLATE_PIECE = 1 << 20
    GIL_HELD_READ_LIMIT = 1 << 20
    # What a read of a small frame asks for. The bytes past the frame are the
    # next frames' and wait here for them: at most this much a connection,
    # outside the FrameBudget (the socket's own buffer holds far more).
    READ_AHEAD = 4096

    __slots__ = ("peer", "max_frame_bytes", "frame_deadline", "rejection", "_on_reject",
                 "_keep_gil", "_outbox", "_budget", "_ahead")

    def __init__(self, stream, peer, max_frame_bytes, frame_deadline, on_reject,
                 faithful=False, budget=None):
        """`peer` names the other end in log lines ("127.0.0.1:5555");
        `on_reject(peer, reason)` logs a rejection; `budget`, a FrameBudget
        shared by the server's connections, holds the frames being received."""
        super().__init__(stream)
        self._budget = budget or FrameBudget(0)
        self.peer = peer
        self.max_frame_bytes = max_frame_bytes
        self.frame_deadline = frame_deadline
        self.rejection = None  # why the peer was refused, once it was
        self._on_reject = on_reject
        self._keep_gil = not faithful
        self._ahead = b""  # read past the last frame received (READ_AHEAD)
        self._outbox = None
        if frame_deadline:
            # Created on the connection's thread: its writer is named after it.
            limit = max_frame_bytes or DEFAULT_LIMIT
            self._outbox = Outbox(self, frame_deadline, limit, describe_size(limit),
                                  self._keep_gil, f"{threading.current_thread().name}-writer")

    def send(self, data):
        """Never waits for the peer (outbox.py), unless the frame deadline is
        0: then it waits as stock RPyC's does (what the socket takes at once
        goes first, without releasing the GIL, as in every mode but
        faithful)."""
        if self._outbox is not None:
            self._outbox.put(data)
        elif not self._keep_gil:
            super().send(data)
        else:
            self._send_blocking(self.frame(data))

    def frame(self, data):
        """`data` as stock RPyC frames it: compressed over the threshold,
        behind the header, followed by the flusher."""
        compressed = 0
        if self.compress and len(data) > self.COMPRESSION_THRESHOLD:
            compressed = 1
            data = zlib.compress(data, self.COMPRESSION_LEVEL)
        return self.FRAME_HEADER.pack(len(data), compressed) + data + self.FLUSHER

    def _send_blocking(self, frame):
        try:
            sent = native.send_holding_gil(self.stream.sock.fileno(), frame)
        except OSError as exc:
            self.close()
            raise EOFError(exc) from None
        if sent < len(frame):
            self.stream.write(frame[sent:])  # stock: waits for ever; EOFError if it fails

    def close(self):
        if self._outbox is not None:
            self._outbox.close(self.stream.close)
        else:
            self.stream.close()

    def reject(self, reason):
        """Logs why the peer is refused, closes its socket, and returns the
        PeerRejected for the caller to raise. Only the first reason is logged."""
        if self.rejection is None:
            self.rejection = reason
            self._on_reject(self.peer, reason)
        self.close()
        return PeerRejected(f"connection from {self.peer} closed: {reason}")

    def poll(self, timeout):
        """True at once when bytes read ahead wait; else stock RPyC's poll."""
        return self.has_read_ahead() or super().poll(timeout)

    def has_read_ahead(self):
        """Bytes of the next frames already read, which the socket no longer shows."""
        return bool(self._ahead)

    def recv_whole(self):
        """The next frame's payload if it has wholly arrived, else None,
        without waiting on the socket (main_thread_reading.py); what only
        recv() takes (a compressed frame, or one over READ_AHEAD bytes, which
        the frame budget and deadline must see) and the connection's end
        give LEAVE_TO_READER, the bytes kept for recv(). The caller holds the
        connection's receive lock."""
        header_size = self.FRAME_HEADER.size
        sock = self.stream.sock
        while True:
            ahead = self._ahead
            if len(ahead) >= header_size:
                length, compressed = self.FRAME_HEADER.unpack_from(ahead)
                if compressed or length > self.READ_AHEAD:
                    return LEAVE_TO_READER
                end = header_size + length + len(self.FLUSHER)
                if len(ahead) >= end:
                    self._ahead = ahead[end:]
                    return ahead[header_size:header_size + length]
            try:
                chunk = native.recv_holding_gil(sock.fileno(), self.READ_AHEAD)
            except (OSError, ValueError, EOFError):  # closed under us
                return LEAVE_TO_READER
            if chunk is None:
                return None
            if not chunk:
                return LEAVE_TO_READER
            self._ahead = ahead + chunk

    def recv(self):
        # The deadline starts when the frame starts: RPyC polls for readable
        # data before it calls recv(), so an idle connection is not timed.
        deadline = time.monotonic() + self.frame_deadline if self.frame_deadline else None
        header = self._read(self.FRAME_HEADER.size, deadline, "header")
        length, compressed = self.FRAME_HEADER.unpack(header)
        if self.max_frame_bytes and length > self.max_frame_bytes:
            raise self.reject(f"frame of {length} bytes exceeds the "
                              f"{describe_size(self.max_frame_bytes)} limit")
        reservation = self._budget.reserve(length, deadline)
        if reservation is None:
            raise self.reject(self._over_budget(f"frame of {length} bytes"))
        try:
            # The payload and its flusher apart: slicing the flusher off
            # would copy the whole payload once more.
            data = self._read(length, deadline, "payload")
            self._read(len(self.FLUSHER), deadline, "payload")
            if compressed:
                data = self._inflate(data, reservation)
        finally:
            reservation.release()
        return data

    def _over_budget(self, what):
        budget = self._budget
        return (f"{what} does not fit the {describe_size(budget.limit)} budget for frames being "
                f"received (--max-buffered-bytes; {describe_size(budget.held)} held by frames "
                "still arriving)")

    def _inflate(self, data, reservation):
        """Inflates in pieces of INFLATE_PIECE bytes. One call asked for the
        whole limit at once builds its result in growing blocks and then
        copies them into one object, holding the GIL (and so the main
        thread) while it does: 0.2 s for a 64 MiB bomb here, and the whole
        call took 0.6 s. Pieces stop at the first byte over the limit."""
        limit = self.max_frame_bytes
        inflater = zlib.decompressobj()
        pieces = []
        size = 0
        try:
            while True:
                piece = inflater.decompress(data, self.INFLATE_PIECE)
                pieces.append(piece)
                size += len(piece)
                if limit and size > limit:
                    raise self.reject(f"compressed frame inflates beyond the "
                                      f"{describe_size(limit)} limit")
                if not reservation.grow(len(piece)):
                    raise self.reject(self._over_budget(f"compressed frame inflating to more "
                                                        f"than {size - len(piece)} bytes"))
                data = inflater.unconsumed_tail
                if not data and len(piece) < self.INFLATE_PIECE:
                    break  # all input used, and no output held back
        except zlib.error as exc:
            raise self.reject(f"compressed frame does not inflate ({exc})") from None
        if not inflater.eof:
            raise self.reject("compressed frame is truncated")
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _read(self, count, deadline, what):
        """Exactly `count` bytes, or EOFError. Chunks are kept as they arrive,
        so a frame that announces much and sends little costs little."""
        chunks = []
        missing = count
        if self._ahead:
            taken, self._ahead = self._ahead[:missing], self._ahead[missing:]
            if len(taken) == missing:
                return taken
            chunks.append(taken)
            missing -= len(taken)
        sock = self.stream.sock
        # A large frame is read letting go of the GIL at every chunk: held,
        # it goes back only at the interpreter's switch interval, and a few
        # connections receiving 60 MiB frames at once kept the main thread
        # from its frame for 100-230 ms (11-52 ms letting go). What holding
        # saves (a GIL round trip per system call) matters for small
        # messages only.
        keep_gil = self._keep_gil and count <= self.GIL_HELD_READ_LIMIT
        while missing > 0:
            try:
                # Non-blocking first: the data is usually there already, and
                # this keeps the common case at one system call.
                if keep_gil:
                    wanted = self.READ_AHEAD if missing < self.READ_AHEAD else \
                        min(self.READ_CHUNK, missing)
                    chunk = native.recv_holding_gil(sock.fileno(), wanted)
                else:
                    chunk = sock.recv(min(self.READ_CHUNK, missing), socket.MSG_DONTWAIT)
                if chunk is None:
                    raise BlockingIOError
            except (BlockingIOError, InterruptedError):
                self._wait_readable(sock, deadline, count - missing, what)
                continue
            except OSError as exc:
                self.close()  # with the outbox: its writer ends now, not after its idle wait
                raise EOFError(exc) from None
            if not chunk:
                self.close()
                raise EOFError("connection closed by peer")
            if len(chunk) > missing:
                chunk, self._ahead = chunk[:missing], chunk[missing:]
            chunks.append(chunk)
            missing -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _wait_readable(self, sock, deadline, received, what):
        left = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self.reject(f"frame incomplete after the {self.frame_deadline:g} s frame "
                                  f"deadline ({received} bytes of its {what} arrived)")
        self._wait(sock, select.POLLIN, left)

    @staticmethod
    def _wait(sock, events, timeout):
        """Waits up to `timeout` seconds (None: for ever) for `events` on
        `sock`; False if none came."""
        poller = select.poll()
        try:
            poller.register(sock.fileno(), events)
            return bool(poller.poll(None if timeout is None else max(1, int(timeout * 1000))))
        except InterruptedError:
            return True  # look again
        except ValueError:  # closed by another thread (the server stopping)
            raise EOFError("stream has been closed") from None
