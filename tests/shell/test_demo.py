"""The README's demo command runs to completion and shows LiveImport's work."""

from __future__ import annotations

import subprocess
import sys


def test_demo_fast_runs_to_completion_and_shows_reloads(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "liveimport", "demo", "--fast"],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the demo's workspace: the demo must set its own
        timeout=90,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    chain = [
        "Reloaded units modified",
        "Reloaded physics because units reloaded",
        "Reloaded simulator because physics reloaded",
    ]
    positions = [text.index(line) for line in chain]
    assert positions == sorted(positions)  # N4/C2: dependency order
    assert "Nothing was reloaded. This cell did not run." in text  # N6
    assert "fallen 3.2 m" in text  # recovered on the fixed code
    assert "imported by simulator" in text  # N7 status
    assert "Traceback" not in text


def test_cli_requires_a_command():
    out = subprocess.run(
        [sys.executable, "-m", "liveimport"], check=False, capture_output=True, text=True
    )
    assert out.returncode == 2 and "demo" in out.stderr
