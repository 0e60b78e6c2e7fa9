"""A named client written with plain RPyC only, as older tool scripts are:
its own service with client_name() and echo(), served on a thread. Name and
address come from UNDERSTUDY_CLIENT_NAME and UNDERSTUDY_RPC (tcp:// or unix://)."""

import os
import threading
import time

import rpyc
from rpyc.utils.factory import unix_connect


class PlainService(rpyc.Service):
    def exposed_client_name(self):
        return os.environ["UNDERSTUDY_CLIENT_NAME"]

    def exposed_echo(self, value):
        return value


def main():
    address = os.environ["UNDERSTUDY_RPC"]
    if address.startswith("unix://"):
        conn = unix_connect(address[len("unix://"):], service=PlainService)
    else:
        host, port = address[len("tcp://"):].rsplit(":", 1)
        conn = rpyc.connect(host, int(port), service=PlainService)
    threading.Thread(target=conn.serve_all, name="serve", daemon=True).start()
    print(f"{time.monotonic():.6f} connected to {address}", flush=True)
    while not conn.closed:
        time.sleep(0.1)


if __name__ == "__main__":
    main()
