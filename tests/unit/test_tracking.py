"""``_tracking``: which modules are tracked and how a change is noticed (C2, C4), through real files."""

from __future__ import annotations

import os
import sys

import liveimport
from helpers import states
from liveimport._tracking import UNSEEN, Record


def test_c2_a_vanished_or_non_file_source_is_missing(modules):
    path = modules.write("obs_mod", "X = 1\n")
    import obs_mod

    record = Record("obs_mod", obs_mod)
    assert record.mtime_ns == os.stat(path).st_mtime_ns and not record.missing
    assert record.state() == "current"
    path.unlink()
    assert record.stamp() is None and record.missing and record.state() == "missing"
    record.mark_missing()
    assert record.mtime_ns == record.size == UNSEEN
    path.mkdir()  # the name now holds a directory: still no source file
    assert record.stamp() is None and record.missing


def test_c2_a_root_that_left_sys_modules_stays_tracked_and_is_skipped(modules, imp):
    """C2 (r2): no registration is lost when a module leaves sys.modules."""
    modules.write("gone_root", "X = 1\n")
    ns = {}
    imp("import gone_root", namespace=ns)
    del sys.modules["gone_root"]
    liveimport.workspace(modules.root)  # any retracking keeps it
    assert "gone_root" in states()
    modules.write("gone_root", "X = 2\n")
    assert liveimport.sync() == []  # skipped while out
    sys.modules["gone_root"] = ns["gone_root"]
    assert [e.module for e in liveimport.sync()] == ["gone_root"]
    assert ns["gone_root"].X == 2


def test_c4_missing_submodule_without_loaded_parent_stays_missing(modules, imp):
    modules.write("rel_pkg", "", package=True)
    modules.write("rel_pkg.leaf", "X = 1\n")
    ns = {}
    imp("import rel_pkg.leaf", namespace=ns)
    modules.path("rel_pkg.leaf").unlink()
    del sys.modules["rel_pkg"]  # the parent package is no longer loaded
    assert liveimport.sync() == []
    assert states()["rel_pkg.leaf"] == "missing"


def test_c4_a_deleted_file_is_not_replaced_by_a_namesake_elsewhere(modules, outside_modules, imp):
    """Only a move between ``m.py`` and ``m/__init__.py`` is followed: another
    ``m.py`` later on sys.path is a different module and must never run."""
    path = modules.write("shadowed", "WHO = 'mine'\n")
    outside_modules.write("shadowed", "WHO = 'elsewhere'\nraise SystemExit('must not run')\n")
    ns = {}
    imp("from shadowed import WHO", namespace=ns)
    path.unlink()
    assert liveimport.sync() == []
    assert ns["WHO"] == "mine"
    assert states()["shadowed"] == "missing"


def test_c2_a_sync_with_nothing_changed_is_one_stat_per_tracked_file(modules, monkeypatch, imp):
    """C2: a sync with nothing changed costs one stat per tracked file: no
    reads, no parsing, no compiling."""
    import ast as ast_module
    import builtins

    for i in range(12):
        modules.write(f"hot{i}", f"import hot{i - 1}\n" if i else "X = 1\n")
    ns = {}
    imp("import hot11", namespace=ns)
    assert len(liveimport.status().modules) == 12
    calls = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: calls.append(path) or real_stat(path))

    def forbidden(*args, **kwargs):
        raise AssertionError("the no-change path must not read or parse anything")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(ast_module, "parse", forbidden)
    monkeypatch.setattr(builtins, "compile", forbidden)
    events = liveimport.sync()
    monkeypatch.undo()  # so that a failure below can be reported
    assert events == []
    stated = sorted(os.fsdecode(path) for path in calls)
    assert stated == sorted(str(modules.path(f"hot{i}")) for i in range(12))
