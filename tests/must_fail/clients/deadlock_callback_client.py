"""A tool whose service calls back into the engine synchronously: the user's
re-entrant deadlock when the engine calls it from its main thread on the sync
path. `--end exit` ends the process with os._exit(3) inside the service
instead, `--end sleep` sleeps 30 s in it (a long call)."""

import argparse
import os
import signal
import threading
import time

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--end", choices=["callback", "exit", "sleep"], default="callback")
options = parser.parse_args()


class Tool(uc.ClientService):
    # The engine's execute, looked up once after connecting: a lookup inside
    # the service is a request the engine's reader thread answers, and just
    # after it the engine's main thread, waiting in its call, can take its
    # turn to read the connection and run the callback itself, so that the
    # deadlock would form only most of the time.
    execute = None

    def exposed_refresh(self):
        if options.end == "exit":
            os._exit(3)
        if options.end == "sleep":
            time.sleep(30)
        execute = self.execute or self.conn.root.execute
        execute("import unreal_engine as ue\nue.log('refreshed')")
        return "refreshed"


tool = Tool()
client = uc.connect(service=tool)
tool.execute = client.root.execute
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(120)
