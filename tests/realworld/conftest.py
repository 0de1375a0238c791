"""Real packages (click, rich, docutils) copied into a temporary workspace.

Each scenario runs in its own fresh interpreter (``driver.py``), so the
installed copy is never imported there: the workspace copy is first on
``sys.path``. Nothing here imports IPython.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DRIVER = Path(__file__).with_name("driver.py")
#: Every copied file gets an explicit mtime on this clock (one second apart).
CLOCK_NS = 1_700_000_000 * 10**9


def installed_source(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{package} is not installed (pip install -e '.[test]')")
    return Path(next(iter(spec.submodule_search_locations)))


def copy_package(package: str, dest: Path) -> int:
    """Copy the installed package's ``.py`` sources to ``dest/package``, with
    explicit mtimes; returns the clock after the last file."""
    source = installed_source(package)
    shutil.copytree(source, dest / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    clock = CLOCK_NS
    for path in sorted((dest / package).rglob("*")):
        if path.is_file():
            clock += 10**9
            os.utime(path, ns=(clock, clock))
    return clock


@pytest.fixture
def run_scenario(tmp_path: Path):
    def run(package: str, statements: list[str], steps: list[dict[str, Any]]) -> dict[str, Any]:
        workspace = tmp_path / "ws"
        workspace.mkdir()
        clock = copy_package(package, workspace)
        plan = {
            "workspace": str(workspace),
            "package": package,
            "statements": statements,
            "steps": steps,
            "clock_ns": clock + 10**9,
        }
        proc = subprocess.run(
            [sys.executable, "-B", str(DRIVER), json.dumps(plan)],
            capture_output=True,
            check=False,
            text=True,
            cwd=workspace,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-6000:]
        report: dict[str, Any] = json.loads(proc.stdout)
        return report

    return run
