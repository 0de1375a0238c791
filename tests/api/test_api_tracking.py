"""C4: which modules are tracked, dependencies, cycles and packages."""

from __future__ import annotations

import sys

import pytest

import liveimport
from helpers import modstatus, names, tracked


def test_c4_module_outside_workspace_is_not_tracked_indirectly(
    modules, outside_modules, ns, imp, log
):
    outside_modules.write("extmod", "V = 1\n" + log.line)
    modules.write("ta", "import extmod\nV = extmod.V\n" + log.line)
    imp("import ta")
    assert "extmod" not in modstatus()
    log.clear()
    outside_modules.write("extmod", "V = 2\n" + log.line)
    assert liveimport.sync() == []
    assert log.events == []


def test_c4_registered_module_outside_workspace_is_tracked(modules, outside_modules, ns, imp):
    outside_modules.write("extmod", "V = 1\n")
    imp("from extmod import V")
    assert modstatus()["extmod"].registered is True
    outside_modules.write("extmod", "V = 2\n")
    assert names(liveimport.sync()) == ["extmod"]
    assert ns["V"] == 2


def test_c4_empty_workspace_tracks_only_registered_modules(modules, ns, imp):
    modules.write("tb", "V = 1\n")
    modules.write("ta", "import tb\n")
    liveimport.workspace()
    imp("import ta")
    assert set(modstatus()) == {"ta"}
    modules.write("tb", "V = 2\n")
    assert liveimport.sync() == []


def test_c4_transitive_tracking_with_status_links(modules, ns, imp, log):
    modules.write("tc", "V = 1\n" + log.line)
    modules.write("tb", "import tc\n" + log.line)
    modules.write("ta", "from tb import tc\n" + log.line)
    imp("import ta")
    st = modstatus()
    assert {"ta", "tb", "tc"} <= set(st)
    assert st["ta"].registered and not st["tb"].registered and not st["tc"].registered
    assert st["tb"].imported_by == ("ta",)
    assert st["tc"].imported_by == ("tb",)
    assert "tb" in st["ta"].depends_on
    assert st["tb"].depends_on == ("tc",)
    assert st["tc"].depends_on == ()
    log.clear()
    modules.write("tc", "V = 2\n" + log.line)
    assert names(liveimport.sync()) == ["tc", "tb", "ta"]
    assert log.events == ["tc", "tb", "ta"]


@pytest.mark.parametrize("loaded_before", [False, True], ids=["C4-new", "C4-already-loaded"])
def test_c4_added_import_starts_tracking(scenario, ns, loaded_before):
    """C4: a module of the workspace that a tracked module starts importing
    (loaded for the first time by that edit, or loaded already by someone
    else) is tracked from the sync that sees the new import; its next edit
    reloads it and its new importer."""
    scenario.write({"tn": "V = 1\n", "ta": "W = 0\n"})
    if loaded_before:
        __import__("tn")
    scenario.imp("import ta")
    assert "tn" not in modstatus()
    assert names(scenario.sync({"ta": "import tn\nW = tn.V\n"})) == ["ta"]
    assert modstatus()["tn"].imported_by == ("ta",)
    events = scenario.sync({"tn": "V = 5\n"})
    assert [(e.module, e.reason) for e in events] == [("tn", "modified"), ("ta", "dependent")]
    assert scenario.log.events == ["tn", "ta"]
    assert ns["ta"].W == 5


def test_c4_removed_import_stops_reloading_on_that_account(scenario):
    """C4: a module tracked only because a tracked module imported it is no
    longer tracked once that import is gone, and its edits reload nothing."""
    scenario.start({"tn": "V = 1\n", "ta": "import tn\n"}, "import ta")
    assert tracked() == {"ta", "tn"}
    assert names(scenario.sync({"ta": "W = 0\n"})) == ["ta"]
    assert tracked() == {"ta"}
    assert modstatus()["ta"].depends_on == ()
    assert scenario.sync({"tn": "V = 2\n"}) == []
    assert scenario.log.events == []


def test_c4_removed_import_kept_when_still_imported_elsewhere(modules, ns, imp):
    modules.write("tn", "V = 1\n")
    modules.write("ta", "import tn\n")
    modules.write("tb", "import tn\n")
    imp("import ta\nimport tb")
    modules.write("ta", "W = 0\n")
    liveimport.sync()
    assert modstatus()["tn"].imported_by == ("tb",)
    modules.touch("tn")
    assert names(liveimport.sync()) == ["tn", "tb"]


