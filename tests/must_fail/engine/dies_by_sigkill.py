# Broken on purpose: the engine SIGKILLs itself UNDERSTUDY_DIE_AFTER seconds
# after start-up (default 1.5), as the OOM killer or an operator would: the
# scenario must fail naming the engine's death, not what a step saw next,
# and the harness must not crash on it.
import os
import signal
import threading

_after = float(os.environ.get("UNDERSTUDY_DIE_AFTER", "1.5"))
threading.Timer(_after, os.kill, (os.getpid(), signal.SIGKILL)).start()
