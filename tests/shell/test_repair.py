"""N6 (r2): the cells through which a user repairs a failed sync are never
blocked, and the blocking message says where the problem is and how to go on."""

from __future__ import annotations

import pytest

import liveimport

WARN_CALL = 'liveimport.auto_sync(on_error="warn")'


@pytest.fixture
def units(shell, modules):
    """``n6units`` (tracked) and ``n6metrics``, which registers a metric in a
    registry outside the workspace and raises if it is imported a second time."""
    modules.write("n6units", "meter = 1\n")
    registry = modules.root.parent / "registry"
    registry.mkdir()
    (registry / "n6registry.py").write_text("METRICS = set()\n")
    import sys

    sys.path.append(str(registry))
    modules.write(
        "n6metrics",
        "import n6registry\n"
        "if 'latency' in n6registry.METRICS:\n"
        "    raise ValueError('metric latency is already registered')\n"
        "n6registry.METRICS.add('latency')\n",
    )
    cell = "#_%%liveimport --clear\nfrom n6units import meter\nimport n6metrics\n"
    assert shell.run(cell).success
    try:
        yield modules
    finally:
        sys.path.remove(str(registry))
        sys.modules.pop("n6registry", None)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_n6_message_ends_with_the_ways_forward(shell, units, capsys):
    units.write("n6units", "meter = 2\nraise RuntimeError('units broke')\n")
    out = shell.stopped("ran = meter", capsys)
    lines = out.splitlines()
    assert lines[0] == "LiveImport: n6units raised an exception while reloading."
    assert lines[1] == f'  File "{units.path("n6units")}", line 2'
    assert lines[2] == "  RuntimeError: units broke"
    text = one_line("\n".join(lines[3:]))
    assert text == (
        "Nothing was reloaded, and this cell did not run. Fix the file and run the cell "
        f"again, or run {WARN_CALL} to run cells on the previous code. If n6units can no "
        "longer reload at all, drop its import from your #_%%liveimport --clear cell."
    )
    assert all(len(line) <= 72 for line in lines[2:])  # N5: no line a notebook must break


def test_n6_syntax_error_shows_the_source_line_and_a_caret(shell, units, capsys):
    units.write("n6units", "meter = 2\ncentimeter = (meter / 100\n")
    capsys.readouterr()
    assert not shell.run("ran = meter").success
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "LiveImport: n6units could not be read or parsed."
    assert lines[1] == f'  File "{units.path("n6units")}", line 2'
    assert lines[2] == "    centimeter = (meter / 100"
    assert lines[3] == "                 ^"  # under the unclosed parenthesis
    assert lines[4] == "  SyntaxError: '(' was never closed"
    text = one_line("\n".join(lines[5:]))
    assert text.startswith("Nothing was reloaded, and this cell did not run. Fix the file")
    assert "--clear" not in text  # a parse error is fixed in the file
    assert shell.ns["meter"] == 1


@pytest.mark.parametrize("magic", ["%%writefile", "%%file"])
def test_n6_writefile_cell_is_never_blocked_and_the_next_cell_reloads_the_fix(
    shell, units, capsys, magic
):
    units.write("n6units", "meter = 2\nraise RuntimeError('units broke')\n")
    assert not shell.run("ran = meter").success
    capsys.readouterr()
    liveimport.auto_sync(grace=3600)  # the retry does not wait for the grace period
    result = shell.run(f"{magic} {units.path('n6units')}\nmeter = 3\n")
    assert result.success
    captured = capsys.readouterr()
    assert "LiveImport" not in captured.out + captured.err  # nothing to say before the fix
    assert units.path("n6units").read_text() == "meter = 3\n"
    assert shell.run("seen = meter").success
    assert shell.ns["seen"] == 3
    assert "Reloaded n6units modified" in capsys.readouterr().out


def test_n6_writefile_cell_runs_in_warn_mode_without_a_warning(shell, units, capsys):
    liveimport.auto_sync(on_error="warn")
    units.write("n6units", "meter = (\n")
    capsys.readouterr()
    assert shell.run(f"%%writefile {units.path('n6units')}\nmeter = 4\n").success
    assert "LiveImport" not in capsys.readouterr().err
    liveimport.auto_sync(grace=3600)  # a warned run stays frozen, a written fix does not
    assert shell.run("seen = meter").success
    assert shell.ns["seen"] == 4


def test_n6_registration_cell_runs_on_previous_code_then_retries_and_warns(shell, units, capsys):
    units.write("n6units", "meter = 2\nraise RuntimeError('units broke')\n")
    capsys.readouterr()
    result = shell.run("#_%%liveimport\nfrom n6units import meter as m\nbody_saw = meter\n")
    assert result.success  # not blocked
    assert shell.ns["body_saw"] == 1  # it ran on the previous code
    assert "from n6units import meter as m" in liveimport.registered(shell.ns)
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.splitlines()
    assert err[0] == "LiveImport: n6units raised an exception while reloading."
    text = one_line("\n".join(err[3:]))
    assert text.startswith(
        "Registered, but the sync still fails: nothing was reloaded, and other cells "
        "stay stopped. Fix the file and run a cell, or run " + WARN_CALL
    )
    assert not shell.run("ran = 1").success  # still blocks other cells
    assert "ran" not in shell.ns


def test_n6_clear_cell_dropping_a_module_that_cannot_reload_unblocks_the_notebook(
    shell, units, capsys
):
    """The module registers a metric in a global registry: re-executing it
    raises. Dropping its import from the --clear cell stops tracking it, and
    the retried sync reloads what did change."""
    units.write("n6units", "meter = 100\n")
    units.touch("n6metrics")
    assert not shell.run("ran = meter").success
    assert "metric latency is already registered" in capsys.readouterr().out
    result = shell.run("#_%%liveimport --clear\nfrom n6units import meter\n")
    assert result.success
    captured = capsys.readouterr()
    assert "Reloaded n6units modified" in captured.out  # the retry's report, in this cell
    assert captured.err == ""
    assert shell.ns["meter"] == 100
    assert liveimport.registered(shell.ns) == ["from n6units import meter"]
    assert "n6metrics" not in [m.name for m in liveimport.status().modules]
    assert shell.run("ran = meter").success and shell.ns["ran"] == 100


