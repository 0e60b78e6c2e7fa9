"""What spawn_line_fuzzer.cpp runs for each input: the bytes, delivered to a
StreamReader in chunks as a socket would, read by the spawn server's own
SpawnLineReader (scenarios/engine/spawn_line_reader.py), then checked against
what the server promises. Any exception is a finding.

The line limit is LIMIT rather than the server's 65536 so that inputs of
a few hundred bytes reach it; the scenario tcp_spawn_server.toml checks the
real limit. The input arrives in 1 to 8 chunks, as many as its length
modulo 8 says, so that lines and UTF-8 sequences are split across reads
while one input always replays the same way (every chunk costs a turn of the
event loop, which is most of a run's time)."""

import asyncio

from spawn_line_reader import SpawnLineReader

LIMIT = 128

loop = asyncio.new_event_loop()


async def read_labels(data, chunks):
    chunk = max(1, -(-len(data) // chunks))
    reader = asyncio.StreamReader(loop=loop)

    async def deliver():
        for start in range(0, len(data), chunk):
            reader.feed_data(data[start:start + chunk])
            await asyncio.sleep(0)
        reader.feed_eof()

    delivery = loop.create_task(deliver())
    lines = SpawnLineReader(reader, LIMIT)
    labels = []
    while (label := await lines.next_label()) is not None:
        labels.append(label)
    await delivery
    return labels, lines


def promised(data):
    """(lines the server spawns from, overran, dropped_bytes): every complete
    line up to the first one longer than LIMIT; an unfinished last line is
    dropped, or is an overrun when it is already longer than LIMIT."""
    *complete, rest = data.split(b"\n")
    spawned = []
    for line in complete:
        if len(line) > LIMIT:
            return spawned, True, 0
        spawned.append(line)
    if len(rest) > LIMIT:
        return spawned, True, 0
    return spawned, False, len(rest)


def check(data):
    labels, lines = loop.run_until_complete(read_labels(data, 1 + len(data) % 8))
    spawned, overran, dropped = promised(data)
    assert len(labels) == len(spawned), (len(labels), len(spawned))
    assert lines.overran == overran, (lines.overran, overran)
    assert lines.dropped_bytes == dropped, (lines.dropped_bytes, dropped)
    for label, line in zip(labels, spawned):
        assert isinstance(label, str)
        # The label crosses into the engine (set_actor_label) as UTF-8.
        label.encode("utf-8")
        assert "\n" not in label and not label.endswith("\r"), label
        if line.isascii():
            assert label == line.decode("ascii").rstrip("\r"), (label, line)
    not_utf8 = []
    for number, line in enumerate(spawned, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(number)
    assert [number for number, _ in lines.undecodable] == not_utf8, (lines.undecodable, not_utf8)
