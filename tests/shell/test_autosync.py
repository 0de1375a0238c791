"""N4 automatic sync and grace period, N5 reports, A2 stale notice."""

from __future__ import annotations

import ast

import pytest

import liveimport
from liveimport import _ipython

COUNT = "\n__import__('builtins').__dict__.setdefault('_n4_runs', []).append(__name__)\n"


@pytest.fixture
def chain(shell, modules):
    """base <- middle; the notebook imports both."""
    modules.write("n4base", "value = 1\nclass Model:\n    pass\n" + COUNT)
    modules.write("n4middle", "from n4base import value\ndoubled = value * 2\n")
    assert shell.run("%%liveimport\nimport n4base\nfrom n4middle import doubled").success
    import builtins

    builtins._n4_runs = []
    yield modules
    del builtins._n4_runs


def runs():
    return list(__import__("builtins")._n4_runs)


def test_n4_sync_before_each_cell_in_dependency_order(shell, chain, capsys):
    chain.write("n4base", "value = 5\nclass Model:\n    pass\n" + COUNT)
    capsys.readouterr()
    assert shell.run("seen = doubled").success
    assert shell.ns["seen"] == 10  # the cell already saw the new code
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Reloaded n4base modified ")
    assert out[1] == "Reloaded n4middle because n4base reloaded"


def test_n4_grace_period_freezes_the_codebase(shell, chain):
    liveimport.auto_sync(grace=3600)
    shell.run("pass")
    chain.write("n4base", "value = 7\n" + COUNT)
    assert shell.run("seen = doubled").success
    assert shell.ns["seen"] == 2 and runs() == []


def test_n4_sync_resumes_once_the_grace_period_has_passed(shell, chain):
    liveimport.auto_sync(grace=3600)
    shell.run("pass")
    chain.write("n4base", "value = 7\n" + COUNT)
    _ipython._INSTALLED[id(shell.ip)].last_finished -= 7200  # the grace period passes
    shell.run("seen = doubled")
    assert shell.ns["seen"] == 14


def test_n4_disabled_means_no_sync(shell, chain, capsys):
    liveimport.auto_sync(False)
    chain.write("n4base", "value = 3\n" + COUNT)
    shell.run("seen = doubled")
    assert shell.ns["seen"] == 2 and runs() == []
    liveimport.auto_sync(True)
    shell.run("seen = doubled")
    assert shell.ns["seen"] == 6


def test_n4_one_sync_per_cell_even_with_nested_cells(shell, chain):
    chain.write("n4base", "value = 3\n" + COUNT)
    shell.run("get_ipython().run_cell('inner = doubled')\nouter = doubled")
    assert runs() == ["n4base"]
    assert shell.ns["inner"] == shell.ns["outer"] == 6


def test_n5_report_off_hides_the_block_but_still_syncs(shell, chain, capsys):
    liveimport.auto_sync(report=False)
    chain.write("n4base", "value = 4\n" + COUNT)
    capsys.readouterr()
    shell.run("seen = doubled")
    assert shell.ns["seen"] == 8
    assert "Reloaded" not in capsys.readouterr().out


def test_n5_nothing_reloaded_means_no_report(shell, chain, capsys):
    capsys.readouterr()
    shell.run("x = 1")
    assert capsys.readouterr().out == ""


def test_n5_store_history_false_cell_defers_its_report(shell, chain, capsys):
    chain.write("n4base", "value = 4\n" + COUNT)
    capsys.readouterr()
    shell.run("bootstrap = doubled", store_history=False)
    assert shell.ns["bootstrap"] == 8  # it synced...
    assert capsys.readouterr().out == ""  # ...but showed nothing
    liveimport.auto_sync(grace=3600)  # the next cell comes within the grace period
    shell.run("y = 1")
    out = capsys.readouterr().out
    assert "Reloaded n4base" in out and "Reloaded n4middle because n4base reloaded" in out
    shell.run("z = 1")
    assert "Reloaded" not in capsys.readouterr().out  # shown once


def test_n5_deferred_report_is_dropped_after_the_grace_period(shell, chain, capsys):
    chain.write("n4base", "value = 4\n" + COUNT)
    shell.run("bootstrap = doubled", store_history=False)
    liveimport.auto_sync(grace=3600)
    _ipython._INSTALLED[id(shell.ip)].deferred_at -= 7200  # long past the grace period
    capsys.readouterr()
    shell.run("y = 1")
    assert "Reloaded" not in capsys.readouterr().out


def test_n5_silent_cells_neither_sync_nor_report(shell, chain, capsys):
    chain.write("n4base", "value = 4\n" + COUNT)
    capsys.readouterr()
    shell.run("quiet = doubled", silent=True)
    assert shell.ns["quiet"] == 2 and runs() == []
    assert capsys.readouterr().out == ""


def test_a2_stale_notice_names_variables_holding_replaced_classes(shell, chain, capsys):
    shell.run("net = n4base.Model()\nhp = n4base.Model()\nplain = 3")
    chain.write("n4base", "value = 1\nclass Model:\n    pass\n" + COUNT)
    capsys.readouterr()
    shell.run("pass")
    out = capsys.readouterr().out
    assert "net and hp still use classes from n4base before it reloaded" in out
    assert liveimport.status().namespaces[0].stale == ("net", "hp")


def test_n4_nested_blank_cell_does_not_end_the_outer_cell(shell, chain):
    # A blank cell fires post_run_cell without pre_run_cell; the outer cell is
    # still running, so the next nested cell must not sync (one frozen codebase).
    shell.ns["edit"] = lambda: chain.write("n4base", "value = 3\n" + COUNT)
    assert shell.run(
        "edit()\nget_ipython().run_cell('  ')\nget_ipython().run_cell('inner = doubled')"
    ).success
    assert shell.ns["inner"] == 2 and runs() == []
    assert shell.run("after = doubled").success  # the next top-level cell syncs
    assert shell.ns["after"] == 6 and runs() == ["n4base"]


class _CtrlC(ast.NodeTransformer):
    """Ctrl-C arriving while IPython transforms a cell's AST (once)."""

    def __init__(self) -> None:
        self.armed = True

    def visit(self, node):
        if self.armed:
            self.armed = False
            raise KeyboardInterrupt
        return node


def test_n4_sync_still_runs_after_a_cell_interrupted_outside_its_code(shell, chain):
    # IPython reports such a cell to post_run_cell with a new ExecutionInfo; the
    # cell must still count as finished, or every later cell looks nested and
    # never syncs again.
    shell.ip.ast_transformers.append(_CtrlC())
    result = shell.run("x = 1")
    assert isinstance(result.error_in_exec, KeyboardInterrupt) and "x" not in shell.ns
    chain.write("n4base", "value = 4\n" + COUNT)
    assert shell.run("seen = doubled").success
    assert shell.ns["seen"] == 8 and runs() == ["n4base"]
