"""A layered drawing of the dependency graph (N7): boxes and edge polylines, no SVG.

Sugiyama-style, small and deterministic: longest-path layers with the members
of an import cycle sharing one layer; a dummy slot in every layer a long edge
crosses, so it runs in a lane of its own instead of behind a box; barycentre
ordering to cut crossings; and coordinates that keep every box and slot apart.
By construction an edge never meets a box other than its two ends: between
layers it crosses only the empty channel, inside a layer only its own slot, and
an edge inside one layer (an import cycle) runs in a lane of the channel above
(pointing right) or below (pointing left) its layer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from ._graph import components

Point = tuple[float, float]
#: An item of a layer: a module's name, or a long edge's slot (edge index, layer).
_Key = str | tuple[int, int]

BOX_HEIGHT = 24.0
MARGIN = 10.0
_CHANNEL = 44.0  # the space between two layers, before any lanes
_LANE = 7.0  # one lane of an edge inside a layer
_BOX_GAP = 16.0
_SLOT_GAP = 8.0
_PORT_GAP = 6.0
_STUB = 5.0
_SWEEPS = 6


@dataclass(frozen=True)
class Box:
    """A module's box: top-left corner and size."""

    name: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target``; ``points`` run from source to target."""

    source: str
    target: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    layers: tuple[tuple[str, ...], ...]


def layers_of(
    nodes: AbstractSet[str], depends_on: Mapping[str, AbstractSet[str]]
) -> dict[str, int]:
    """Layer of each node: 0 for a node that depends on nothing in ``nodes``,
    otherwise one more than its deepest dependency. The members of a cycle
    share one layer, placed by the cycle's dependencies outside it."""
    layer: dict[str, int] = {}
    for component in components(nodes, depends_on):  # dependencies first
        members = set(component)
        outside = {d for n in component for d in depends_on.get(n, ()) if d in nodes} - members
        level = max((layer[d] + 1 for d in outside), default=0)
        layer.update(dict.fromkeys(component, level))
    return layer


def layout(widths: Mapping[str, float], depends_on: Mapping[str, AbstractSet[str]]) -> Layout:
    """Lay out the graph whose nodes are ``widths``' keys (box widths in pixels);
    ``depends_on[a]`` holds what ``a`` imports. Dependencies are drawn above."""
    nodes = set(widths)
    deps = {n: {d for d in depends_on.get(n, ()) if d in nodes and d != n} for n in nodes}
    layer = layers_of(nodes, deps)
    count = max(layer.values(), default=-1) + 1
    rows: list[list[_Key]] = [[] for _ in range(count)]
    for name in sorted(nodes):
        rows[layer[name]].append(name)
    edges = sorted((n, d) for n in nodes for d in deps[n])
    # up[k]: the items one layer above that k links to; down[k]: one layer below.
    up: dict[_Key, list[_Key]] = {}
    down: dict[_Key, list[_Key]] = {}
    chains: list[list[_Key]] = []
    for index, (source, target) in enumerate(edges):
        chain: list[_Key] = [source]
        for level in range(layer[source] - 1, layer[target], -1):
            slot = (index, level)
            rows[level].append(slot)
            chain.append(slot)
        chain.append(target)
        chains.append(chain)
        if layer[source] == layer[target]:
            continue
        for lower, upper in itertools.pairwise(chain):
            up.setdefault(lower, []).append(upper)
            down.setdefault(upper, []).append(lower)
    rows = _order(rows, up, down)
    # A box is wide enough for its text and for a port per edge on either side.
    ends = {n: len(deps[n]) for n in nodes}
    for _, target in edges:
        ends[target] += 1
    size: dict[_Key, float] = {key: 0.0 for row in rows for key in row}
    size.update({n: max(widths[n], (ends[n] + 1) * _PORT_GAP) for n in nodes})
    x = _coordinates(rows, size, up, down)
    return _route(rows, x, size, edges, chains, layer)


