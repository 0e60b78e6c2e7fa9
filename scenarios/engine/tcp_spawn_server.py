# The asyncio tutorial's TCP server inside the engine: every line a client
# sends spawns one Character labelled with that line. Connects and
# disconnects are logged. Hardened beyond the tutorial (SECURITY.md): loopback
# only; a line longer than MAX_LINE gets an error line and the connection is
# closed; a line that has started must end within LINE_DEADLINE seconds, so
# that a client sending a byte a second cannot hold a connection for ever;
# bytes that are not UTF-8 are replaced (and logged) rather than fatal; and one
# bad client never stops the server. Every refusal is logged as "closing
# connection from HOST:PORT: REASON". How bytes become labels is in
# spawn_line_reader.py, which the fuzzer runs too.
import asyncio
import os

import ue_asyncio
import unreal_engine as ue
from spawn_line_reader import SpawnLineReader
from unreal_engine.classes import Character

HOST = "127.0.0.1"
PORT = int(os.environ.get("UNDERSTUDY_SCENARIO_PORT", "8885"))
MAX_LINE = int(os.environ.get("SPAWN_SERVER_MAX_LINE", "65536"))  # asyncio's own default
LINE_DEADLINE = float(os.environ.get("SPAWN_SERVER_LINE_DEADLINE", "10"))

for task in asyncio.all_tasks(ue_asyncio.loop):
    task.cancel()


def spawn(label):
    actor = ue.get_editor_world().actor_spawn(Character)
    actor.set_actor_label(label)


async def new_client_connected(reader, writer):
    host, port = writer.get_extra_info("peername")[:2]
    peer = f"{host}:{port}"
    ue.log(f"new client connection from {peer}")
    spawned = 0
    lines = SpawnLineReader(reader, MAX_LINE, LINE_DEADLINE)
    try:
        while (label := await lines.next_label()) is not None:
            if lines.undecodable and lines.undecodable[-1][0] == lines.lines_read:
                error = lines.undecodable[-1][1]
                ue.log_warning(f"client {peer} sent a line that is not UTF-8 ({error.reason} "
                               f"at byte {error.start}); undecodable bytes replaced")
            spawn(label)
            spawned += 1
        if lines.overran:
            ue.log_warning(f"closing connection from {peer}: it sent a line longer than "
                           f"{MAX_LINE} bytes")
            writer.write(f"error: line longer than {MAX_LINE} bytes\n".encode())
            await writer.drain()
        elif lines.timed_out:
            ue.log_warning(f"closing connection from {peer}: a line was not finished "
                           f"within {LINE_DEADLINE:g} s ({lines.dropped_bytes} bytes so far)")
        elif lines.dropped_bytes:
            ue.log_warning(f"client {peer} disconnected mid-line "
                           f"({lines.dropped_bytes} bytes dropped)")
    except ConnectionError as error:
        ue.log_warning(f"client {peer} connection error: {error!r}")
    finally:
        writer.close()
        ue.log(f"client {peer} disconnected after {spawned} lines")


async def spawn_server(host, port):
    server = await asyncio.start_server(new_client_connected, host, port, limit=MAX_LINE)
    ue.log(f"tcp server spawned on {host}:{port}")
    try:
        await server.serve_forever()
    finally:
        server.close()
        ue.log("tcp server ended")


asyncio.ensure_future(spawn_server(HOST, PORT))
