"""The PfU conformance flows run the real engine and PfU 2.1.1's own client
package through the understudy_pytest plugin. run_flows.py sets
UNDERSTUDY_PFU_CORPUS (and skips when the corpus is absent)."""

import sys
from pathlib import Path

_PYLIB = str(Path(__file__).resolve().parents[3] / "harness" / "pylib")
if _PYLIB not in sys.path:
    sys.path.insert(0, _PYLIB)

pytest_plugins = ["understudy_pytest"]
