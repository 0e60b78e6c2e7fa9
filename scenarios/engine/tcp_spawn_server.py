# The asyncio tutorial's TCP server inside the engine: every line a client
# sends spawns one Character labelled with that line. Connects and
# disconnects are logged. Hardened beyond the tutorial (SECURITY.md): loopback
# only; a line longer than MAX_LINE gets an error line and the connection is
# closed; a line that has started must end within LINE_DEADLINE seconds, so
# that a client sending a byte a second cannot hold a connection for ever;
# bytes that are not UTF-8 are replaced (and logged) rather than fatal; and one
# bad client never stops the server. Every refusal is logged as "closing
# connection from HOST:PORT: REASON".
import asyncio
import os

import ue_asyncio
import unreal_engine as ue
from unreal_engine.classes import Character

HOST = "127.0.0.1"
PORT = int(os.environ.get("UNDERSTUDY_SCENARIO_PORT", "8885"))
MAX_LINE = int(os.environ.get("SPAWN_SERVER_MAX_LINE", "65536"))  # asyncio's own default
LINE_DEADLINE = float(os.environ.get("SPAWN_SERVER_LINE_DEADLINE", "10"))
READ_CHUNK = 65536

for task in asyncio.all_tasks(ue_asyncio.loop):
    task.cancel()


def spawn(label):
    actor = ue.get_editor_world().actor_spawn(Character)
    actor.set_actor_label(label)


async def new_client_connected(reader, writer):
    host, port = writer.get_extra_info("peername")[:2]
    peer = f"{host}:{port}"
    ue.log(f"new client connection from {peer}")
    loop = asyncio.get_running_loop()
    spawned = 0
    pending = bytearray()  # the line being received
    line_started = None  # loop time its first byte arrived
    try:
        while True:
            if pending:
                left = line_started + LINE_DEADLINE - loop.time()
                try:
                    chunk = await asyncio.wait_for(reader.read(READ_CHUNK), max(left, 0))
                except asyncio.TimeoutError:
                    ue.log_warning(f"closing connection from {peer}: a line was not finished "
                                   f"within {LINE_DEADLINE:g} s ({len(pending)} bytes so far)")
                    break
            else:
                chunk = await reader.read(READ_CHUNK)
            if not chunk:
                if pending:
                    ue.log_warning(f"client {peer} disconnected mid-line "
                                   f"({len(pending)} bytes dropped)")
                break
            if not pending:
                line_started = loop.time()
            pending += chunk
            *lines, rest = pending.split(b"\n")
            # Lines before an over-long one still count, as with asyncio's
            # readuntil(limit=MAX_LINE).
            too_long = next((i for i, line in enumerate(lines) if len(line) > MAX_LINE), None)
            if too_long is None and len(rest) > MAX_LINE:
                too_long = len(lines)
            for line in lines[:too_long]:
                try:
                    label = line.decode("utf-8")
                except UnicodeDecodeError as error:
                    ue.log_warning(f"client {peer} sent a line that is not UTF-8 ({error.reason} "
                                   f"at byte {error.start}); undecodable bytes replaced")
                    label = line.decode("utf-8", errors="replace")
                spawn(label.rstrip("\r"))
                spawned += 1
            if too_long is not None:
                ue.log_warning(f"closing connection from {peer}: it sent a line longer than "
                               f"{MAX_LINE} bytes")
                writer.write(f"error: line longer than {MAX_LINE} bytes\n".encode())
                await writer.drain()
                break
            if lines:
                line_started = loop.time()
            pending = bytearray(rest)
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
