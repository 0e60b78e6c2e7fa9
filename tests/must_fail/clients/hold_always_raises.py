"""Broken on purpose: a fault-matrix client (same arguments, same services)
whose hold() always raises, so that no engine->client call of the matrix
succeeds on any path."""

import argparse
import json
import signal
import threading

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--ledger", required=True)
parser.add_argument("--call-timeout", type=float, default=2.0)
options = parser.parse_args()


class RaisingService(uc.ClientService):
    def exposed_hold(self, label, seconds, spawn_actor):
        raise RuntimeError(f"broken client: hold({label!r}) refuses")

    def exposed_status(self):
        return json.dumps({"done": 0, "errors": 0, "in_flight_s": 0.0})


stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
client = uc.connect(service=RaisingService(), reconnect=True, retry_interval=0.1)
stop.wait(60)
client.close()
