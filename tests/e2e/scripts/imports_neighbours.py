"""Imports a module that lies beside this script and one found on PYTHONPATH."""

import beside_the_script
import from_pythonpath  # written by the test into a directory on PYTHONPATH

import unreal_engine as ue

ue.log(f"beside the script: {beside_the_script.GREETING}")
ue.log(f"from PYTHONPATH: {from_pythonpath.GREETING}")