def _order(
    rows: list[list[_Key]], up: Mapping[_Key, list[_Key]], down: Mapping[_Key, list[_Key]]
) -> list[list[_Key]]:
    """Barycentre sweeps, down then up; the order with the fewest crossings wins."""
    best = [list(row) for row in rows]
    best_crossings = _crossings(best, down)
    current = [list(row) for row in rows]
    for _ in range(_SWEEPS):
        for index in range(1, len(current)):
            current[index] = _by_barycentre(current[index], current[index - 1], up)
        for index in range(len(current) - 2, -1, -1):
            current[index] = _by_barycentre(current[index], current[index + 1], down)
        crossings = _crossings(current, down)
        if crossings < best_crossings:
            best, best_crossings = [list(row) for row in current], crossings
    return best


def _by_barycentre(
    row: list[_Key], neighbour_row: list[_Key], links: Mapping[_Key, list[_Key]]
) -> list[_Key]:
    position = {key: float(i) for i, key in enumerate(neighbour_row)}

    def key(item: tuple[int, _Key]) -> tuple[float, int]:
        index, node = item
        linked = links.get(node, [])
        if not linked:
            return (float(index), index)
        return (sum(position[k] for k in linked) / len(linked), index)

    return [node for _, node in sorted(enumerate(row), key=key)]


def _crossings(rows: Sequence[Sequence[_Key]], down: Mapping[_Key, list[_Key]]) -> int:
    total = 0
    for upper, lower in itertools.pairwise(rows):
        position = {key: i for i, key in enumerate(lower)}
        links = [(i, position[k]) for i, key in enumerate(upper) for k in down.get(key, [])]
        for a, (u1, l1) in enumerate(links):
            for u2, l2 in links[a + 1 :]:
                if (u1 - u2) * (l1 - l2) < 0:
                    total += 1
    return total


def _coordinates(
    rows: Sequence[Sequence[_Key]],
    size: Mapping[_Key, float],
    up: Mapping[_Key, list[_Key]],
    down: Mapping[_Key, list[_Key]],
) -> dict[_Key, float]:
    """Centre x of every item: near the mean of its neighbours, never closer to
    the next item of its layer than the gap between them."""
    x: dict[_Key, float] = {}
    for row in rows:
        x.update(_spread(row, [0.0] * len(row), size))
    for sweep in range(2 * _SWEEPS):
        links = up if sweep % 2 == 0 else down
        for row in rows:
            wanted = []
            for key in row:
                linked = links.get(key, [])
                wanted.append(sum(x[k] for k in linked) / len(linked) if linked else x[key])
            x.update(_spread(row, wanted, size))
    left = min((x[key] - size[key] / 2 for row in rows for key in row), default=0.0)
    return {key: value - left + MARGIN for key, value in x.items()}


def _spread(
    row: Sequence[_Key], wanted: Sequence[float], size: Mapping[_Key, float]
) -> dict[_Key, float]:
    """Positions as close to ``wanted`` as the gaps allow, in ``row``'s order.

    A pass pushing right and one pushing left each keep every gap, so their
    average does too, and it does not drift to either side.
    """
    gaps = [_gap(a, b, size) for a, b in itertools.pairwise(row)]
    right = list(wanted)
    for i in range(1, len(row)):
        right[i] = max(right[i], right[i - 1] + gaps[i - 1])
    left = list(wanted)
    for i in range(len(row) - 2, -1, -1):
        left[i] = min(left[i], left[i + 1] - gaps[i])
    return {key: (right[i] + left[i]) / 2 for i, key in enumerate(row)}


def _gap(a: _Key, b: _Key, size: Mapping[_Key, float]) -> float:
    space = _BOX_GAP if isinstance(a, str) and isinstance(b, str) else _SLOT_GAP
    return (size[a] + size[b]) / 2 + space


