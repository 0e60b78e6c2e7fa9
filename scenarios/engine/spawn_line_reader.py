"""How tcp_spawn_server.py turns the bytes a client sends into actor labels,
apart from the server so that fuzz/spawn_line_fuzzer.cpp runs the very same
code on arbitrary bytes.

A label is one line without its newline and any trailing CRs, with bytes that
are not UTF-8 replaced by U+FFFD, so that every label is a str the engine can
take. Lines are split here rather than with StreamReader.readuntil so that a
line that has started must end within a deadline: a client sending a byte a
second cannot hold a connection for ever."""

import asyncio

READ_CHUNK = 65536


def line_label(line):
    """The label for `line`, a complete line without its b"\\n"."""
    return line.decode("utf-8", errors="replace").rstrip("\r")


class SpawnLineReader:
    """Reads one client's lines as labels until the client is done: at end of
    stream, at a line longer than `max_line` bytes, or when a line is not
    finished within `line_deadline` seconds of its first byte. Which of these
    ended it is in the attributes, for the server to log and answer.
    ConnectionError from the stream propagates.

    Lines that arrived before an over-long one still count, as with
    readuntil(limit=max_line)."""

    def __init__(self, reader, max_line, line_deadline=None):
        self._reader = reader
        self._max_line = max_line
        self._line_deadline = line_deadline
        self._ready = []  # complete lines not yet returned
        self._pending = bytearray()  # the line being received
        self._line_started = None  # loop time its first byte arrived
        self._done = False
        self.dropped_bytes = 0  # of an unfinished last line (end of stream or deadline)
        self.overran = False  # a line was longer than max_line
        self.timed_out = False  # a line was not finished within line_deadline
        self.undecodable = []  # (line number, UnicodeDecodeError) of lines not UTF-8
        self.lines_read = 0

    async def next_label(self):
        """The next line's label, or None once the client is done."""
        while not self._ready:
            if self._done:
                return None
            await self._read_chunk()
        line = self._ready.pop(0)
        self.lines_read += 1
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            self.undecodable.append((self.lines_read, error))
        return line_label(line)

    async def _read_chunk(self):
        loop = asyncio.get_running_loop()
        if self._pending and self._line_deadline is not None:
            left = self._line_started + self._line_deadline - loop.time()
            try:
                chunk = await asyncio.wait_for(self._reader.read(READ_CHUNK), max(left, 0))
            except asyncio.TimeoutError:
                self.timed_out = True
                self.dropped_bytes = len(self._pending)
                self._done = True
                return
        else:
            chunk = await self._reader.read(READ_CHUNK)
        if not chunk:
            self.dropped_bytes = len(self._pending)
            self._done = True
            return
        if not self._pending:
            self._line_started = loop.time()
        self._pending += chunk
        *lines, rest = self._pending.split(b"\n")
        too_long = next((i for i, line in enumerate(lines) if len(line) > self._max_line), None)
        if too_long is None and len(rest) > self._max_line:
            too_long = len(lines)
        if too_long is not None:
            self._ready.extend(bytes(line) for line in lines[:too_long])
            self.overran = True
            self._done = True
            return
        self._ready.extend(bytes(line) for line in lines)
        if lines:
            self._line_started = loop.time()
        self._pending = bytearray(rest)
