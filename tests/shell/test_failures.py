"""N6: a failed automatic sync stops the cell with one short message."""

from __future__ import annotations

import time
from inspect import signature

import pytest
from IPython.core.interactiveshell import ExecutionInfo

import liveimport
from liveimport import _ipython


@pytest.fixture
def pair(shell, modules):
    modules.write("n6base", "value = 1\n")
    modules.write("n6top", "from n6base import value\ntotal = value + 100\n")
    assert shell.run("%%liveimport\nfrom n6top import total").success
    return modules


def break_base(modules):
    modules.write("n6base", "value = 2\n\nraise RuntimeError('bad edit')\n")


def test_n6_failed_sync_stops_cell_with_one_short_message(shell, pair, capsys):
    break_base(pair)
    capsys.readouterr()
    result = shell.run("ran = True")
    assert "ran" not in shell.ns  # the body did not run
    assert not result.success and result.error_before_exec is not None
    out = capsys.readouterr().out
    path = str(pair.path("n6base"))
    assert "n6base" in out
    assert f'"{path}", line 3' in out
    assert "RuntimeError: bad edit" in out
    assert "Nothing was reloaded" in out
    assert "Traceback" not in out and "importlib" not in out and "_ipython" not in out
    assert len(out.strip().splitlines()) <= 7
    assert all(len(line) <= 72 for line in out.splitlines() if "File" not in line)
    assert shell.ns["total"] == 101  # previous, consistent code


def test_n6_syntax_error_names_file_and_line(shell, pair, capsys):
    pair.write("n6base", "value = (\n")
    out = shell.stopped("ran = True", capsys)
    assert str(pair.path("n6base")) in out and ", line 1" in out
    assert "Nothing was reloaded" in out


def test_n6_next_cell_retries_and_recovers_after_the_fix(shell, pair, capsys):
    liveimport.auto_sync(grace=3600)  # the retry must not wait for the grace period
    shell.run("pass")
    break_base(pair)
    liveimport.auto_sync(grace=0)
    assert not shell.run("ran = 1").success
    liveimport.auto_sync(grace=3600)
    assert not shell.run("ran = 2").success  # retried although within grace
    pair.write("n6base", "value = 5\n")
    capsys.readouterr()
    assert shell.run("ran = total").success
    assert shell.ns["ran"] == 105
    assert "Reloaded n6top because n6base reloaded" in capsys.readouterr().out


def test_n6_warn_shows_the_message_and_runs_the_cell_on_previous_code(shell, pair, capsys):
    liveimport.auto_sync(on_error="warn")
    break_base(pair)
    capsys.readouterr()
    result = shell.run("seen = total")
    assert result.success and shell.ns["seen"] == 101
    err = capsys.readouterr().err
    assert "RuntimeError: bad edit" in err and "Nothing was reloaded" in err


def test_n6_warn_keeps_a_multi_cell_run_frozen_on_the_previous_code(shell, pair, capsys):
    """A warned cell ran on the previous code; the next cell within the grace
    period does not retry (no repeated warning, no mid-run code change)."""
    liveimport.auto_sync(on_error="warn")
    break_base(pair)
    capsys.readouterr()
    assert shell.run("first = total").success
    assert "bad edit" in capsys.readouterr().err
    liveimport.auto_sync(grace=3600)
    pair.write("n6base", "value = 7\n")  # fixed mid-run: must wait for the run to end
    assert shell.run("second = total").success
    assert shell.ns["second"] == shell.ns["first"] == 101
    assert capsys.readouterr().err == ""
    liveimport.auto_sync(grace=0)
    assert shell.run("third = total").success
    assert shell.ns["third"] != 101


def test_n4_a_cell_reported_finished_without_a_result_ends_the_run(shell, pair):
    """ipykernel reports a cell whose execution failed with post_run_cell(None)."""
    liveimport.auto_sync(grace=0)
    # IPython 8.0's ExecutionInfo has no cell_id; later ones require it.
    cell_id = {"cell_id": None} if "cell_id" in signature(ExecutionInfo).parameters else {}
    info = ExecutionInfo("x = 1", True, False, None, **cell_id)
    shell.ip.events.trigger("pre_run_cell", info)
    shell.ip.events.trigger("post_run_cell", None)
    pair.write("n6base", "value = 5\n")
    assert shell.run("after = total").success
    assert shell.ns["after"] != 101  # the sync ran: the cell was not taken as nested


def test_n6_store_history_false_cell_is_never_blocked_and_next_user_cell_retries(
    shell, pair, capsys
):
    break_base(pair)
    capsys.readouterr()
    result = shell.run("boot = total", store_history=False)
    assert result.success and shell.ns["boot"] == 101
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    liveimport.auto_sync(grace=3600)  # the retry ignores the grace period
    assert not shell.run("ran = 1").success
    assert "ran" not in shell.ns
    assert "bad edit" in capsys.readouterr().out


def test_n6_interrupted_sync_stops_the_cell(shell, pair, capsys):
    pair.write("n6base", "value = 3\nraise KeyboardInterrupt\n")
    out = shell.stopped("ran = True", capsys)
    assert "interrupted" in out and "Nothing was reloaded" in out
    assert shell.ns["total"] == 101


