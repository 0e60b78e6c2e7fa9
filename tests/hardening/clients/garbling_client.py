"""A client that answers the engine's call to garble() with bytes that are
not an RPyC message (a valid frame header, then garbage) on its own
connection, then stays alive: the engine must close this connection, fail
the call at once, and say why. Name and address come from the environment,
as for every understudy_client script."""

import struct
import threading
import time

import understudy_client

GARBAGE = b"\xfe" * 100  # no brine tag: not a message


class GarblingService(understudy_client.ClientService):
    def exposed_garble(self):
        sock = self.conn._channel.stream.sock
        sock.sendall(struct.pack("!LB", len(GARBAGE), 0) + GARBAGE + b"\n")
        print(f"{time.monotonic():.6f} sent garbage", flush=True)
        return "too late"


def main():
    client = understudy_client.connect(service=GarblingService())
    print(f"{time.monotonic():.6f} connected", flush=True)
    while client.connected:
        time.sleep(0.05)
    print(f"{time.monotonic():.6f} the engine closed the connection", flush=True)
    threading.Event().wait(60)  # stay up: the test ends this process


if __name__ == "__main__":
    main()