def _route(
    rows: Sequence[Sequence[_Key]],
    x: Mapping[_Key, float],
    size: Mapping[_Key, float],
    edges: Sequence[tuple[str, str]],
    chains: Sequence[Sequence[_Key]],
    layer: Mapping[str, int],
) -> Layout:
    # Edges inside a layer: pointing right in a lane above it, left below it;
    # the shortest nearest to the boxes, so nested arcs do not cross.
    above: dict[int, list[int]] = {}
    below: dict[int, list[int]] = {}
    for index, (source, target) in enumerate(edges):
        if layer[source] == layer[target]:
            lanes = above if x[target] > x[source] else below
            lanes.setdefault(layer[source], []).append(index)
    for arcs in (*above.values(), *below.values()):
        arcs.sort(key=lambda i: (abs(x[edges[i][0]] - x[edges[i][1]]), i))
    top: list[float] = []
    y = MARGIN + _LANE * len(above.get(0, []))
    for level in range(len(rows)):
        top.append(y)
        y += (
            BOX_HEIGHT
            + _CHANNEL
            + _LANE * (len(below.get(level, [])) + len(above.get(level + 1, [])))
        )
    height = y - _CHANNEL + MARGIN if rows else 0.0

    def lane_y(index: int) -> float:
        level = layer[edges[index][0]]
        if index in above.get(level, []):
            return top[level] - _LANE * (above[level].index(index) + 1)
        return top[level] + BOX_HEIGHT + _LANE * (below[level].index(index) + 1)

    # Each edge leaves and enters a box at a port of its own, in the order of
    # where the edge goes next, so edges sharing a box do not overlap.
    ports: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    routes: list[list[Point]] = []
    for index, chain in enumerate(chains):
        source, target = edges[index]
        if layer[source] == layer[target]:
            side = "top" if lane_y(index) < top[layer[source]] else "bottom"
            ports.setdefault((source, side), []).append((x[target], index, 0))
            ports.setdefault((target, side), []).append((x[source], index, -1))
            y = lane_y(index)
            routes.append([(0.0, 0.0), (x[source], y), (x[target], y), (0.0, 0.0)])
            continue
        ports.setdefault((source, "top"), []).append((x[chain[1]], index, 0))
        ports.setdefault((target, "bottom"), []).append((x[chain[-2]], index, -1))
        points: list[Point] = [(0.0, 0.0)]
        for slot in chain[1:-1]:
            assert isinstance(slot, tuple)
            points += [(x[slot], top[slot[1]] + BOX_HEIGHT), (x[slot], top[slot[1]])]
        routes.append([*points, (0.0, 0.0)])
    for (name, side), users in ports.items():
        users.sort()
        left = x[name] - size[name] / 2
        edge_y = top[layer[name]] + (0.0 if side == "top" else BOX_HEIGHT)
        for rank, (_, index, end) in enumerate(users):
            port_x = left + size[name] * (rank + 1) / (len(users) + 1)
            route = routes[index]
            route[end] = (port_x, edge_y)
            if layer[edges[index][0]] == layer[edges[index][1]]:
                # The lane's ends sit straight above or below the ports.
                lane = 1 if end == 0 else -2
                route[lane] = (port_x, route[lane][1])
    for index, route in enumerate(routes):
        if layer[edges[index][0]] != layer[edges[index][1]]:
            routes[index] = _with_stubs(route)
    boxes = tuple(
        Box(name, x[name] - size[name] / 2, top[layer[name]], size[name], BOX_HEIGHT)
        for row in rows
        for name in row
        if isinstance(name, str)
    )
    width = max((x[key] + size[key] / 2 for row in rows for key in row), default=0.0) + MARGIN
    return Layout(
        width=float(math.ceil(width)),
        height=float(math.ceil(height)),
        boxes=tuple(sorted(boxes, key=lambda b: b.name)),
        edges=tuple(
            Edge(source, target, tuple(route))
            for (source, target), route in zip(edges, routes, strict=True)
        ),
        layers=tuple(tuple(k for k in row if isinstance(k, str)) for row in rows),
    )


def _with_stubs(points: Sequence[Point]) -> list[Point]:
    """An edge between layers, every hop across a channel leaving and entering
    vertically: a slanted line starting right at a layer's border would graze
    the corner of the next box in that layer."""
    result: list[Point] = []
    for (xa, ya), (xb, yb) in zip(points[::2], points[1::2], strict=True):
        if xa == xb:
            result += [(xa, ya), (xb, yb)]
        else:
            result += [(xa, ya), (xa, ya - _STUB), (xb, yb + _STUB), (xb, yb)]
    return result
