"""The README's demo command runs to completion and shows LiveImport's work."""

from __future__ import annotations

import inspect
import io
import subprocess
import sys
import time

from IPython.core.interactiveshell import InteractiveShell

import liveimport
from liveimport.__main__ import main
from liveimport._demo import Demo, run


def test_demo_fast_runs_to_completion_and_shows_what_sets_liveimport_apart(tmp_path):
    """The README's first command, end to end: it says what it sets up, then
    shows a dependent reload (C4), an alias rebound (C3), statement order kept
    (C3), the stale-object (A2) and stale-output (A4) notices, a broken edit
    stopping its cell (N6) and a recovery whose output differs from before the
    break, ``%liveimport why`` (A5) and the status display (N7)."""
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
    assert "Traceback" not in text and out.stderr == ""

    def after(marker: str, *lines: str) -> None:
        """``lines`` appear, in order, after ``marker``."""
        position = text.index(marker)
        for line in lines:
            position = text.index(line, position)

    # What it sets up is a visible cell, not a hidden call.
    assert "In [1]: import liveimport\n   ...: liveimport.workspace('.')\n" in text
    assert "   ...: liveimport.auto_sync(grace=0)\n" in text
    after("Out[4]: (9.81, 'about 19.6 metres')", "In [5]: g, fmt(simulate(2))")
    after(
        "In [5]:",
        "Reloaded units modified",
        "Reloaded physics because units reloaded",
        "Reloaded simulator because physics reloaded",
        "stone still uses a class from simulator before it reloaded",
        "Out[5]: (1.62, 'about 3.2 metres')",  # the alias g was rebound
    )
    if "cell_id" in inspect.signature(InteractiveShell.run_cell).parameters:  # IPython >= 8.3
        after(
            "stone still uses",
            "Outputs of [3] and [4] came from code that has since reloaded",
            "Out[5]:",
        )
    after("In [6]:", "Reloaded plain modified", "Out[6]: 'about 3.2 metres'")  # order kept
    after("In [7]:", "NameError: name 'speed' is not defined", "this cell did not run")
    assert "Out[7]" not in text
    after("In [8]:", "Reloaded physics modified", "Out[8]: 'about 13.2 metres'")
    after(
        "In [9]: %liveimport why physics",
        "physics is tracked: simulator imports it at top level",
        "The last sync that found changes (",
    )
    after("In [10]: %liveimport", "imported by simulator", "Registered in __main__:")


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
    assert "\033[1;36m# A throwaway folder for this demo: " in text
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
