"""A4 in a real IPython shell given cell ids (as ipykernel passes the
frontend's ``cellId``): which cells' outputs came from code that has since
reloaded, how re-running, rejected runs and registration cells count, and that
a shell without cell ids shows nothing new."""

from __future__ import annotations

import inspect

import pytest
from IPython.core.interactiveshell import InteractiveShell

import liveimport

pytestmark = pytest.mark.skipif(
    "cell_id" not in inspect.signature(InteractiveShell.run_cell).parameters,
    reason="IPython before 8.3 passes no cell ids",
)


@pytest.fixture
def run(shell):
    """``run(code, cell_id)``: a user cell with that frontend cell id."""

    def cell(code: str, cell_id: str | None = None):
        return shell.ip.run_cell(code, store_history=True, cell_id=cell_id)

    return cell


@pytest.fixture
def pkg(modules):
    modules.write("a4pkg", "", package=True)
    modules.write("a4pkg.sub", "def f():\n    return 1\n")
    modules.write("a4pkg.other", "def g():\n    return 1\n")
    modules.write("a4star", "__all__ = ['starred']\n\ndef starred():\n    return 1\n")
    return modules


def notice(capsys) -> str | None:
    lines = capsys.readouterr().out.splitlines()
    found = [line for line in lines if "came from code that has since reloaded" in line]
    assert len(found) <= 1
    return found[0] if found else None


def test_a4_attribute_access_through_a_registered_module_reaches_its_submodule(run, pkg, capsys):
    assert run("#_%%liveimport\nimport a4pkg.sub\nimport a4pkg.other", "imports").success
    first = run("a4pkg.sub.f()", "uses-sub")
    run("a4pkg.other.g()", "uses-other")
    run("a4pkg", "uses-package-only")
    capsys.readouterr()
    pkg.write("a4pkg.sub", "def f():\n    return 2\n")
    assert run("1", "new").success
    assert notice(capsys) == (
        f"Output of [{first.execution_count}] came from code that has since reloaded"
    )


def test_a4_star_imports_and_names_a_later_import_rebinds(run, pkg, capsys):
    assert run("#_%%liveimport\nfrom a4star import *", "imports").success
    used = run("starred()", "uses-star")
    run("starred = lambda: 0\nstarred()", "own-variable")  # a store, then a read
    capsys.readouterr()
    pkg.write("a4star", "__all__ = ['starred']\n\ndef starred():\n    return 2\n")
    assert run("1", "new").success
    counts = sorted([used.execution_count, used.execution_count + 1])
    assert notice(capsys) == (
        f"Outputs of [{counts[0]}] and [{counts[1]}] came from code that has since reloaded"
    )


def test_a4_a_rejected_run_or_a_cell_that_does_not_parse_used_nothing(run, pkg, capsys):
    assert run("#_%%liveimport\nimport a4pkg.sub", "imports").success
    run("a4pkg.sub.f()", "cell")
    pkg.write("a4pkg.sub", "def f(:\n")
    rejected = run("a4pkg.sub.f()", "cell")  # the sync fails, the cell is stopped
    assert not rejected.success
    run("a4pkg.sub.f(", "broken")  # a syntax error of the cell's own
    capsys.readouterr()
    pkg.write("a4pkg.sub", "def f():\n    return 3\n")
    assert run("1", "new").success
    assert notice(capsys) is None


def test_a4_the_retry_after_a_registration_cell_reports_stale_outputs(run, pkg, capsys):
    assert run("#_%%liveimport\nimport a4pkg.sub", "imports").success
    used = run("a4pkg.sub.f()", "uses")
    pkg.write("a4pkg.sub", "def f(:\n")
    assert not run("1", "blocked").success
    pkg.write("a4pkg.sub", "def f():\n    return 4\n")
    capsys.readouterr()
    # The registration cell runs on the previous code, registers, then retries.
    assert run("#_%%liveimport\nimport a4pkg.other", "imports").success
    assert notice(capsys) == (
        f"Output of [{used.execution_count}] came from code that has since reloaded"
    )


def test_a4_nested_and_background_cells_are_not_remembered(shell, run, pkg, capsys):
    assert run("#_%%liveimport\nimport a4pkg.sub", "imports").success
    run("get_ipython().run_cell('a4pkg.sub.f()', store_history=True, cell_id='inner')", "outer")
    shell.ip.run_cell("a4pkg.sub.f()", store_history=False, cell_id="background")
    capsys.readouterr()
    pkg.write("a4pkg.sub", "def f():\n    return 5\n")
    assert run("1", "new").success
    assert notice(capsys) is None


def test_a4_no_cell_ids_no_line(run, pkg, capsys):
    assert run("#_%%liveimport\nimport a4pkg.sub").success
    assert run("a4pkg.sub.f()").success
    capsys.readouterr()
    pkg.write("a4pkg.sub", "def f():\n    return 6\n")
    assert run("1").success
    out = capsys.readouterr().out
    assert "Reloaded a4pkg.sub modified" in out
    assert "came from code" not in out


def test_a4_after_reset_nothing_is_registered_and_nothing_is_listed(run, pkg, capsys):
    assert run("#_%%liveimport\nimport a4pkg.sub", "imports").success
    run("a4pkg.sub.f()", "uses")
    liveimport.reset()
    liveimport.workspace(pkg.root)
    liveimport.register(
        {"__name__": "elsewhere", "a4pkg": __import__("a4pkg.sub")}, "import a4pkg.sub"
    )
    capsys.readouterr()
    pkg.write("a4pkg.sub", "def f():\n    return 7\n")
    assert run("1", "new").success
    out = capsys.readouterr().out
    assert "Reloaded a4pkg.sub modified" in out
    assert "came from code" not in out
