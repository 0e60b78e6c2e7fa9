"""`cmake --install` puts everything a user needs under one prefix, and the
installed programs use only what is there: the scenario suite runs from
PREFIX/share/understudy with an environment that names no part of the source
tree, the engine loads its Python from PREFIX (its stacks say so), and pytest
loads the plugin through its pytest11 entry point with no -p and no
conftest."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BUILD = Path(os.environ["UNDERSTUDY_BUILD_DIR"])
SOURCE = Path(os.environ["UNDERSTUDY_SOURCE_DIR"])
PYTHONDIR = os.environ["UNDERSTUDY_PYTHONDIR"]
RUN_TIMEOUT = 120  # seconds; a scenario run here takes about 3


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    done = subprocess.run(["cmake", "--install", str(BUILD), "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, f"cmake --install failed:\n{done.stdout}\n{done.stderr}"
    return prefix


def installed_env(prefix, **extra):
    """What a user's shell has: the prefix's programs and Python folder (on
    /usr both are on the default paths), nothing of the source tree."""
    return {"HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8",
            "PATH": f"{prefix}/bin:/usr/bin:/bin", "PYTHONPATH": str(prefix / PYTHONDIR),
            "PYTHONDONTWRITEBYTECODE": "1", **extra}


def test_the_layout_holds_programs_engine_files_plugin_and_man_pages(prefix):
    expected = [
        "bin/understudy", "bin/understudy-engine",
        "share/understudy/engine/pylib/understudy_engine/__init__.py",
        "share/understudy/engine/unity/pylib/UnityEngine.py",
        "share/understudy/engine/unity/unity_api.toml",
        "share/understudy/engine/schema/unreal",
        "share/understudy/scenarios/README.md",
        "share/understudy/docs/unreal-api-coverage.md",
        f"{PYTHONDIR}/understudy_client",
        f"{PYTHONDIR}/understudy_protocol/codec.py",
        "share/man/man1/understudy.1", "share/man/man1/understudy-engine.1",
    ]
    missing = [path for path in expected if not (prefix / path).exists()]
    assert not missing, f"not installed under {prefix}: {missing}"
    entry_points = list(prefix.glob(f"{PYTHONDIR}/understudy-*.dist-info/entry_points.txt"))
    assert entry_points, f"no understudy dist-info under {prefix / PYTHONDIR}"
    assert "[pytest11]\nunderstudy_pytest = understudy_pytest" in entry_points[0].read_text()
    page = (prefix / "share/man/man1/understudy.1").read_text()
    assert page.startswith(".TH UNDERSTUDY 1"), page[:80]
    assert ".SH UNDERSTUDY STRESS" in page and "--clients" in page, \
        "the man page lacks the stress subcommand's options"


def test_the_installed_harness_runs_a_scenario_on_installed_files_only(prefix, tmp_path):
    scenario = prefix / "share/understudy/scenarios/deadlock/sync_deadlock.toml"
    done = subprocess.run(["understudy", "run", str(scenario), "--report-dir", "reports"],
                          cwd=tmp_path, env=installed_env(prefix), capture_output=True,
                          text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, f"the installed understudy failed:\n{done.stdout}\n{done.stderr}"
    assert "1 passed, 0 failed" in done.stdout, done.stdout
    # The deadlock report carries the engine's stacks: its Python came from
    # the prefix, none of it from the source tree.
    logs = "\n".join(p.read_text(errors="replace")
                     for p in (tmp_path / "reports").rglob("*.log"))
    engine_files = set(re.findall(r'File "([^"]*understudy_engine/[^"]+\.py)"', logs))
    assert engine_files, "no engine stack in the run's logs: nothing to tell where its Python was"
    outside = [f for f in engine_files if not f.startswith(str(prefix))]
    assert not outside, f"the installed engine ran Python from outside {prefix}: {outside}"
    assert not any(str(SOURCE) in f for f in engine_files)


def test_pytest_loads_the_installed_plugin_by_its_entry_point(prefix, tmp_path):
    (tmp_path / "test_tool.py").write_text(
        "def test_the_engine_runs_the_tools_code(understudy_engine, understudy_client):\n"
        "    engine = understudy_engine()\n"
        "    tool = understudy_client('tool', engine=engine)\n"
        "    namespace = tool.root.dict()\n"
        "    tool.root.execute('answer = 6 * 7', namespace)\n"
        "    assert namespace['answer'] == 42\n")
    env = installed_env(prefix, UNDERSTUDY_ENGINE=str(prefix / "bin/understudy-engine"))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT)
    assert done.returncode == 0, f"pytest with the installed plugin failed:\n{done.stdout}\n" \
                                 f"{done.stderr}"
    assert "1 passed" in done.stdout, done.stdout
