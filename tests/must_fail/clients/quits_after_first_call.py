"""Broken on purpose: a fault-matrix client (same arguments, same services)
that exits 0 right after answering the harness's first call, so the faults
planned for it later find nothing to kill or pause."""

import argparse
import json
import os
import threading
import time

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--ledger", required=True)
parser.add_argument("--call-timeout", type=float, default=2.0)
options = parser.parse_args()

answered = threading.Event()


class QuittingService(uc.ClientService):
    def exposed_hold(self, label, seconds, spawn_actor):
        answered.set()
        return label

    def exposed_status(self):
        return json.dumps({"done": 0, "errors": 0, "in_flight_s": 0.0})


client = uc.connect(service=QuittingService())
answered.wait(60)
time.sleep(0.05)  # let the answer go out
os._exit(0)
