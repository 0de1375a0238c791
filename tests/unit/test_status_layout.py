"""N7 picture geometry: the layered layout, read back from the SVG it renders.

No edge may pass behind a box it does not connect; long edges run through
lanes of their own; import cycles are drawn; the layout is deterministic.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import svg_geometry
from helpers.svg_geometry import WORKSPACE_15
from liveimport._layout import layers_of, layout
from liveimport._status import ModuleStatus, Status
from liveimport._status_html import render_svg


def status_of(deps: dict[str, list[str]], states: tuple[str, ...] = ("current",)) -> Status:
    imported_by = {n: tuple(sorted(k for k, v in deps.items() if n in v)) for n in deps}
    mods = tuple(
        ModuleStatus(
            name,
            f"/w/{name.replace('.', '/')}.py",
            not imported_by[name],
            imported_by[name],
            tuple(sorted(deps[name])),
            states[index % len(states)],  # type: ignore[arg-type]
        )
        for index, name in enumerate(sorted(deps))
    )
    return Status(mods, ("/w",), ())


def picture(deps: dict[str, list[str]]) -> svg_geometry.Picture:
    return svg_geometry.parse(render_svg(status_of(deps)))


def test_n7_no_edge_passes_behind_a_box_in_a_15_module_workspace():
    drawn = picture(WORKSPACE_15)
    assert sorted(drawn.boxes) == sorted(WORKSPACE_15)
    assert len(drawn.edges) == sum(len(v) for v in WORKSPACE_15.values())
    assert svg_geometry.problems(drawn) == []


def test_n7_every_import_is_one_edge_from_importer_to_imported():
    drawn = picture(WORKSPACE_15)
    edges = sorted((source, target) for source, target, _ in drawn.edges)
    assert edges == sorted((n, d) for n, deps in WORKSPACE_15.items() for d in deps)


def test_n7_dependencies_sit_above_the_modules_that_import_them():
    drawn = picture({"app": ["mid"], "mid": ["low"], "low": []})
    top = {name: rect.top for name, rect in drawn.boxes.items()}
    assert top["low"] < top["mid"] < top["app"]


def test_n7_a_long_edge_runs_beside_the_boxes_of_the_layers_it_crosses():
    # app -> base skips the layer of mid, whose box sits where a straight line would go.
    drawn = picture({"app": ["mid", "base"], "mid": ["base"], "base": []})
    (long_edge,) = [points for s, t, points in drawn.edges if (s, t) == ("app", "base")]
    mid = drawn.boxes["mid"]
    # It crosses mid's layer straight up, in a slot of its own beside mid's box.
    crossing = [
        (a, b)
        for a, b in itertools.pairwise(long_edge)
        if {a[1], b[1]} == {mid.top, mid.bottom} and a[0] == b[0]
    ]
    assert len(crossing) == 1
    slot_x = crossing[0][0][0]
    assert slot_x < mid.left - 4 or slot_x > mid.right + 4
    assert svg_geometry.problems(drawn) == []


def test_n7_an_import_cycle_shares_a_layer_and_both_directions_are_drawn():
    deps = {"base": [], "c1": ["c2"], "c2": ["c3"], "c3": ["base", "c1"]}
    layers = layers_of(set(deps), {k: set(v) for k, v in deps.items()})
    assert layers == {"base": 0, "c1": 1, "c2": 1, "c3": 1}
    drawn = picture(deps)
    assert {(s, t) for s, t, _ in drawn.edges} == {
        ("c1", "c2"),
        ("c2", "c3"),
        ("c3", "c1"),
        ("c3", "base"),
    }
    assert svg_geometry.problems(drawn) == []
    two = picture({"a": ["b"], "b": ["a"]})
    lanes = {(s, t): points[1][1] for s, t, points in two.edges}
    box_top = two.boxes["a"].top
    # One direction runs above the boxes, the other below, so both stay visible.
    assert (lanes[("a", "b")] < box_top) != (lanes[("b", "a")] < box_top)
    assert svg_geometry.problems(two) == []


def test_n7_layout_is_deterministic_whatever_the_input_order():
    shuffled = dict(sorted(WORKSPACE_15.items(), reverse=True))
    assert render_svg(status_of(WORKSPACE_15)) == render_svg(status_of(shuffled))
    widths = {n: 50.0 for n in WORKSPACE_15}
    deps = {n: set(v) for n, v in WORKSPACE_15.items()}
    assert layout(widths, deps) == layout(dict(reversed(widths.items())), deps)


def test_n7_self_imports_and_modules_outside_the_snapshot_draw_no_edge():
    drawn = picture({"app": ["app", "gone", "lib"], "lib": []})
    assert [(s, t) for s, t, _ in drawn.edges] == [("app", "lib")]


def test_n7_a_box_is_wide_enough_for_a_port_per_edge():
    hub = {"hub": [], **{f"m{i}": ["hub"] for i in range(12)}}
    drawn = picture(hub)
    ports = sorted(points[-1][0] for _, t, points in drawn.edges if t == "hub")
    assert len(set(ports)) == 12 and min(b - a for a, b in itertools.pairwise(ports)) >= 5.9
    assert svg_geometry.problems(drawn) == []


def test_n7_empty_graph_lays_out_as_nothing():
    empty = layout({}, {})
    assert empty.boxes == () and empty.edges == () and empty.height == 0.0
    assert render_svg(Status((), ("/w",), ())) == ""


names = st.sampled_from([f"m{i}" for i in range(14)] + ["a_long_module_name", "pkg.sub.leaf"])


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    nodes = draw(st.lists(names, min_size=1, max_size=16, unique=True))
    edges = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=40))
    deps: dict[str, list[str]] = {n: [] for n in nodes}
    for source, target in edges:
        if target not in deps[source]:
            deps[source].append(target)
    return deps


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_n7_generated_graphs_never_draw_an_edge_behind_a_box(deps):
    drawn = picture(deps)
    assert svg_geometry.problems(drawn) == []
    expected = {(n, d) for n, targets in deps.items() for d in targets if d != n}
    assert {(s, t) for s, t, _ in drawn.edges} == expected


@pytest.mark.parametrize("seed", range(5))
def test_n7_large_random_dags_never_draw_an_edge_behind_a_box(seed):
    rng = random.Random(seed)
    nodes = [f"module_{i:02d}" for i in range(40)]
    deps = {n: rng.sample(nodes[:i], k=min(i, rng.randint(0, 4))) for i, n in enumerate(nodes)}
    assert svg_geometry.problems(picture(deps)) == []
