"""How tcp_spawn_server.py turns the bytes a client sends into actor labels,
apart from the server so that fuzz/spawn_line_fuzzer.cpp runs the very same
code on arbitrary bytes.

A label is one line read with StreamReader.readuntil(b"\\n"): without its
newline and any trailing CRs, with bytes that are not UTF-8 replaced by
U+FFFD, so that every label is a str the engine can take."""

import asyncio


def line_label(line):
    """The label for `line`, a complete line that ends with b"\\n"."""
    return line[:-1].decode("utf-8", errors="replace").rstrip("\r")


class SpawnLineReader:
    """Reads one client's lines as labels until the client is done: at end of
    stream, or at a line longer than the StreamReader's limit (the rest of
    the stream is then left unread: the server closes the connection).
    ConnectionError from the stream propagates."""

    def __init__(self, reader):
        self._reader = reader
        self.dropped_bytes = 0  # of a last line that the end of stream cut short
        self.overran = False  # a line was longer than the reader's limit

    async def next_label(self):
        """The next line's label, or None once the client is done."""
        try:
            line = await self._reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as partial:
            self.dropped_bytes = len(partial.partial)
            return None
        except asyncio.LimitOverrunError:
            self.overran = True
            return None
        return line_label(line)
