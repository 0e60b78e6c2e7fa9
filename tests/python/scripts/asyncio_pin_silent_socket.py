"""Pins how the hub drives asyncio on this Python: a tick polls with a zero
timeout, so a coroutine waiting on a socket with nothing to read never blocks
the frame.

A local listener accepts the connection (in the kernel's backlog) and sends
nothing until the test calls `send()`. Should a tick block in the selector
anyway, a watchdog thread stops the loop from outside after WATCHDOG_SECONDS
(and every 0.1 s after that), so that the test ends and reports it instead
of hanging.
"""

import asyncio
import socket
import threading

import ue_asyncio

import probe

WATCHDOG_SECONDS = 3.0

state = probe.values
state.update(parked=False, received=None, watchdog_fired=False)
listener = socket.create_server(("127.0.0.1", 0))
peer = []


async def read_from_silent_peer(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    state["parked"] = True
    try:
        state["received"] = await reader.read(100)
    finally:
        writer.close()


def send(data=b"ping"):
    if not peer:
        peer.append(listener.accept()[0])
    peer[0].sendall(data)


def watch():
    if stop_watching.wait(WATCHDOG_SECONDS):
        return
    state["watchdog_fired"] = True
    while not stop_watching.wait(0.1):
        try:
            ue_asyncio.loop.call_soon_threadsafe(ue_asyncio.loop.stop)
        except RuntimeError:
            return  # the engine closed the loop


def close():
    stop_watching.set()
    watchdog.join()
    for sock in peer + [listener]:
        sock.close()


stop_watching = threading.Event()
watchdog = threading.Thread(target=watch, name="watchdog", daemon=True)
watchdog.start()
ue_asyncio.loop.create_task(read_from_silent_peer(listener.getsockname()[1]))
state.update(send=send, close=close)
