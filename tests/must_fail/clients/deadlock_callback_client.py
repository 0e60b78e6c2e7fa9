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
    def exposed_refresh(self):
        if options.end == "exit":
            os._exit(3)
        if options.end == "sleep":
            time.sleep(30)
        self.conn.root.execute("import unreal_engine as ue\nue.log('refreshed')")
        return "refreshed"


client = uc.connect(service=Tool())
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(120)
