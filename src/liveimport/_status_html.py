"""HTML rendering of ``Status`` for notebooks (A3): a table plus a dependency graph.

The graph is inline SVG: every notebook frontend renders it inside ``text/html``
with nothing installed, and the layered layout it needs is small enough that a
layout engine (and a dependency on one) would buy nothing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._graph import components
from ._status import why_tracked

if TYPE_CHECKING:
    from ._status import ModuleStatus, Status

STATE_COLOURS = {
    "current": ("#e6f4ea", "#2e7d32"),
    "modified": ("#fff4e0", "#b26a00"),
    "missing": ("#eeeeee", "#757575"),
    "failed": ("#fdecea", "#c62828"),
}

_CHAR_WIDTH = 7.2
_NODE_HEIGHT = 26
_LAYER_GAP = 56
_NODE_GAP = 18
_MARGIN = 12
_ARC = 24  # how far an arc between two boxes of one layer may bulge


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def depths(modules: Sequence[ModuleStatus]) -> dict[str, int]:
    """Layer of each module: 0 for modules that depend on no tracked module,
    otherwise one more than the deepest dependency. The members of an import
    cycle share one layer, placed by the cycle's dependencies outside it."""
    names = {m.name for m in modules}
    deps = {m.name: {d for d in m.depends_on if d in names and d != m.name} for m in modules}
    depth: dict[str, int] = {}
    for component in components(names, deps):  # dependencies first
        members = set(component)
        outside = {d for name in component for d in deps[name]} - members
        level = max((depth[d] + 1 for d in outside), default=0)
        depth.update(dict.fromkeys(component, level))
    return depth


def _layers(modules: Sequence[ModuleStatus]) -> list[list[ModuleStatus]]:
    depth = depths(modules)
    count = max(depth.values(), default=-1) + 1
    layers: list[list[ModuleStatus]] = [[] for _ in range(count)]
    for module in sorted(modules, key=lambda m: m.name):
        layers[depth[module.name]].append(module)
    # Order each layer by where its dependencies sit, which keeps edges short.
    position: dict[str, float] = {}
    for layer in layers:
        layer.sort(
            key=lambda m: (
                sum(position.get(d, 0.0) for d in m.depends_on) / max(len(m.depends_on), 1),
                m.name,
            )
        )
        for index, module in enumerate(layer):
            position[module.name] = index
    return layers


