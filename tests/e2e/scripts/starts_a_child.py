"""Starts a child process as game code may (subprocess), and names it, so
that a test can check that the child takes signals as any process does."""

import subprocess

import unreal_engine as ue

child = subprocess.Popen(["sleep", "60"])
ue.log(f"started child pid {child.pid}")
