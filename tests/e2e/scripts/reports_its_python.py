"""Reports which Python runs the engine, and that Debian's rpyc and redis
import."""

import sys

import redis
import rpyc

import unreal_engine as ue

ue.log(f"python {sys.executable} {sys.version_info[0]}.{sys.version_info[1]}")
ue.log(f"rpyc {rpyc.__version__} at {rpyc.__file__}")
ue.log(f"redis {redis.__version__} at {redis.__file__}")
