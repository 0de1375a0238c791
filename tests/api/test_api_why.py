"""A5: ``status().explain(name)`` says in plain words why a module is or is not
tracked and why it did or did not reload in the last sync that found changes;
``status().untracked_imports`` lists the user's modules that tracked modules
import from outside the workspace."""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import liveimport
from liveimport import ModuleError
from liveimport._status import ModuleStatus, Status
from liveimport._why import NO_FACTS, SyncOutcome


def explain(name: str) -> str:
    return liveimport.status().explain(name)


def test_a5_registered_module_names_its_statement_and_its_last_reload(modules, ns, imp):
    modules.write("wa", "X = 1\n")
    imp("import wa as alias")
    text = explain("wa")
    assert text.splitlines() == [
        "wa is tracked: it is registered by `import wa as alias` (in notebook).",
        f"File: {modules.path('wa')} (unchanged since it was last loaded).",
        "No sync has found a changed file yet.",
    ]
    modules.write("wa", "X = 2\n")
    assert "(changed since it was last loaded, so the next sync reloads it)" in explain("wa")
    liveimport.sync()
    last = explain("wa").splitlines()[-1]
    assert last.startswith("The last sync that found changes (")
    assert ": Reloaded wa modified " in last and last.endswith(" ago.")


def test_a5_many_statements_are_summarised(modules, ns, imp):
    modules.write("wmany", "x = y = 1\n")
    imp("import wmany\nimport wmany as m2\nfrom wmany import x\nfrom wmany import y")
    first = explain("wmany").splitlines()[0]
    assert first == (
        "wmany is tracked: it is registered by `import wmany` (in notebook), "
        "`import wmany as m2` (in notebook), `from wmany import x` (in notebook), and 1 more."
    )


def test_a5_indirect_module_names_its_importer_and_why_it_did_not_reload(modules, ns, imp):
    modules.write("wleaf", "V = 1\n")
    modules.write("wother", "W = 1\n")
    modules.write("wtop", "import wleaf\nimport wother\n")
    modules.write("wside", "import wleaf\n")
    imp("import wtop, wside")
    text = explain("wleaf")
    assert text.splitlines()[0] == (
        f"wleaf is tracked: wside and wtop import it at top level and its file is in "
        f"the workspace ({modules.root})."
    )
    assert "It depends on" not in text
    assert explain("wtop").splitlines()[2] == (
        "It depends on wleaf and wother: when one of them reloads, it reloads too."
    )
    modules.write("wleaf", "V = 2\n")
    liveimport.sync()
    assert explain("wtop").splitlines()[-1].endswith(": Reloaded wtop because wleaf reloaded.")
    last = explain("wother").splitlines()[-1]
    assert last.startswith("The last sync that found changes (")
    assert last.endswith(
        " not wother: its file had not changed and no module it depends on reloaded."
    )
    assert " reloaded wleaf, wtop, and wside, not" in last  # in reload order


def test_a5_registered_and_imported_module_says_both(modules, ns, imp):
    modules.write("wboth", "V = 1\n")
    modules.write("wuser", "import wboth\n")
    imp("import wuser\nfrom wboth import V")
    assert explain("wboth").splitlines()[0] == (
        "wboth is tracked: it is registered by `from wboth import V` (in notebook); "
        "wuser imports it too."
    )
    assert explain("wuser").splitlines()[2] == (
        "It depends on wboth: when that reloads, it reloads too."
    )


@pytest.fixture
def src_layout(tmp_path: Path) -> Iterator[Path]:
    """A project with its code in ``src/mylib`` beside ``notebooks/``, where the
    notebook runs (the working directory and the workspace)."""
    project = tmp_path / "proj"
    files = {
        "src/mylib/__init__.py": "from .core import answer\n",
        "src/mylib/core.py": "def answer():\n    return 1\n",
        "notebooks/analysis.py": "import mylib.core\nimport json\n",
    }
    for index, (relative, source) in enumerate(files.items()):
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        stamp = 1_700_000_000 * 10**9 + index * 10**9
        os.utime(path, ns=(stamp, stamp))
    notebooks = project / "notebooks"
    old_cwd = os.getcwd()
    paths = [str(notebooks), str(project / "src")]
    sys.path[:0] = paths
    importlib.invalidate_caches()
    os.chdir(notebooks)
    liveimport.workspace(".")
    try:
        yield project
    finally:
        os.chdir(old_cwd)
        for path in paths:
            sys.path.remove(path)
        for name in ("analysis", "mylib", "mylib.core"):
            sys.modules.pop(name, None)


def test_a5_src_layout_outside_the_workspace_is_listed_and_explained(src_layout, ns, imp):
    imp("import analysis")
    status = liveimport.status()
    assert [m.name for m in status.modules] == ["analysis"]
    # json (the standard library's) is not listed; whether ``import mylib.core``
    # counts as importing mylib too is C4's business.
    assert status.untracked_imports in (("mylib.core",), ("mylib", "mylib.core"))
    core = src_layout / "src" / "mylib" / "core.py"
    notebooks = src_layout / "notebooks"
    assert status.explain("mylib.core").splitlines() == [
        f"mylib.core is not tracked: its file {core} is outside the workspace ({notebooks}).",
        (
            "analysis imports it, but LiveImport follows imports only into the workspace, so "
            "edits to mylib.core do not reload."
        ),
        'To track it: liveimport.workspace("../src", extend=True)',
        "It did not reload in the last sync: it is not tracked, so no sync reloads it.",
    ]
    text = str(status)
    assert (
        "Imported by tracked modules but outside the workspace (edits there do not reload):\n"
        in text
    )
    assert f"    mylib.core  {core}  (imported by analysis)\n" in text
    assert '\n  To track them: liveimport.workspace("../src", extend=True)\n' in text
    # The call it suggests does what it says.
    liveimport.workspace("../src", extend=True)
    status = liveimport.status()
    assert status.untracked_imports == ()
    assert {"analysis", "mylib.core"} <= {m.name for m in status.modules}
    assert "Imported by tracked modules but outside" not in str(status)


