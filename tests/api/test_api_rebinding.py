"""C3: rebinding — exactly the names the registered statements bind, last binder wins."""

from __future__ import annotations

import sys

import pytest

import liveimport
from helpers import names


def test_c3_from_import_as_rebinds_alias_only(modules, ns, imp):
    modules.write("ma", "x = 1\ny = 'y1'\n")
    imp("from ma import x as y")
    ns["x"] = "user x"
    modules.write("ma", "x = 2\ny = 'y2'\n")
    liveimport.sync()
    assert ns["y"] == 2
    assert ns["x"] == "user x"


def test_c3_netplot_example_rebinds_exactly_the_imported_names(modules, ns, imp):
    src = """
        baseline_color = "{b}"
        learning_rate_color = "{l}"
        trace_mode = "{t}"
        def plot_training():
            return "{p}"
        """
    modules.write("netplot", src.format(b="blue", l="red", t="module", p="v1"))
    ns["trace_mode"] = "mine"
    imp("from netplot import baseline_color, learning_rate_color as lrc, plot_training")
    before = dict(ns)
    modules.write("netplot", src.format(b="navy", l="crimson", t="module2", p="v2"))
    assert names(liveimport.sync()) == ["netplot"]
    assert ns["baseline_color"] == "navy"
    assert ns["lrc"] == "crimson"
    assert ns["plot_training"]() == "v2"
    assert ns["trace_mode"] == "mine"
    assert "learning_rate_color" not in ns
    assert set(ns) == set(before)


def test_c3_import_dotted_binds_top_package(modules, ns, imp):
    modules.write("pa", "", package=True)
    modules.write("pa.pb", "", package=True)
    modules.write("pa.pb.pc", "V = 1\n")
    imp("import pa.pb.pc")
    assert liveimport.registered(ns) == ["import pa.pb.pc"]
    ns["pa"] = "user reassigned"
    ns["pb"] = "untouched"
    ns["pc"] = "untouched"
    modules.write("pa.pb.pc", "V = 2\n")
    assert names(liveimport.sync()) == ["pa.pb.pc"]
    assert ns["pa"] is sys.modules["pa"]
    assert ns["pa"].pb.pc.V == 2
    assert ns["pb"] == "untouched" and ns["pc"] == "untouched"


def test_c3_import_dotted_as_binds_submodule(modules, ns, imp):
    modules.write("pa", "", package=True)
    modules.write("pa.pb", "", package=True)
    modules.write("pa.pb.pc", "V = 1\n")
    imp("import pa.pb.pc as leaf")
    assert "pa" not in ns
    ns["leaf"] = None
    modules.write("pa.pb.pc", "V = 3\n")
    liveimport.sync()
    assert ns["leaf"] is sys.modules["pa.pb.pc"]
    assert ns["leaf"].V == 3
    assert "pa" not in ns


def test_c3_star_import_with_all(modules, ns, imp):
    modules.write("sm", "__all__ = ['a', '_b']\na = 1\n_b = 2\nc = 3\n")
    imp("from sm import *")
    assert ns["a"] == 1 and ns["_b"] == 2 and "c" not in ns
    ns["c"] = "user c"
    modules.write("sm", "__all__ = ['a', '_b', 'd']\na = 10\n_b = 20\nc = 30\nd = 40\n")
    liveimport.sync()
    assert (ns["a"], ns["_b"], ns["d"]) == (10, 20, 40)
    assert ns["c"] == "user c"


def test_c3_star_import_without_all_skips_underscore_names(modules, ns, imp):
    modules.write("sm", "a = 1\n_hidden = 2\n")
    imp("from sm import *")
    assert "_hidden" not in ns
    ns["_hidden"] = "user"
    modules.write("sm", "a = 10\n_hidden = 20\nnew_name = 30\n")
    liveimport.sync()
    assert ns["a"] == 10
    assert ns["new_name"] == 30
    assert ns["_hidden"] == "user"
    assert "__all__" not in ns and "__file__" not in ns


