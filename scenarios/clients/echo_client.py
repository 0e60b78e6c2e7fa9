"""A well-behaved client: answers ping and whoami, sleeps in slow(), and can
start by calling the engine a number of times (--hammer N) to load it."""

import argparse
import signal
import threading
import time

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--tag", default="")
parser.add_argument("--connect-delay", type=float, default=0.0)
parser.add_argument("--reconnect", action="store_true")
parser.add_argument("--hammer", type=int, default=0, help="engine calls to make after connecting")
parser.add_argument("--bgthread", action="store_true",
                    help="serve with rpyc.BgServingThread (polls, then sleeps 0.1 s)")
options = parser.parse_args()


class EchoService(uc.ClientService):
    def exposed_ping(self, value=None):
        return value

    def exposed_whoami(self):
        return options.tag or self.name

    def exposed_slow(self, seconds):
        time.sleep(seconds)
        return seconds


stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
time.sleep(options.connect_delay)
service = EchoService()
client = uc.connect(service=service, reconnect=options.reconnect, retry_interval=0.2,
                    serving="bgthread" if options.bgthread else "thread")
print(f"{service.name}: connected", flush=True)
for i in range(options.hammer):
    client.root.execute(
        "import unreal_engine as ue\n"
        "ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label('load')")
if options.hammer:
    client.root.log(f"{service.name}: made {options.hammer} engine calls")
while not stop.wait(0.1):
    pass
client.close()
