"""A client whose service calls back into the engine while the engine waits
for it: the classic re-entrant deadlock, and the ways out of it.

--mode sync   the callback is a synchronous root.execute: deadlocks when
              the engine called on its main thread synchronously
--mode async  the callback is rpyc.async_(root.execute): fire and forget
--mode poll   the callback's AsyncResult is kept and polled later, outside
              the service, by this client's main loop
--mode basic  the service calls nothing back; the engine sends and gets
              basic types only (make_label)
"""

import argparse
import signal
import threading

import rpyc

import understudy_client as uc

parser = argparse.ArgumentParser()
parser.add_argument("--mode", choices=["sync", "async", "poll", "basic"], required=True)
options = parser.parse_args()

SPAWN = ("import unreal_engine as ue\n"
         "ue.get_editor_world().actor_spawn(ue.classes.Character).set_actor_label({label!r})")


class ReentrantService(uc.ClientService):
    # The engine's execute, looked up once after connecting. Looked up inside
    # the service, it is one more request, which the engine's reader thread
    # answers; right after it the engine's main thread, waiting in its call,
    # may be the one to read the callback and run it itself (RPyC serves what
    # a waiting thread reads), and then the sync mode's deadlock would form
    # only most of the time.
    execute = None

    def __init__(self):
        super().__init__()
        self.pending = []
        self.lock = threading.Lock()

    def exposed_on_event(self, label):
        code = SPAWN.format(label=label)
        execute = self.execute or self.conn.root.execute
        if options.mode == "sync":
            execute(code)
        elif options.mode == "async":
            rpyc.async_(execute)(code)
        elif options.mode == "poll":
            with self.lock:
                self.pending.append((label, rpyc.async_(execute)(code)))
        return f"handled {label}"

    def exposed_make_label(self, label):
        return f"{label}"


stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
service = ReentrantService()
client = uc.connect(service=service)
service.execute = client.root.execute
print(f"{service.name}: connected in mode {options.mode}", flush=True)
while not stop.wait(0.01):
    with service.lock:
        for label, result in list(service.pending):
            if result.ready:
                service.pending.remove((label, result))
                print(f"{service.name}: callback for {label} completed "
                      f"({'error ' + repr(result.error) if result.error else 'ok'})", flush=True)
client.close()
