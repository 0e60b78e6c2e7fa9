"""Broken on purpose: a connection_soak client that, asked for --cycles N,
prints that it did them and exits 0 without connecting once. With --stay it
serves ping() like the real one, so that only the churn is missing."""

import argparse
import json
import signal
import threading

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--cycles", type=int, default=0)
parser.add_argument("--stay", action="store_true")
options = parser.parse_args()


class ChurnService(uc.ClientService):
    def exposed_ping(self, value=None):
        return value


if options.stay:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    client = uc.connect(service=ChurnService(), reconnect=True)
    stop.wait()
    client.close()
else:
    print(json.dumps({"churn": {"cycles": options.cycles, "seconds": 0.0}}), flush=True)