def test_c4_three_module_cycle_respects_outside_dependencies(modules, ns, imp, log):
    modules.write("leaf", "L = 1\n" + log.line)
    modules.write("c1", "import c2\nimport leaf\n" + log.line)
    modules.write("c2", "import c3\n" + log.line)
    modules.write("c3", "import c1\n" + log.line)
    modules.write("top", "import c1\n" + log.line)
    imp("import top")
    assert {"leaf", "c1", "c2", "c3", "top"} <= set(modstatus())
    # C4 (r2): c3 -> c1 is the cycle edge and holds only the module: c2 and c3
    # do not depend on leaf, so they do not reload.
    for _ in range(3):
        log.clear()
        modules.touch("leaf")
        assert names(liveimport.sync()) == ["leaf", "c1", "top"]
        assert log.events == ["leaf", "c1", "top"]


def test_c4_import_of_dotted_module_tracks_its_workspace_parents(modules, ns, imp):
    """C4 (r2): ``import pa.pb.pc`` binds ``pa``, so the parent packages inside
    the workspace are tracked and an edit of ``pa`` reloads it."""
    modules.write("pa", "P = 1\n", package=True)
    modules.write("pa.pb", "", package=True)
    modules.write("pa.pb.pc", "V = 1\n")
    imp("import pa.pb.pc")
    st = modstatus()
    assert {"pa", "pa.pb", "pa.pb.pc"} <= set(st)
    modules.write("pa", "P = 2\n", package=True)
    assert names(liveimport.sync()) == ["pa"]
    assert ns["pa"].P == 2
    modules.write("pa.pb.pc", "V = 2\n")
    assert names(liveimport.sync()) == ["pa.pb.pc"]


def test_c4_from_package_import_submodule_depends_on_the_submodule_only(scenario):
    """C4 (r2): ``from pk import sub`` holds nothing of ``pk`` itself."""
    scenario.start(
        {"pk": "TOP = 1\n", "pk.sub": "V = 1\n", "user_mod": "from pk import sub\n"},
        "import user_mod",
        packages={"pk"},
    )
    assert modstatus()["user_mod"].depends_on == ("pk.sub",)
    assert names(scenario.sync({"pk.sub": "V = 2\n"})) == ["pk.sub", "user_mod"]
    assert scenario.log.events == ["pk.sub", "user_mod"]
    assert names(scenario.sync({"pk": "TOP = 2\n"}, packages={"pk"})) == ["pk"]
    assert scenario.log.events == ["pk"]


def test_c4_package_with_relative_imports(scenario, ns):
    """C4: ``from .core import`` and ``from .util import`` inside a package
    are dependencies: editing the innermost module reloads the chain."""
    fresh = scenario.start(
        {
            "rpk": "from .core import VALUE\n",
            "rpk.core": "from .util import f\nVALUE = f()\n",
            "rpk.util": "def f():\n    return 1\n",
        },
        "import rpk",
        packages={"rpk"},
    )
    assert fresh == ["rpk.util", "rpk.core", "rpk"]
    assert {"rpk", "rpk.core", "rpk.util"} <= tracked()
    assert "rpk.util" in modstatus()["rpk.core"].depends_on
    events = scenario.sync({"rpk.util": "def f():\n    return 2\n"})
    assert names(events) == ["rpk.util", "rpk.core", "rpk"] == scenario.log.events
    assert ns["rpk"].VALUE == 2


def test_c4_relative_import_from_dot_in_package(modules, ns, imp):
    modules.write("rpk", "from . import helper\n", package=True)
    modules.write("rpk.helper", "H = 1\n")
    imp("import rpk")
    assert "rpk.helper" in modstatus()
    modules.write("rpk.helper", "H = 2\n")
    assert names(liveimport.sync()) == ["rpk.helper", "rpk"]
    assert ns["rpk"].helper.H == 2


def test_c4_namespace_package(modules, ns, imp):
    modules.write("nspkg.mod", "V = 1\n")  # nspkg has no __init__.py
    imp("from nspkg import mod\nimport nspkg.mod as m2")
    assert "nspkg.mod" in modstatus()
    modules.write("nspkg.mod", "V = 2\n")
    assert names(liveimport.sync()) == ["nspkg.mod"]
    assert ns["mod"].V == 2
    assert ns["m2"] is sys.modules["nspkg.mod"]
    assert liveimport.sync() == []


def test_c4_package_init_edit_reloads_package(modules, ns, imp):
    modules.write("ipk", "V = 1\n", package=True)
    imp("from ipk import V")
    modules.write("ipk", "V = 2\n", package=True)
    assert names(liveimport.sync()) == ["ipk"]
    assert ns["V"] == 2


def test_c4_two_level_relative_import(modules, ns, imp):
    modules.write("deep", "", package=True)
    modules.write("deep.util", "def f():\n    return 1\n")
    modules.write("deep.sub", "", package=True)
    modules.write("deep.sub.mod", "from ..util import f\nV = f()\n")
    imp("from deep.sub.mod import V")
    assert "deep.util" in modstatus()["deep.sub.mod"].depends_on
    modules.write("deep.util", "def f():\n    return 2\n")
    assert names(liveimport.sync()) == ["deep.util", "deep.sub.mod"]
    assert ns["V"] == 2


