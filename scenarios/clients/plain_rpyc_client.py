"""A plain RPyC client with no service and no understudy library: it cannot
be called by name, but it can still run code in the engine with execute."""

import os
import signal
import threading

import rpyc

address = os.environ["UNDERSTUDY_RPC"].removeprefix("tcp://")
host, port = address.rsplit(":", 1)
conn = rpyc.connect(host, int(port))
conn.root.execute(
    "import unreal_engine as ue\n"
    "ue.get_editor_world().actor_spawn(ue.classes.Actor).set_actor_label('from plain client')")
conn.root.log("plain client: execute worked")
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(60)
conn.close()
