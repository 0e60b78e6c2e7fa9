"""Connection churn for the connection_soak step: connects to the engine
(registering under its name, as any client), makes one client->engine call,
and disconnects, --cycles times; then prints one JSON line with what it did.
With --stay it connects once and answers ping() until SIGTERM, for the
engine->client calls the soak makes between rounds."""

import argparse
import json
import signal
import threading
import time

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
    print("connected; serving until SIGTERM", flush=True)
    stop.wait()
    client.close()
else:
    started = time.monotonic()
    for _ in range(options.cycles):
        client = uc.connect(service=ChurnService(), timeout=30)
        client.root.execute("1")
        client.close()
    seconds = time.monotonic() - started
    print(json.dumps({"churn": {"cycles": options.cycles, "seconds": seconds}}), flush=True)
