"""A startup script that takes a moment, then logs: whoever runs step 1
before it finished sees nothing yet."""

import time

import unreal_engine as ue

time.sleep(0.3)
ue.log("the startup script has logged its banner")
