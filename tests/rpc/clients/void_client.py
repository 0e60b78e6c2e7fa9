"""A client with no services at all: plain rpyc.connect, no client_name().
The engine cannot call it, but it can call the engine. Spawns an actor
labelled argv[1], logs a line in the engine console, and exits 0."""

import os
import sys
import time

import rpyc
from rpyc.core.stream import SocketStream
from rpyc.utils.factory import connect_stream, unix_connect



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

def main():
    label = sys.argv[1]
    address = os.environ["UNDERSTUDY_RPC"]
    if address.startswith("unix://"):
        conn = unix_connect(address[len("unix://"):])
    else:
        host, port = address[len("tcp://"):].rsplit(":", 1)
        conn = tcp_connect(host, int(port))
    conn.root.execute(
        "import unreal_engine as ue\n"
        f"ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label({label!r})\n")
    conn.root.log(f"void client spawned {label}")
    print(f"{time.monotonic():.6f} spawned {label}", flush=True)
    conn.close()


if __name__ == "__main__":
    main()
