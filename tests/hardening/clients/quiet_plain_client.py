"""A plain RPyC client (no understudy_client): it connects to the engine
over TCP with a service that has client_name(), then stays quiet, neither
calling nor serving, for QUIET seconds (argv[1]), longer than the engine's
--call-timeout. Then it makes one call (which serves the engine's pending
questions while it waits for its reply) and serves its connection in the
background, so that the engine can call it by name."""

import os
import sys
import threading
import time

import rpyc


class QuietService(rpyc.Service):
    def exposed_client_name(self):
        return os.environ["UNDERSTUDY_CLIENT_NAME"]

    def exposed_echo(self, value):
        return value


def main():
    quiet = float(sys.argv[1])
    host, port = os.environ["UNDERSTUDY_RPC"].removeprefix("tcp://").rsplit(":", 1)
    conn = rpyc.connect(host, int(port), service=QuietService)
    print("connected", flush=True)
    time.sleep(quiet)
    conn.root.execute("import unreal_engine")  # the first byte it reads is after the sleep
    print("called after the quiet time", flush=True)
    rpyc.BgServingThread(conn)
    threading.Event().wait(120)  # stay up: the test ends this process


if __name__ == "__main__":
    main()
