import os
import signal
import threading

import understudy_client as uc

client = uc.connect()
with open(os.path.join(os.environ["PID_DIR"], f"{os.getpid()}.pid"), "w") as f:
    f.write(str(os.getpid()))
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait(120)
