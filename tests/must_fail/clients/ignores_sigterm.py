"""Broken on purpose: a fault-matrix client (same arguments, same services)
that ignores SIGTERM, so it does not stop cleanly when the matrix ends."""

import argparse
import json
import signal
import threading
import time

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--ledger", required=True)
parser.add_argument("--call-timeout", type=float, default=2.0)
options = parser.parse_args()


class StubbornService(uc.ClientService):
    def exposed_hold(self, label, seconds, spawn_actor):
        time.sleep(seconds)
        return label

    def exposed_status(self):
        return json.dumps({"done": 0, "errors": 0, "in_flight_s": 0.0})


signal.signal(signal.SIGTERM, signal.SIG_IGN)
client = uc.connect(service=StubbornService(), reconnect=True, retry_interval=0.1)
threading.Event().wait(60)