def test_c3_star_name_that_disappears_keeps_its_value(modules, ns, imp):
    modules.write("sm", "a = 1\ngone = 2\n")
    imp("from sm import *")
    # reload keeps old names, so the new version removes ``gone`` explicitly
    modules.write("sm", "a = 10\nglobals().pop('gone', None)\n")
    liveimport.sync()
    assert "gone" not in vars(sys.modules["sm"])
    assert ns["a"] == 10
    assert ns["gone"] == 2  # re-running the import would not delete it


#: C3 scenarios: the modules, the registered statements, names the user then
#: assigns, and steps: the files edited, the modules the sync reloads, and the
#: namespace values afterwards.
LAST_BINDER = {
    "later-star-wins": (
        {"highlight": "red = 'hl red 1'\nbold = 'hl bold 1'\n", "formatutil": "red = 'fu red 1'\n"},
        "from highlight import *\nfrom formatutil import *",
        {},
        [
            ({}, [], {"red": "fu red 1"}),
            (
                {"highlight": "red = 'hl red 2'\nbold = 'hl bold 2'\n"},
                ["highlight"],
                {"red": "fu red 1", "bold": "hl bold 2"},
            ),
            ({"formatutil": "red = 'fu red 2'\n"}, ["formatutil"], {"red": "fu red 2"}),
        ],
    ),
    "both-binders-reload": (
        {"highlight": "red = 'hl 1'\n", "formatutil": "red = 'fu 1'\n"},
        "from highlight import *\nfrom formatutil import *",
        {},
        [
            (
                {"highlight": "red = 'hl 2'\n", "formatutil": "red = 'fu 2'\n"},
                ["formatutil", "highlight"],
                {"red": "fu 2"},
            ),
        ],
    ),
    "user-value-kept-until-its-binder-reloads": (
        {"ma": "f = 'a1'\n", "mb": "g = 'b1'\n"},
        "from ma import f\nfrom mb import g",
        {"f": "user f"},
        [
            ({"mb": "g = 'b2'\n"}, ["mb"], {"f": "user f", "g": "b2"}),
            ({"ma": "f = 'a2'\n"}, ["ma"], {"f": "a2"}),
        ],
    ),
    "earlier-binder-overrides-neither-later-binder-nor-user": (
        {"ma": "x = 'a1'\n", "mb": "x = 'b1'\n"},
        "from ma import x\nfrom mb import x",
        {"x": "user"},
        [({"ma": "x = 'a2'\n"}, ["ma"], {"x": "user"})],
    ),
    "import-then-from-import-of-the-same-name": (
        {"ma": "V = 1\n", "mb": "ma = 'mb.ma 1'\n"},
        "import ma\nfrom mb import ma",
        {},
        [
            ({}, [], {"ma": "mb.ma 1"}),
            ({"ma": "V = 2\n"}, ["ma"], {"ma": "mb.ma 1"}),
            ({"mb": "ma = 'mb.ma 2'\n"}, ["mb"], {"ma": "mb.ma 2"}),
        ],
    ),
    "user-variable-never-touched": (
        {"symcode": "gamma = 1\nx = 1\n"},
        "import symcode\nfrom symcode import x",
        {"gamma": "mine"},
        [({"symcode": "gamma = 2\nx = 2\n"}, ["symcode"], {"gamma": "mine", "x": 2})],
    ),
}


@pytest.mark.parametrize("case", LAST_BINDER.values(), ids=list(LAST_BINDER))
def test_c3_each_name_is_set_by_its_last_binder_when_that_one_reloads(scenario, ns, case):
    """C3: a sync rebinds a name only when the module of the statement that
    bound it last reloads; other statements' modules and the user's own
    assignments never override it."""
    sources, statements, assigned, steps = case
    scenario.start(sources, statements)
    ns.update(assigned)
    for edits, reloaded, expected in steps:
        assert sorted(names(scenario.sync(edits))) == reloaded
        assert {key: ns[key] for key in expected} == expected