def test_n6_retry_that_has_nothing_left_to_reload_says_the_sync_succeeds(shell, units, capsys):
    units.touch("n6metrics")
    assert not shell.run("ran = 1").success
    capsys.readouterr()
    assert shell.run("#_%%liveimport --clear\nfrom n6units import meter\n").success
    captured = capsys.readouterr()
    assert captured.out == "LiveImport: the sync succeeds again; nothing is left to reload.\n"
    assert captured.err == ""
    assert shell.run("ran = 1").success


def test_n6_registration_cell_in_warn_mode_retries_and_warns_once(shell, units, capsys):
    liveimport.auto_sync(on_error="warn")
    units.write("n6units", "meter = 2\nraise RuntimeError('units broke')\n")
    capsys.readouterr()
    assert shell.run("#_%%liveimport\nfrom n6units import meter\n").success
    err = capsys.readouterr().err
    assert err.count("LiveImport: n6units raised") == 1  # the retry's outcome only
    assert one_line(err).endswith(
        "Registered, but the sync still fails: nothing was reloaded, and cells run on "
        "the previous code. Fix the file; a later cell retries the sync."
    )
    assert shell.run("seen = meter").success and shell.ns["seen"] == 1


def test_n6_visible_registration_cell_is_never_blocked(shell, units, capsys):
    units.write("n6units", "meter = (\n")
    units.write("n6extra", "extra = 7\n")
    capsys.readouterr()
    assert shell.run("%%liveimport\nfrom n6extra import extra\n").success
    assert shell.ns["extra"] == 7
    assert "from n6extra import extra" in liveimport.registered(shell.ns)
    assert "could not be read or parsed" in capsys.readouterr().err


def test_n6_silent_registration_cell_does_not_retry_or_show_anything(shell, units, capsys):
    units.write("n6units", "meter = (\n")
    capsys.readouterr()
    assert shell.run("#_%%liveimport\nfrom n6units import meter\n", store_history=False).success
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    assert not shell.run("ran = 1").success  # the next user cell retries and stops


def test_n6_registration_cell_within_grace_and_no_failure_does_not_sync_after(shell, units, capsys):
    """Only a registration cell whose own sync failed retries after it: in a
    multi-cell run the codebase stays frozen."""
    liveimport.auto_sync(grace=3600)
    shell.run("pass")
    units.write("n6units", "meter = 9\n")
    capsys.readouterr()
    assert shell.run("#_%%liveimport\nfrom n6units import meter\n").success
    assert capsys.readouterr().out == ""
    assert shell.ns["meter"] == 1


def test_n6_reset_while_a_failed_sync_waits_says_which_changes_it_dropped(shell, units, capsys):
    """reset() as a way out forgets the edits that never loaded; the notebook
    keeps the old code while the files say otherwise, so it says so, and
    what it says holds: registering again does not load them, saving again does."""
    units.write("n6units", "meter = 100\n")
    units.touch("n6metrics")  # cannot reload: blocks the sync
    assert not shell.run("ran = 1").success
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    assert shell.run("liveimport.reset()").success
    err = capsys.readouterr().err
    notice = one_line(err[err.index("LiveImport: reset()") :])
    assert notice == (
        "LiveImport: reset() dropped changes that never loaded: n6metrics and n6units "
        "still run the code loaded before their files changed. Registering them again "
        "does not load those edits; save their files again after registering, or "
        "restart the kernel."
    )
    assert shell.run("#_%%liveimport\nfrom n6units import meter\n").success
    assert shell.run("seen = meter").success and shell.ns["seen"] == 1  # as it said
    units.touch("n6units")  # saved again
    assert shell.run("seen = meter").success and shell.ns["seen"] == 100
    assert "reset()" not in capsys.readouterr().err  # said once


def test_n6_reset_names_a_single_module_in_the_singular(shell, units, capsys):
    units.write("n6units", "meter = (\n")
    assert not shell.run("ran = 1").success
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    assert shell.run("liveimport.reset()").success
    assert "n6units still runs the code loaded before its file changed" in one_line(
        capsys.readouterr().err
    )


def test_n6_reset_without_a_failed_sync_says_nothing_more(shell, units, capsys):
    units.write("n6units", "meter = (\n")
    assert not shell.run("ran = 1").success
    units.write("n6units", "meter = 5\n")
    assert shell.run("ran = meter").success  # the sync succeeded: nothing waits
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    assert shell.run("liveimport.reset()").success
    assert capsys.readouterr().err == ""


def test_n6_reset_in_a_silent_cell_shows_nothing(shell, units, capsys):
    units.write("n6units", "meter = (\n")
    assert not shell.run("ran = 1").success
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    assert shell.run("liveimport.reset()", store_history=False).success
    assert capsys.readouterr().err == ""
    assert shell.run("ran = 2").success
    assert "reset()" not in capsys.readouterr().err


def test_n6_reset_after_a_failed_retry_of_a_registration_cell_says_so(shell, units, capsys):
    units.write("n6units", "meter = (\n")
    assert shell.run("#_%%liveimport\nfrom n6units import meter\n").success  # retry fails
    liveimport.auto_sync(enabled=False)  # no sync before the next cell
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    assert shell.run("liveimport.reset()").success
    assert "LiveImport: reset() dropped changes" in capsys.readouterr().err
