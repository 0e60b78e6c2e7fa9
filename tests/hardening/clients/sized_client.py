"""A client with one service, size(data) -> len(data). The tests pause it
(SIGSTOP) so that it stops reading while the engine sends it a large call.
Its socket's receive buffer is fixed at RECEIVE_BUFFER bytes: loopback
buffers otherwise grow to tens of MiB and take in a large call whole. Name
and address come from the environment, as for every understudy_client
script."""

import socket
import threading
import time

import understudy_client

RECEIVE_BUFFER = 64 * 1024


class SizedService(understudy_client.ClientService):
    def exposed_size(self, data):
        return len(data)


def main():
    client = understudy_client.connect(service=SizedService())
    sock = client.conn._channel.stream.sock
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    print(f"{time.monotonic():.6f} connected", flush=True)
    threading.Event().wait(120)  # stay up: the test ends this process


if __name__ == "__main__":
    main()
