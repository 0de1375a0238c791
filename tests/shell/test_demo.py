"""The README's demo command runs to completion and shows LiveImport's work."""

from __future__ import annotations

import io
import subprocess
import sys
import time

import liveimport
from liveimport.__main__ import main
from liveimport._demo import Demo, run


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
    assert "Nothing was reloaded, and this cell did not run." in text  # N6
    assert "fallen 3.2 m" in text  # recovered on the fixed code
    assert "imported by simulator" in text  # N7 status
    assert "Traceback" not in text


def test_cli_requires_a_command():
    out = subprocess.run(
        [sys.executable, "-m", "liveimport"], check=False, capture_output=True, text=True
    )
    assert out.returncode == 2 and "demo" in out.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_demo_in_a_terminal_colours_its_narration(capsys):
    out = _Terminal()
    assert run(fast=True, out=out) == 0
    text = out.getvalue()
    assert "\033[1;36m# A throwaway workspace: " in text
    assert text.count("\033[0m") == text.count("\033[1;36m") > 5
    assert "Reloaded units modified" in capsys.readouterr().out  # the shell's report


def test_demo_reports_when_it_does_not_go_as_planned(capsys):
    # With on_error="warn" the broken edit no longer stops the cell (N6), which
    # the demo's own check must notice.
    liveimport.auto_sync(on_error="warn")
    out = io.StringIO()
    assert run(fast=True, out=out) == 1
    text = out.getvalue()
    assert "\033[" not in text  # not a terminal: no colour
    assert text.endswith("\nThe demo did not go as planned; please report this.\n")
    assert "this cell runs on the previous code." in capsys.readouterr().err


def test_demo_pauses_between_steps(tmp_path):
    out = io.StringIO()
    demo = Demo(tmp_path, out, pause=0.05)
    start = time.monotonic()
    demo.say("hello")
    assert time.monotonic() - start >= 0.05
    assert out.getvalue() == "\n# hello\n"


def test_cli_without_ipython_says_how_to_get_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "IPython", None)  # as if not installed
    assert main(["demo", "--fast"]) == 2
    assert capsys.readouterr().err == "The demo needs IPython: pip install ipython\n"