def render_svg(status: Status) -> str:
    """The dependency graph: dependencies above the modules that import them,
    one row per depth, colour by state, a thick border for registered modules."""
    modules = status.modules
    if not modules:
        return ""
    layers = _layers(modules)
    widths = {m.name: len(m.name) * _CHAR_WIDTH + 20 for m in modules}
    row_widths = [sum(widths[m.name] for m in row) + _NODE_GAP * (len(row) - 1) for row in layers]
    total_width = max(row_widths) + 2 * _MARGIN
    centre: dict[str, tuple[float, float]] = {}
    for row_index, row in enumerate(layers):
        x = (total_width - row_widths[row_index]) / 2
        y = _MARGIN + _ARC + row_index * (_NODE_HEIGHT + _LAYER_GAP)
        for module in row:
            centre[module.name] = (x + widths[module.name] / 2, y + _NODE_HEIGHT / 2)
            x += widths[module.name] + _NODE_GAP
    height = (_MARGIN + _ARC) * 2 + len(layers) * _NODE_HEIGHT + (len(layers) - 1) * _LAYER_GAP
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width:.0f}" '
            f'height="{height}" viewBox="0 0 {total_width:.0f} {height}" '
            'font-family="monospace" font-size="12" role="img" '
            'aria-label="LiveImport dependency graph">'
        ),
        (
            '<defs><marker id="li-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>'
        ),
    ]
    half = _NODE_HEIGHT / 2
    for module in modules:
        x1, y1 = centre[module.name]
        for dep in module.depends_on:
            if dep not in centre or dep == module.name:
                continue
            x2, y2 = centre[dep]
            if y2 == y1:
                # Within a layer (an import cycle): an arc, above the boxes when
                # it points right and below when it points left, so both
                # directions of a two-module cycle stay visible.
                edge = -half if x2 > x1 else half
                rise = min(12 + abs(x2 - x1) / 8, _ARC)
                bulge = y1 + edge + (-rise if x2 > x1 else rise)
                parts.append(
                    f'<path class="li-cycle" d="M {x1:.1f} {y1 + edge:.1f} Q '
                    f'{(x1 + x2) / 2:.1f} {bulge:.1f} {x2:.1f} {y2 + edge:.1f}" fill="none" '
                    'stroke="#888" stroke-width="1.2" marker-end="url(#li-arrow)"/>'
                )
                continue
            # Arrows point from a module to what it imports, ending at the box edge.
            start, end = (y1 - half, y2 + half) if y2 < y1 else (y1 + half, y2 - half)
            parts.append(
                f'<line x1="{x1:.1f}" y1="{start:.1f}" x2="{x2:.1f}" y2="{end:.1f}" '
                'stroke="#888" stroke-width="1.2" marker-end="url(#li-arrow)"/>'
            )
    for module in modules:
        cx, cy = centre[module.name]
        fill, stroke = STATE_COLOURS.get(module.state, STATE_COLOURS["missing"])
        width = widths[module.name]
        border = 2.5 if module.registered else 1
        tooltip = f"{module.name}: {module.state}; {why_tracked(module)}"
        parts.append(
            f'<g class="li-node li-{_esc(module.state)}"><title>{_esc(tooltip)}</title>'
            f'<rect x="{cx - width / 2:.1f}" y="{cy - half:.1f}" width="{width:.1f}" '
            f'height="{_NODE_HEIGHT}" rx="5" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{border}"/>'
            f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" fill="#222">'
            f"{_esc(module.name)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(status: Status) -> str:
    head = "".join(
        f"<th style='text-align:left'>{h}</th>"
        for h in ("module", "state", "tracked because", "depends on", "file")
    )
    rows = []
    for m in status.modules:
        _, colour = STATE_COLOURS.get(m.state, STATE_COLOURS["missing"])
        rows.append(
            "<tr>"
            f"<td><code>{_esc(m.name)}</code></td>"
            f"<td style='color:{colour};font-weight:bold'>{_esc(m.state)}</td>"
            f"<td>{_esc(why_tracked(m))}</td>"
            f"<td>{_esc(', '.join(m.depends_on) or '-')}</td>"
            f"<td><code>{_esc(m.file or '(no source)')}</code></td>"
            "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_html(status: Status) -> str:
    """Table, graph, workspace and registrations, as one HTML fragment."""
    parts = ["<div class='liveimport-status'>"]
    if status.modules:
        parts.append(_table(status))
        parts.append(f"<div style='margin:8px 0'>{render_svg(status)}</div>")
        legend = " ".join(
            f"<span style='color:{stroke}'>&#9632; {state}</span>"
            for state, (_, stroke) in STATE_COLOURS.items()
        )
        parts.append(
            f"<p style='font-size:smaller'>{legend} &middot; thick border: registered "
            "&middot; arrows point to imported modules</p>"
        )
    else:
        parts.append("<p>No tracked modules.</p>")
    workspace = ", ".join(f"<code>{_esc(d)}</code>" for d in status.workspace)
    parts.append(f"<p><b>Workspace:</b> {workspace or '(empty)'}</p>")
    for ns in status.namespaces:
        statements = "<br>".join(f"<code>{_esc(s)}</code>" for s in ns.statements)
        parts.append(f"<p><b>Registered in <code>{_esc(ns.name)}</code>:</b><br>{statements}</p>")
        if ns.stale:
            names = ", ".join(f"<code>{_esc(n)}</code>" for n in ns.stale)
            parts.append(f"<p>Still using classes from before a reload: {names}</p>")
    parts.append("</div>")
    return "".join(parts)
