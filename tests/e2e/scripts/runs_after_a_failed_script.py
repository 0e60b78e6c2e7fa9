"""The script given after one that raised still runs."""

import unreal_engine as ue

ue.log("the next script ran")