def test_c4_from_import_cycle_between_modules(scenario):
    """C4: a cycle closed by ``from fc_a import A``: editing fc_a reloads both
    members, each once, and the new value is seen."""
    scenario.start(
        {"fc_a": "import fc_b\nA = 1\n", "fc_b": "from fc_a import A\nB = A + 1\n"},
        "from fc_b import B",
    )
    events = scenario.sync({"fc_a": "import fc_b\nA = 10\n"})
    assert sorted(names(events)) == ["fc_a", "fc_b"]
    assert scenario.log.events == names(events)
    assert sys.modules["fc_a"].A == 10


def test_c4_symlinked_sys_path_entry_is_inside_real_workspace(modules, tmp_path, ns, imp):
    link = tmp_path / "linked"
    link.symlink_to(modules.root, target_is_directory=True)
    modules.write("sl_b", "V = 1\n")
    modules.write("sl_a", "import sl_b\n")
    sys.path.insert(0, str(link))
    try:
        exec("import sl_a", ns)
        assert sys.modules["sl_a"].__file__.startswith(str(link))
        liveimport.register(ns, "import sl_a")
        assert "sl_b" in modstatus()
        path = modules.path("sl_b")  # written directly: the builder rejects foreign paths
        path.write_text("V = 2\n")
        modules.set_mtime(path)
        assert names(liveimport.sync()) == ["sl_b", "sl_a"]
    finally:
        sys.path.remove(str(link))
        for name in ("sl_a", "sl_b"):
            sys.modules.pop(name, None)


TOP_LEVEL_LAYOUTS = [
    "import tn\n",
    "x = 1; import tn\n",
    "from tn import (\n    V,  # comment with a quote '\n)\n",
    '"""Docstring.\n\nimport not_a_module\n"""\nimport tn\n',
    "import os, \\\n    tn\n",
    "x = 1; \\\nimport tn\n",
    "x = 1 \\\n; import tn\n",
    "\fimport tn\n",
    "if True: pass\nimport tn\n",
    "s = '''\nimport not_a_module\n'''\nimport tn\n",
    "# import not_a_module\nimport tn\n",
]
#: Imports nested in a statement, a string or a comment: not dependencies (C4).
NESTED_LAYOUTS = [
    "if True: import tn\n",
    "x = 1\nif x: pass; import tn\n",
    "s = '''\nimport tn\n'''\n",
    "def f():\n    import tn\n",
    "x = [\n1]\n# import tn\n",
    "import sys\nif sys:\n    import tn\ndef f():\n    import tn\n",
]


@pytest.mark.parametrize(
    ("layout", "depends"),
    [(layout, True) for layout in TOP_LEVEL_LAYOUTS]
    + [(layout, False) for layout in NESTED_LAYOUTS],
)
def test_c4_only_top_level_imports_are_dependencies(modules, ns, imp, layout, depends):
    """C4: a top-level import in any valid layout makes its module a tracked
    dependency that reloads the importer; an import nested in a statement,
    function, string or comment does not."""
    modules.write("tn", "V = 1\n")
    __import__("tn")
    modules.write("ta", layout)
    imp("import ta")
    assert ("tn" in modstatus()) is depends, repr(layout)
    assert "not_a_module" not in modstatus()
    modules.write("tn", "V = 2\n")
    assert names(liveimport.sync()) == (["tn", "ta"] if depends else [])


def test_c4_a_star_import_tracks_the_submodules_all_lists(modules, ns, imp):
    """C4: ``from p import *`` imports the submodules ``p.__all__`` names, so a
    module that star-imports tracks them and reloads after them, as a fresh
    import of the edited file gives; an ``__all__`` that is no list or tuple
    lists no submodule."""
    modules.write(
        "starp", "__all__ = ['sub', 'helper']\ndef helper():\n    return 0\n", package=True
    )
    modules.write("starp.sub", "def g():\n    return 1\n")
    modules.write("stark", "__all__ = 'k'\nk = 1\n")
    modules.write("staruser", "from starp import *\nfrom stark import *\nG = sub.g\n")
    imp("import staruser")
    assert {"starp", "starp.sub", "stark", "staruser"} <= set(modstatus())
    assert modstatus()["staruser"].depends_on == ("stark", "starp", "starp.sub")
    modules.write("starp.sub", "def g():\n    return 2\n")
    assert names(liveimport.sync()) == ["starp.sub", "staruser"]
    assert ns["staruser"].G() == 2 and ns["staruser"].sub is sys.modules["starp.sub"]
