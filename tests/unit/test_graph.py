"""C4 (r2): the replay of a fresh run, its cycle edges, finish order, reload
sets and re-execution plans, on import structures given as data."""

from __future__ import annotations

import pytest

from liveimport._graph import ImportModel, components
from liveimport._imports import Step


def _model(roots, imports, subs=()):
    steps = {
        name: tuple(Step(*s) if isinstance(s, tuple) else Step(s) for s in targets)
        for name, targets in imports.items()
    }
    return ImportModel(roots, steps, lambda package, name: f"{package}.{name}" in subs)


SEVEN = {
    "A": ["C"],
    "C": ["E", "F"],
    "E": ["A"],
    "B": ["C", "D", "G"],
    "D": ["F"],
    "F": [],
    "G": [],
}


def _reloads(model, changed):
    return model.plan(model.reload_set(changed))


def test_c4_seven_module_cycle_registered_in_full():
    model = _model("ABCDEFG", SEVEN)
    assert model.finish == list("EFCADGB")
    cycle = {(e.importer, e.imported) for e in model.edges if e.cycle}
    assert cycle == {("E", "A")}
    assert model.reload_set(["A"]) == {"A"}
    # A enters the cycle and C nests in it; then the fallback, in finish order.
    assert _reloads(model, ["C"]) == ["A", "B", "C", "A", "B"]
    assert model.reload_set(["F"]) == set("FCADB")


def test_c4_seven_module_cycle_registered_through_b_only():
    model = _model(["B"], SEVEN)
    assert {(e.importer, e.imported) for e in model.edges if e.cycle} == {("A", "C")}
    assert model.reload_set(["A"]) == set("AECB")
    assert model.entry["A"] == "C"


def test_c4_package_parent_is_imported_first_and_from_submodule_depends_on_it_only():
    imports = {
        "pkg": [("pkg.core", ("Thing", "make"))],
        "pkg.core": [("pkg", ("util",))],
        "pkg.util": [],
    }
    model = _model(["pkg"], imports, subs={"pkg.util"})
    assert model.finish == ["pkg.util", "pkg.core", "pkg"]
    assert model.depends_on["pkg.core"] == ["pkg.util"]  # not pkg: it holds nothing of it
    # The package is entered; what it imports while it runs nests in it.
    assert _reloads(model, ["pkg.util"]) == ["pkg", "pkg.util", "pkg.core", "pkg"]
    assert model.reload_set(["pkg.util"]) == {"pkg", "pkg.core", "pkg.util"}


@pytest.mark.parametrize("root", ["pkg", "pkg.core"])
def test_c4_a_registered_submodule_starts_only_after_its_package_ran(root):
    """C4 example 2 under ``from pkg.core import Thing`` too: Python imports
    the package before it starts the submodule, so the package's import of
    it is no cycle edge and the finish order is util, core, pkg."""
    imports = {
        "pkg": [("pkg.core", ("Thing", "make"))],
        "pkg.core": [("pkg", ("util",))],
        "pkg.util": [],
    }
    model = _model([root], imports, subs={"pkg.util"})
    assert model.finish == ["pkg.util", "pkg.core", "pkg"]
    assert not any(edge.cycle for edge in model.edges)
    modules_only = _model(["p.sub"], {"p": [("p", ("sub",))], "p.sub": []}, subs={"p.sub"})
    assert modules_only.reload_set(["p.sub"]) == {"p", "p.sub"}


def test_c4_names_through_a_cycle_edge_propagate_module_objects_do_not():
    names = _model(["pkg"], {"pkg": [("pkg.core", ("show",))], "pkg.core": [("pkg", ("VERSION",))]})
    assert names.reload_set(["pkg"]) == {"pkg", "pkg.core"}
    modules_only = _model(["a"], {"a": ["b"], "b": ["a"]})
    assert modules_only.reload_set(["a"]) == {"a"}
    assert modules_only.reload_set(["b"]) == {"a", "b"}


