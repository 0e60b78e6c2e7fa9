# Broken on purpose: when a domain reload runs the startup scripts again, this
# one holds the main thread for 17 s, longer than the reload step waits.
# (The environment survives a reload; script state does not.)
import os
import time

if os.environ.get("MUST_FAIL_RELOADED"):
    time.sleep(17)
os.environ["MUST_FAIL_RELOADED"] = "1"
