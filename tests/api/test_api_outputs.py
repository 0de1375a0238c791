"""A4's analysis, without IPython: what a cell's source reads, which
registered modules that reaches, and which remembered runs a reload makes
stale (the engine's registrations and dependency model are the real ones)."""

from __future__ import annotations

import sys

from liveimport import _api
from liveimport._outputs import CellOutputs, reads, stale_output_notice


def test_a4_reads_are_loaded_names_and_attribute_chains():
    assert reads("x = a.b.c(d)\ndel e\nf = 1\nprint(g[0].h)") == {
        ("a",),
        ("a", "b"),
        ("a", "b", "c"),
        ("d",),
        ("print",),
        ("g",),
    }
    assert reads("def broken(:\n") == frozenset()


def test_a4_stale_runs_follow_dependencies(modules, ns, imp):
    modules.write("a4base", "X = 1\n")
    modules.write("a4user", "from a4base import X\n")
    modules.write("a4alone", "Y = 1\n")
    imp("import a4user\nimport a4alone as alone")
    outputs = CellOutputs(lambda raw: raw)
    outputs.ran("one", 1, "a4user.X", None)
    outputs.ran("two", 2, "alone.Y", None)
    outputs.ran("three", 3, "", "a4user")  # IPython's transformed source wins
    engine = _api.engine()
    assert outputs.stale(engine, ns, ["a4base"], running=None) == [1, 3]
    assert outputs.stale(engine, ns, ["a4base"], running="three") == [1]  # analysed once
    assert outputs.stale(engine, ns, ["a4alone"], running=None) == [2]
    assert outputs.stale(engine, ns, [], running=None) == []
    assert engine.affected_by(["a4base"]) == {"a4base", "a4user"}
    assert engine.affected_by(["a4user", "a4base"]) == {"a4base", "a4user"}
    assert outputs.stale(engine, {"__name__": "other"}, ["a4base"], running=None) == []
    assert CellOutputs(str).stale(engine, ns, ["a4base"], running=None) == []


def test_a4_a_cell_whose_source_cannot_be_transformed_used_nothing(modules, ns, imp):
    modules.write("a4t", "X = 1\n")
    imp("import a4t")

    def transform(raw: str) -> str:
        raise ValueError("cannot transform")

    outputs = CellOutputs(transform)
    outputs.ran("cell", 1, "a4t.X", None)
    assert outputs.stale(_api.engine(), ns, ["a4t"], running=None) == []


def test_a4_star_bindings_use_the_modules_current_names(modules, ns, imp):
    modules.write("a4s", "__all__ = ['one']\none = 1\n")
    imp("from a4s import *")
    engine = _api.engine()
    assert engine.bound_modules(ns) == {"one": ("a4s",)}
    sys.modules["a4s"].__all__ = 3  # unusable: binds nothing
    assert engine.bound_modules(ns) == {}
    module = sys.modules.pop("a4s")
    try:
        assert engine.bound_modules(ns) == {}
    finally:
        sys.modules["a4s"] = module
    assert engine.bound_modules({"__name__": "unregistered"}) == {}


def test_a4_notice_wording():
    assert stale_output_notice([]) is None
    assert stale_output_notice([3]) == "Output of [3] came from code that has since reloaded"
    assert stale_output_notice([7, 3]) == (
        "Outputs of [3] and [7] came from code that has since reloaded"
    )
    assert stale_output_notice([1, 2, 3]) == (
        "Outputs of [1], [2], and [3] came from code that has since reloaded"
    )