def test_c3_order_split_cells_and_rerunning_first_cell_moves_it_last(modules, ns, imp):
    modules.write("highlight", "red = 'hl 1'\n")
    modules.write("formatutil", "red = 'fu 1'\n")
    imp("from highlight import *")
    imp("from formatutil import *")
    modules.write("highlight", "red = 'hl 2'\n")
    liveimport.sync()
    assert ns["red"] == "fu 1"
    # re-run just the first cell
    imp("from highlight import *")
    assert ns["red"] == "hl 2"
    assert liveimport.registered(ns) == ["from formatutil import *", "from highlight import *"]
    modules.write("highlight", "red = 'hl 3'\n")
    liveimport.sync()
    assert ns["red"] == "hl 3"
    modules.write("formatutil", "red = 'fu 2'\n")
    liveimport.sync()
    assert ns["red"] == "hl 3"


def test_c3_unregistered_executed_imports_are_not_rebound(modules, ns, imp):
    modules.write("ma", "x = 1\ny = 1\n")
    exec("from ma import y", ns)  # executed but never registered
    imp("from ma import x")
    modules.write("ma", "x = 2\ny = 2\n")
    liveimport.sync()
    assert ns["x"] == 2
    assert ns["y"] == 1


def test_c3_module_binding_reset_after_user_reassignment(modules, ns, imp):
    modules.write("ma", "V = 1\n")
    imp("import ma as alias")
    ns["alias"] = 42
    modules.write("ma", "V = 2\n")
    liveimport.sync()
    assert ns["alias"] is sys.modules["ma"]
    assert ns["alias"].V == 2


def test_c3_from_package_import_submodule_tracks_submodule(modules, ns, imp, log):
    modules.write("pk", "TOP = 1\n", package=True)
    modules.write("pk.sub", "V = 1\n" + log.line)
    imp("from pk import sub")
    assert "pk.sub" in {m.name for m in liveimport.status().modules}
    ns["sub"] = "user"
    log.clear()
    modules.write("pk.sub", "V = 2\n" + log.line)
    assert names(liveimport.sync()) == ["pk.sub"]
    assert log.events == ["pk.sub"]
    assert ns["sub"] is sys.modules["pk.sub"]
    assert ns["sub"].V == 2


def test_c3_dependent_reload_rebinds_new_objects(modules, ns, imp):
    modules.write("base", "K = 1\n")
    modules.write("user_mod", "from base import K\ndef run():\n    return K\n")
    imp("from user_mod import run")
    old_run = ns["run"]
    modules.write("base", "K = 2\n")
    assert names(liveimport.sync()) == ["base", "user_mod"]
    assert ns["run"] is not old_run
    assert ns["run"] is sys.modules["user_mod"].run
    assert ns["run"]() == 2


def test_c3_every_namespace_with_a_registration_is_rebound(modules, imp):
    modules.write("ma", "x = 1\n")
    one = {"__name__": "one"}
    two = {"__name__": "two"}
    three = {"__name__": "three", "x": "not registered here"}
    imp("from ma import x", one)
    imp("from ma import x as y", two)
    modules.write("ma", "x = 2\n")
    liveimport.sync()
    assert one["x"] == 2
    assert two["y"] == 2
    assert three["x"] == "not registered here"


def test_c3_nothing_else_in_namespace_changes(modules, ns, imp):
    modules.write("ma", "a = 1\nb = 2\n")
    imp("from ma import a")
    ns["b"] = "user b"
    ns["other"] = object()
    before = dict(ns)
    modules.write("ma", "a = 10\nb = 20\nc = 30\n")
    liveimport.sync()
    assert set(ns) == set(before)
    assert all(ns[k] is before[k] for k in before if k != "a")
    assert ns["a"] == 10


def test_c3_deleted_name_is_recreated_only_when_its_binder_reloads(modules, ns, imp):
    modules.write("ma", "x = 1\n")
    modules.write("mb", "y = 1\n")
    imp("from ma import x\nfrom mb import y")
    del ns["x"]
    del ns["y"]
    modules.write("ma", "x = 2\n")
    liveimport.sync()
    assert ns["x"] == 2  # as executing the statement again would
    assert "y" not in ns
