"""Pure graph functions: dependents closure and deterministic reload order.

Graphs map a node to the nodes it depends on. Nothing here keeps state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet


def dependents_closure(
    seeds: Iterable[str], dependents: Mapping[str, AbstractSet[str]]
) -> set[str]:
    """``seeds`` plus everything that depends on them, directly or transitively."""
    result = set(seeds)
    stack = list(result)
    while stack:
        for dependent in dependents.get(stack.pop(), ()):
            if dependent not in result:
                result.add(dependent)
                stack.append(dependent)
    return result


def reload_order(
    nodes: AbstractSet[str],
    depends_on: Mapping[str, AbstractSet[str]],
    first: AbstractSet[str] = frozenset(),
) -> list[str]:
    """``nodes`` ordered so each comes after every node it depends on.

    Dependencies on nodes outside ``nodes`` are ignored. Cycles are collapsed
    (strongly connected components) and, within a cycle, members in ``first``
    (the modules whose files changed) come first, then the rest, each group by
    name: the order is deterministic, respects every dependency that is not
    part of a cycle, and unchanged cycle members see the new code.
    """
    order: list[str] = []
    for component in components(nodes, depends_on):
        if len(component) > 1 and first:
            component.sort(key=lambda node: (node not in first, node))
        order.extend(component)
    return order


def components(
    nodes: AbstractSet[str], depends_on: Mapping[str, AbstractSet[str]]
) -> list[list[str]]:
    """Strongly connected components of the graph on ``nodes`` (Tarjan),
    dependencies first, each component sorted by name."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def successors(node: str) -> list[str]:
        return sorted(dep for dep in depends_on.get(node, ()) if dep in nodes and dep != node)

    for root in sorted(nodes):
        if root in index:
            continue
        # Iterative Tarjan: a work stack of (node, remaining successors).
        work: list[tuple[str, Iterator[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(successors(root))))
        while work:
            node, pending = work[-1]
            succ = next(pending, None)
            if succ is not None:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(successors(succ))))
                elif succ in on_stack:
                    low[node] = min(low[node], index[succ])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found