def test_a5_far_away_directories_are_suggested_as_absolute_paths(src_layout, ns, imp):
    imp("import analysis")
    deep = src_layout / "deep" / "down" / "here"
    deep.mkdir(parents=True)
    os.chdir(deep)
    status = liveimport.status()
    assert f'liveimport.workspace("{src_layout / "src"}", extend=True)' in status.explain("mylib")


def test_a5_not_loaded_module(modules, ns, imp):
    assert explain("wnever_imported").splitlines() == [
        (
            "wnever_imported is not tracked: it is not loaded (not in sys.modules), so nothing "
            "has imported it in this process."
        ),
        (
            "Import it, then register the import (in a %%liveimport cell, or with "
            'liveimport.register(globals(), "import wnever_imported")).'
        ),
        "It did not reload in the last sync: it is not tracked, so no sync reloads it.",
    ]


def test_a5_modules_without_source(modules, ns, imp):
    imp("import math")  # an extension or built-in module: tracked, never reloads
    assert explain("math").splitlines()[:2] == [
        "math is tracked: it is registered by `import math` (in notebook).",
        (
            "It has no Python source file (a built-in, extension or frozen module), so it "
            "never reloads."
        ),
    ]
    assert explain("sys").startswith(
        "sys is not tracked: it is loaded but has no Python source file (a built-in, "
        "extension or frozen module, or a namespace package), so there is nothing to reload."
    )


def test_a5_standard_library_and_installed_packages(modules, ns, imp):
    modules.write("wlibs", "import json\nimport pytest\n")
    imp("import wlibs")
    status = liveimport.status()
    assert status.untracked_imports == ()
    assert status.explain("json").startswith(
        "json is not tracked: it is part of the standard library ("
    )
    installed = status.explain("pytest").splitlines()
    assert installed[0].startswith("pytest is not tracked: it belongs to an installed package (")
    assert installed[1] == (
        "wlibs imports it, but LiveImport does not follow imports into installed packages; "
        'register it (liveimport.register(globals(), "import pytest")) to track it anyway.'
    )


def test_a5_workspace_module_nobody_imports(modules, ns, imp):
    modules.write("wloose", "X = 1\n")
    importlib.import_module("wloose")
    assert explain("wloose").splitlines()[:2] == [
        (
            f"wloose is not tracked: its file {modules.path('wloose')} is in the workspace, but "
            "no tracked module imports it at top level and no registered statement names it."
        ),
        "Register an import of it to track it (e.g. `import wloose` in a %%liveimport cell).",
    ]


def test_a5_outside_module_nobody_imports_with_an_empty_workspace(outside_modules, ns, imp):
    outside_modules.write("wfar", "X = 1\n")
    importlib.import_module("wfar")
    liveimport.workspace()
    lines = explain("wfar").splitlines()
    assert lines[0].endswith("is outside the workspace (empty).")
    assert lines[1].startswith("No tracked module imports it, and LiveImport follows imports")


def test_a5_failed_and_interrupted_syncs(modules, ns, imp):
    modules.write("wbase", "X = 1\n")
    modules.write("wdep", "from wbase import X\n")
    imp("import wdep")
    modules.write("wbase", "X = 1 / 0\n")
    with pytest.raises(ModuleError):
        liveimport.sync()
    last = explain("wbase").splitlines()[-1]
    assert "failed in wbase itself: wbase raised an exception while reloading" in last
    assert last.endswith("Nothing was reloaded; the next sync retries.")
    assert (
        explain("wdep")
        .splitlines()[-1]
        .endswith(
            "failed in wbase (raised an exception while reloading), so nothing was reloaded, "
            "wdep included; the next sync retries."
        )
    )
    assert (
        explain("wbase")
        .splitlines()[1]
        .endswith("(it failed in the last sync; the next sync retries it).")
    )
    modules.write("wbase", "raise KeyboardInterrupt\n")
    with pytest.raises(KeyboardInterrupt):
        liveimport.sync()
    assert (
        explain("wdep")
        .splitlines()[-1]
        .endswith(" was interrupted, so nothing was reloaded; the next sync retries.")
    )
    modules.write("wbase", "X = 3\n")
    liveimport.sync()
    liveimport.reset()
    assert (
        liveimport.status().explain("wbase").endswith("it is not tracked, so no sync reloads it.")
    )


def test_a5_missing_file_and_a_sync_that_reloaded_nothing(modules):
    status = Status(
        (ModuleStatus("gone", "/w/gone.py", True, (), (), "missing"),),
        ("/w",),
        (),
        _facts=dataclasses.replace(
            NO_FACTS, last_sync=SyncOutcome((), None, False, time.time() - 120)
        ),
    )
    assert status.explain("gone").splitlines() == [
        "gone is tracked: it is registered by a registered statement.",
        "File: /w/gone.py (missing; syncs skip it until the file is back).",
        "The last sync that found changes (2 minutes ago) reloaded nothing.",
    ]


def test_a5_a_status_built_by_hand_explains_what_it_has():
    status = Status((), (), ())
    assert status.untracked_imports == ()
    assert "No tracked modules." in str(status)
    assert status.explain("  json  ").startswith("json is not tracked")


def test_a5_explain_rejects_what_is_not_a_module_name():
    status = liveimport.status()
    with pytest.raises(TypeError, match="name must be a module name string, not int"):
        status.explain(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"name a module, e.g. status\(\).explain\('mymodule'\)"):
        status.explain(" ")
