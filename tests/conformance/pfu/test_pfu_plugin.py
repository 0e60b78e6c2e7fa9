"""The pytest plugin takes plain PfU scripts as clients: Unity's own test
client, unchanged, spawned with client_process(pfu=True), finds the engine
through PfU's unity_client.connect() (PfU's socket in the engine's TMPDIR)
with PfU's site-packages, not understudy_client, on its path."""

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("UNDERSTUDY_PFU_CORPUS", ""))
CLIENT = CORPUS / "Tests" / "rpyc" / "rpyc_test_client_init.py"
NAME = "com.unity.scripting.python.tests.rpyc"

if not CLIENT.is_file():
    pytest.skip(f"no PfU 2.1.1 corpus at {CORPUS!s} (UNDERSTUDY_PFU_CORPUS)",
                allow_module_level=True)


def test_a_plain_pfu_script_is_a_client_process(understudy_engine, client_process,
                                                monkeypatch):
    monkeypatch.setenv("UNDERSTUDY_PFU_PACKAGE", str(CORPUS))
    engine = understudy_engine(socket="pfu")
    client = client_process(CLIENT, name=NAME, args=["from-the-plugin"], pfu=True)
    outcome = engine.call_client(NAME, "get_argv", 1, timeout=10)
    assert outcome.ok and outcome.value == "from-the-plugin", outcome
    path = engine.call_client(NAME, "get_argv", 0, timeout=10)
    assert path.value == str(CLIENT), path
    client.wait_registered()
