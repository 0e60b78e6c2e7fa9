import signal
import threading

import understudy_client as uc


class Thrower(uc.ClientService):
    def exposed_explode(self):
        raise ValueError("kaboom from the client")


client = uc.connect(service=Thrower())
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(60)
