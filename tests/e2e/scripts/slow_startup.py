"""A startup script that takes a while: the harness must not start before it ends."""

import time

import unreal_engine as ue

time.sleep(0.5)
ue.log("the slow startup script is done")
