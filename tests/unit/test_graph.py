"""C2/C4: reload order and dependents closure (pure functions in _graph)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from liveimport._graph import dependents_closure, reload_order


def test_c2_order_puts_dependencies_first():
    deps = {"app": {"model", "util"}, "model": {"util"}, "util": set()}
    assert reload_order(set(deps), deps) == ["util", "model", "app"]


def test_c2_order_ignores_nodes_outside_the_set():
    deps = {"app": {"model", "outside"}, "model": set()}
    assert reload_order({"app", "model"}, deps) == ["model", "app"]


def test_c4_cycle_members_are_ordered_by_name_after_their_dependencies():
    deps = {"b": {"c", "base"}, "c": {"b"}, "a": {"c"}, "base": set(), "top": {"a"}}
    order = reload_order(set(deps), deps)
    assert order.index("base") < order.index("b") < order.index("c")
    assert order.index("c") < order.index("top")
    assert order == ["base", "a", "b", "c", "top"] or order.index("a") > order.index("c")


def test_c4_cycle_order_is_deterministic():
    deps = {"x": {"y"}, "y": {"z"}, "z": {"x"}}
    assert reload_order(set(deps), deps) == ["x", "y", "z"]


def test_c2_self_dependency_is_ignored():
    assert reload_order({"a"}, {"a": {"a"}}) == ["a"]


def test_c2_dependents_closure_is_transitive():
    dependents = {"util": {"model"}, "model": {"app"}, "app": set(), "other": set()}
    assert dependents_closure(["util"], dependents) == {"util", "model", "app"}
    assert dependents_closure([], dependents) == set()


def test_c2_long_chain_does_not_recurse():
    n = 5000
    deps = {f"m{i}": {f"m{i - 1}"} if i else set() for i in range(n)}
    order = reload_order(set(deps), deps)
    assert order[0] == "m0" and order[-1] == f"m{n - 1}"


graphs = st.dictionaries(
    st.sampled_from("abcdefgh"),
    st.sets(st.sampled_from("abcdefgh"), max_size=4),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_c4_order_respects_every_edge_outside_cycles(deps):
    nodes = set(deps)
    order = reload_order(nodes, deps)
    assert sorted(order) == sorted(nodes)
    position = {n: i for i, n in enumerate(order)}

    def reaches(src, dst):
        seen, stack = set(), [src]
        while stack:
            node = stack.pop()
            for nxt in deps.get(node, ()):
                if nxt in nodes and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return dst in seen

    for node in nodes:
        for dep in deps[node]:
            if dep in nodes and dep != node and not reaches(dep, node):
                assert position[dep] < position[node], (dep, node, order)
    assert reload_order(nodes, deps) == order
