"""A named client written with plain RPyC only, as older tool scripts are:
its own service with client_name() and echo(), served on a thread. Name and
address come from UNDERSTUDY_CLIENT_NAME and UNDERSTUDY_RPC (tcp:// or unix://).
The other plain clients of this folder connect through connect()."""

import os
import threading
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


def connect(service=rpyc.VoidService):
    """A connection to $UNDERSTUDY_RPC (unix:// or tcp://) with `service`."""
    address = os.environ["UNDERSTUDY_RPC"]
    if address.startswith("unix://"):
        return unix_connect(address[len("unix://"):], service=service)
    host, port = address[len("tcp://"):].rsplit(":", 1)
    return tcp_connect(host, int(port), service=service)


def connect_and_serve(service):
    """connect(service), its requests served on a thread, and the line the
    tests wait for on stdout."""
    conn = connect(service)
    threading.Thread(target=conn.serve_all, name="serve", daemon=True).start()
    print(f"{time.monotonic():.6f} connected to {os.environ['UNDERSTUDY_RPC']}", flush=True)
    return conn


class PlainService(rpyc.Service):
    def exposed_client_name(self):
        return os.environ["UNDERSTUDY_CLIENT_NAME"]

    def exposed_echo(self, value):
        return value


def main():
    conn = connect_and_serve(PlainService)
    while not conn.closed:
        time.sleep(0.1)


if __name__ == "__main__":
    main()
