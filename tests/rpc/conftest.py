"""The rpc suite runs the real engine and real client processes through the
understudy_pytest plugin (harness/pylib). CTest passes -p understudy_pytest
and PYTHONPATH; this makes a plain `pytest tests/rpc` work too."""

import sys
from pathlib import Path

_PYLIB = str(Path(__file__).resolve().parents[2] / "harness" / "pylib")
if _PYLIB not in sys.path:
    sys.path.insert(0, _PYLIB)

pytest_plugins = ["understudy_pytest"]
