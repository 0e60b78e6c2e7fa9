"""A plain RPyC client with no service and no understudy library: it cannot
be called by name, but it can still run code in the engine with execute."""

import os
import signal
import threading

import rpyc
from rpyc.core.stream import SocketStream
from rpyc.utils.factory import connect_stream


def tcp_connect(host, port, service=rpyc.VoidService):
    """rpyc.connect, plus the engine's auth token first when it requires one
    (--auth-token-file; $UNDERSTUDY_AUTH_TOKEN_FILE names the file): the
    token and a newline, before any RPyC traffic (SECURITY.md)."""
    stream = SocketStream.connect(host, port)
    token_file = os.environ.get("UNDERSTUDY_AUTH_TOKEN_FILE")
    if token_file:
        with open(token_file, "rb") as f:
            stream.sock.sendall(f.read().strip() + b"\n")
    return connect_stream(stream, service)


address = os.environ["UNDERSTUDY_RPC"].removeprefix("tcp://")
host, port = address.rsplit(":", 1)
conn = tcp_connect(host, int(port))
conn.root.execute(
    "import unreal_engine as ue\n"
    "ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label('from plain client')")
conn.root.log("plain client: execute worked")
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(60)
conn.close()
