"""The PfU conformance flows run the real engine and PfU 2.1.1's own client
package through the understudy_pytest plugin. run_flows.py sets
UNDERSTUDY_PFU_CORPUS (and skips when the corpus is absent). The `editor`
fixture is every flow's engine, seen as Unity's C# tests see the editor
(pfu_editor.Editor)."""

import sys
from pathlib import Path

import pytest

_PYLIB = str(Path(__file__).resolve().parents[3] / "harness" / "pylib")
if _PYLIB not in sys.path:
    sys.path.insert(0, _PYLIB)

from pfu_editor import EXTRA_FLAGS, RPYC_TESTS_SCHEMA, SITE_PACKAGES, Editor  # noqa: E402

pytest_plugins = ["understudy_pytest"]


@pytest.fixture
def editor(understudy_engine):
    engine = understudy_engine("--unity-schema", str(RPYC_TESTS_SCHEMA), *EXTRA_FLAGS,
                               socket="pfu",
                               env={"UNDERSTUDY_PFU_SITE_PACKAGES": str(SITE_PACKAGES),
                                    "UNDERSTUDY_CLIENT_PYTHON": sys.executable})
    editor = Editor(engine)
    yield editor
    if engine.running():
        editor.run("PythonRunner.StartServer()")
        editor.assert_no_clients()