def test_c4_import_of_dotted_name_depends_on_every_part():
    model = _model(["x"], {"x": ["a.b.c"], "a": [], "a.b": [], "a.b.c": []})
    assert model.depends_on["x"] == ["a", "a.b", "a.b.c"]
    assert model.finish == ["a", "a.b", "a.b.c", "x"]


def test_c4_unregistered_tracked_modules_are_replayed_by_name_and_untracked_ignored():
    model = _model([], {"z": ["os"], "y": ["z"]})
    assert model.finish == ["y", "z"][::-1] or model.finish == ["z", "y"]
    assert model.depends_on == {"z": [], "y": ["z"]}


def test_c4_descends_from_names_the_changed_modules():
    model = _model("ABCDEFG", SEVEN)
    assert model.descends_from("B", {"F"}) == ["F"]
    assert model.descends_from("B", {"F", "G"}) == ["F", "G"]


def test_c4_a_deep_chain_needs_no_deep_stack():
    n = 5000
    imports = {f"m{i}": [f"m{i + 1}"] for i in range(n)}
    imports[f"m{n}"] = []
    model = _model(["m0"], imports)
    assert model.finish[0] == f"m{n}" and model.finish[-1] == "m0"
    assert len(model.reload_set([f"m{n}"])) == n + 1


@pytest.mark.parametrize("graph", [{"a": {"b"}, "b": {"a"}, "c": {"a"}}, {"x": {"x"}}])
def test_c4_components_group_cycles_dependencies_first(graph):
    parts = components(graph, graph)
    assert sum(len(p) for p in parts) == len(graph)
    assert parts[0] == sorted(parts[0])


def test_c4_an_edge_takes_names_if_any_statement_does_and_self_imports_are_no_edge():
    model = _model(["x"], {"x": ["y", ("y", ("f",)), "x"], "y": ["x"]})
    [edge] = [e for e in model.edges if (e.importer, e.imported) == ("x", "y")]
    assert edge.names and not edge.cycle
    assert model.depends_on["x"] == ["y"]


def test_c4_a_running_package_binds_its_submodule_even_if_it_rebinds_the_name_later():
    """C4 (r2): ``from . import sub`` in ``p/__init__.py`` (and ``from p import
    sub`` in a module that runs inside p's import) binds the submodule, so the
    importer depends on ``p.sub``, even when p's later code rebinds ``sub`` (the
    submodule test, which reads what p holds now, says no). Another module's
    import also depends on p through that cycle edge, taking names: p's code may
    have bound ``sub`` before it ran, and then it holds that. Once p has
    finished, ``from p import sub`` takes what p holds: a name of p."""
    imports = {
        "p": [("p", ("sub",)), ("p", ("core",))],
        "p.sub": [],
        "p.core": [("p", ("sub",))],
        "q": [("p", ("sub",))],
    }
    model = _model(["p", "q"], imports)
    assert model.depends_on["p"] == ["p.sub", "p.core"]
    assert model.depends_on["p.core"] == ["p", "p.sub"]
    assert model.depends_on["q"] == ["p"]
    assert model.reload_set(["p.sub"]) == {"p.sub", "p.core", "p", "q"}
    assert model.reload_set(["p"]) == {"p", "p.core", "q"}


def test_c4_imported_is_what_a_fresh_run_of_the_registered_imports_imports():
    """C4 (r2): a tracked module that no registered import reaches any more
    (its importer's new code dropped it) is replayed last, but a fresh run of
    the registered imports does not import it; nor an untracked module."""
    model = _model(["p"], {"p": ["p.core"], "p.core": [], "p.sub": []})
    assert model.finish == ["p.core", "p", "p.sub"]
    assert [model.imported(n) for n in ("p", "p.core", "p.sub", "other")] == [
        True,
        True,
        False,
        False,
    ]