def test_n6_failing_registration_cell_after_failed_sync_registers_nothing(shell, pair, capsys):
    """N2, N6: a registration cell runs during a failed sync; if its code raises,
    it fails like any cell, nothing is registered and no retry is shown."""
    break_base(pair)
    capsys.readouterr()
    result = shell.run("%%liveimport -c\nimport n6base\nraise LookupError('cell')")
    assert isinstance(result.error_in_exec, LookupError)
    assert liveimport.registered(shell.ns) == ["from n6top import total"]
    assert "LiveImport" not in capsys.readouterr().err
    assert not shell.run("ran = 1").success  # still failing: still blocked


def test_n6_rebind_failure_names_the_module_and_file(shell, modules, capsys):
    modules.write("n6star", "__all__ = ['a']\na = 1\n")
    assert shell.run("%%liveimport\nfrom n6star import *").success
    modules.write("n6star", "__all__ = ['a', 'b']\na = 2\n")  # forgot to define b
    capsys.readouterr()
    result = shell.run("ran = True")
    assert not result.success and "ran" not in shell.ns
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "LiveImport: n6star does not provide a name that a registered import binds."
    assert out[1] == f'  File "{modules.path("n6star")}"'  # no line to blame
    assert out[2].startswith("  name 'b' has disappeared from n6star")  # C7 (r2)
    start = out.index("Nothing was reloaded, and this cell did not run. Fix the file and run")
    assert out[start:] == [
        "Nothing was reloaded, and this cell did not run. Fix the file and run",
        'the cell again, or run liveimport.auto_sync(on_error="warn") to run',
        "cells on the previous code.",
    ]
    assert shell.ns["a"] == 1  # previous, consistent code


def test_n6_line_is_found_even_when_the_module_path_mentions_importlib(shell, modules, capsys):
    modules.write("importlib_lab.n6lab", "value = 1\n")
    assert shell.run("%%liveimport\nfrom importlib_lab.n6lab import value").success
    modules.write("importlib_lab.n6lab", "value = 2\n\nraise RuntimeError('lab')\n")
    capsys.readouterr()
    assert not shell.run("ran = True").success
    out = capsys.readouterr().out
    assert "RuntimeError: lab" in out
    assert "_transaction.py" not in out
    assert f'"{modules.path("importlib_lab.n6lab")}", line 3' in out


@pytest.mark.parametrize(
    "cell",
    [
        "liveimport.auto_sync(on_error='warn')",
        "import liveimport\nliveimport.reset()",
        "%unload_ext liveimport",
        "%liveimport",
        "from liveimport import status\nliveimport.status()",
    ],
)
def test_n6_cells_that_only_operate_liveimport_always_run(shell, pair, capsys, cell):
    """N6: while a sync fails, a cell that only operates LiveImport (settings,
    reset, unload, status) still runs, with the failure shown as a warning:
    it is the way out of a failure that no edit can fix."""
    break_base(pair)
    capsys.readouterr()
    shell.ns["liveimport"] = liveimport
    result = shell.run(cell)
    assert result.success, result.error_before_exec or result.error_in_exec
    captured = capsys.readouterr()
    assert "bad edit" in captured.err and "this cell runs on the previous code." in captured.err


def test_n6_a_cell_that_also_does_other_work_is_still_stopped(shell, pair, capsys):
    break_base(pair)
    shell.ns["liveimport"] = liveimport
    assert not shell.run("liveimport.reset()\nran = 1").success
    assert "ran" not in shell.ns


def test_n4_background_cells_do_not_restart_the_grace_period(shell, pair):
    """N4: only the user's cells start the grace period: a frontend's
    background executions (``store_history=False``) do not postpone the sync
    before the user's next cell."""
    liveimport.auto_sync(grace=3600)
    integration = _ipython._INSTALLED[id(shell.ip)]
    integration.last_finished = time.monotonic() - 7200  # the user's cell ended 2 h ago
    assert shell.ip.run_cell("1", store_history=False).success  # background work
    pair.write("n6base", "value = 5\n")
    assert shell.run("second = total").success  # right after the background cell
    assert shell.ns["second"] == 105  # synced: the background cell did not count


@pytest.mark.parametrize(
    ("cell", "controls"),
    [
        ("%unload_ext liveimport", True),
        ("%reload_ext liveimport", True),
        ("%liveimport", True),
        ("liveimport.reset()\nliveimport.auto_sync(True)", True),
        ("from liveimport import sync", True),
        ("import liveimport", True),
        ("%load_ext autoreload", False),
        ("%time x = 1", False),
        ("print(1)", False),
        ("x = 1", False),
        ("import os", False),
        ("import liveimport, os", False),
        ("os.path.join('a')", False),
        ("liveimport.sync\n", False),
        ("(", False),
        ("", False),
    ],
)
def test_n6_which_cells_only_operate_liveimport(shell, cell, controls):
    from liveimport._magics import is_control_cell

    assert is_control_cell(shell.ip, cell) is controls


def test_n6_a_cell_with_a_syntax_error_during_a_failed_sync_fails_as_itself(shell, pair):
    break_base(pair)
    result = shell.run("x = (")
    assert not result.success and isinstance(result.error_before_exec, SyntaxError)
    assert shell.run("value_now = total").success is False  # still failing: blocked
