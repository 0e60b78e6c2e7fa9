"""A startup script that raises nothing."""

import unreal_engine as ue

ue.log("a clean start")
