# The asyncio tutorial's TCP server inside the engine: every line a client
# sends spawns one Character labelled with that line. Connects and
# disconnects are logged. Hardened beyond the tutorial: loopback only, lines
# longer than MAX_LINE get an error line and the connection is closed, bytes
# that are not UTF-8 are replaced rather than fatal, and one bad client never
# stops the server. How bytes become labels is in spawn_line_reader.py.
import asyncio
import os

import ue_asyncio
import unreal_engine as ue
from spawn_line_reader import SpawnLineReader
from unreal_engine.classes import Character

HOST = "127.0.0.1"
PORT = int(os.environ.get("UNDERSTUDY_SCENARIO_PORT", "8885"))
MAX_LINE = int(os.environ.get("SPAWN_SERVER_MAX_LINE", "65536"))  # asyncio's own default

for task in asyncio.all_tasks(ue_asyncio.loop):
    task.cancel()


async def new_client_connected(reader, writer):
    name = writer.get_extra_info("peername")
    ue.log(f"new client connection from {name}")
    spawned = 0
    lines = SpawnLineReader(reader)
    try:
        while (label := await lines.next_label()) is not None:
            actor = ue.get_editor_world().actor_spawn(Character)
            actor.set_actor_label(label)
            spawned += 1
        if lines.overran:
            ue.log_warning(f"client {name} sent a line longer than {MAX_LINE} bytes; "
                           "closing it")
            writer.write(f"error: line longer than {MAX_LINE} bytes\n".encode())
            await writer.drain()
        elif lines.dropped_bytes:
            ue.log_warning(f"client {name} disconnected mid-line "
                           f"({lines.dropped_bytes} bytes dropped)")
    except ConnectionError as error:
        ue.log_warning(f"client {name} connection error: {error!r}")
    finally:
        writer.close()
        ue.log(f"client {name} disconnected after {spawned} lines")


async def spawn_server(host, port):
    server = await asyncio.start_server(new_client_connected, host, port, limit=MAX_LINE)
    ue.log(f"tcp server spawned on {host}:{port}")
    try:
        await server.serve_forever()
    finally:
        server.close()
        ue.log("tcp server ended")


asyncio.ensure_future(spawn_server(HOST, PORT))
