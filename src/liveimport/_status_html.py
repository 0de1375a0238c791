"""N7: ``Status`` as HTML for notebooks: a table plus a picture of the dependency graph.

Everything here must survive an untrusted notebook, where JupyterLab and
Notebook 7 sanitise HTML: they strip inline ``<svg>`` into a run-on line of its
text and hide an ``image/svg+xml`` output, but keep ``<img>`` with a ``data:``
source, inline styles and ``<wbr>``. So the picture is an ``<img>`` of an SVG
with its own background (it must read on light and dark themes alike), the
state colours come as badges with their own background, and every cell states
its own alignment (JupyterLab right-aligns table bodies).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Sequence

from ._layout import Edge, Layout, layout
from ._status import PARENT_PACKAGE, ModuleStatus, Status, display_path, why_tracked
from ._why import untracked_html

#: state: (badge and box fill, badge text, box border). Every text colour
#: reaches WCAG AA (4.5:1) against its fill; the fills are light on any theme.
STATE_COLOURS = {
    "current": ("#e3f2e5", "#1b5e20", "#2e7d32"),
    "modified": ("#fff0d4", "#7a4100", "#b26a00"),
    "missing": ("#ececec", "#3d3d3d", "#6b6b6b"),
    "failed": ("#fde3e0", "#a31515", "#c62828"),
}
PICTURE_BACKGROUND = "#ffffff"
PICTURE_TEXT = "#1a1a1a"
EDGE_COLOUR = "#5f6368"

_CHAR_WIDTH = 7.4  # 12 px monospace, a little wider than most fonts draw it
_FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
_CELL = "text-align:left;vertical-align:top;padding:0.25em 0.6em 0.25em 0"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _breakable(text: str, after: str) -> str:
    """Escaped ``text`` that may wrap after each ``after`` and nowhere else."""
    return "<wbr>".join(_esc(part) for part in re.split(f"(?<={re.escape(after)})", text))


def _name(name: str) -> str:
    return f"<code style='white-space:nowrap'>{_esc(name)}</code>"


def _names(names: Iterable[str]) -> str:
    """Module names that wrap between names, never inside one."""
    return ", ".join(_name(n) for n in names) or "-"


def _badge(state: str) -> str:
    fill, text, _ = STATE_COLOURS.get(state, STATE_COLOURS["missing"])
    return (
        f"<span class='liveimport-state' style='background-color:{fill};color:{text};"
        f"padding:0 0.3em;border-radius:3px;font-weight:bold;white-space:nowrap'>"
        f"{_esc(state)}</span>"
    )


def _box_width(name: str) -> float:
    return round(len(name) * _CHAR_WIDTH + 16, 1)


def picture_layout(status: Status) -> Layout:
    """Where each module's box and each import's edge go in the picture."""
    return layout(
        {m.name: _box_width(m.name) for m in status.modules},
        {m.name: set(m.depends_on) for m in status.modules},
    )


def _path(edge: Edge) -> str:
    points = " L ".join(f"{x:.1f} {y:.1f}" for x, y in edge.points)
    return (
        f'<path class="li-edge" data-from="{_esc(edge.source)}" data-to="{_esc(edge.target)}" '
        f'd="M {points}" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.3" '
        'stroke-linejoin="round" marker-end="url(#li-arrow)"/>'
    )


def render_svg(status: Status) -> str:
    """The dependency graph as a standalone SVG document: dependencies above the
    modules that import them, arrows towards the imported module, colour by
    state, a thick border for registered modules."""
    return _svg(status, picture_layout(status)) if status.modules else ""


def _svg(status: Status, drawing: Layout) -> str:
    by_name = {m.name: m for m in status.modules}
    width, height = f"{drawing.width:.0f}", f"{drawing.height:.0f}"
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="12">'
        ),
        (
            '<defs><marker id="li-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{EDGE_COLOUR}"/></marker></defs>'
        ),
        (
            f'<rect class="li-background" x="0.5" y="0.5" width="{drawing.width - 1:.1f}" '
            f'height="{drawing.height - 1:.1f}" rx="6" fill="{PICTURE_BACKGROUND}" '
            'stroke="#c4c4c4"/>'
        ),
    ]
    parts.extend(_path(edge) for edge in drawing.edges)
    for box in drawing.boxes:
        module = by_name[box.name]
        fill, _, border = STATE_COLOURS.get(module.state, STATE_COLOURS["missing"])
        tooltip = f"{module.name}: {module.state}; {why_tracked(module)}"
        parts.append(
            f'<g class="li-node li-{_esc(module.state)}" data-name="{_esc(box.name)}">'
            f"<title>{_esc(tooltip)}</title>"
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
            f'height="{box.height:.1f}" rx="5" fill="{fill}" stroke="{border}" '
            f'stroke-width="{2.5 if module.registered else 1}"/>'
            f'<text x="{box.x + box.width / 2:.1f}" y="{box.y + box.height / 2 + 4:.1f}" '
            f'text-anchor="middle" fill="{PICTURE_TEXT}">{_esc(box.name)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _description(modules: Sequence[ModuleStatus]) -> str:
    """The picture in words, for the ``alt`` text."""
    imports = [f"{m.name} imports {', '.join(m.depends_on)}" for m in modules if m.depends_on]
    return "Dependency graph. " + ("; ".join(imports) or "No module imports another") + "."


def render_picture(status: Status) -> str:
    """The graph as an ``<img>`` whose source is the SVG as a ``data:`` URI."""
    drawing = picture_layout(status)
    source = base64.b64encode(_svg(status, drawing).encode("utf-8")).decode("ascii")
    return (
        f"<img class='liveimport-graph' src='data:image/svg+xml;base64,{source}' "
        f"width='{drawing.width:.0f}' height='{drawing.height:.0f}' "
        f"alt='{_esc(_description(status.modules))}' style='max-width:100%;height:auto'>"
    )


def _table(status: Status) -> str:
    # The file goes under the module's name rather than in a column of its
    # own: a long name would otherwise set the width of three columns
    # (module, depends on, file), too wide for a 900-pixel notebook.
    headers = ("module and file", "state", "tracked because", "depends on")
    head = "".join(f"<th style='{_CELL}'>{h}</th>" for h in headers)
    rows = []
    for m in status.modules:
        reasons = []
        if m.registered:
            reasons.append("registered")
        if m.imported_by:
            reasons.append("imported by " + _names(m.imported_by))
        file = _breakable(display_path(m.file, status.workspace), "/") if m.file else "(no source)"
        cells = (
            f"{_name(m.name)}<br><span class='liveimport-file' style='font-size:90%'>{file}</span>",
            _badge(m.state),
            "; ".join(reasons) or PARENT_PACKAGE,
            _names(m.depends_on),
        )
        rows.append("<tr>" + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells) + "</tr>")
    return (
        "<table class='liveimport-table' style='margin-left:0;margin-right:auto;"
        f"table-layout:auto'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(status: Status) -> str:
    """Table, picture, legend, workspace and registrations, as one HTML fragment."""
    parts = ["<div class='liveimport-status'>"]
    if status.modules:
        parts.append(_table(status))
        parts.append(f"<div style='margin:8px 0'>{render_picture(status)}</div>")
        legend = " ".join(_badge(state) for state in STATE_COLOURS)
        parts.append(
            f"<p class='liveimport-legend' style='text-align:left'>{legend} &middot; "
            "thick border: registered &middot; arrows point to the imported module</p>"
        )
    else:
        parts.append("<p style='text-align:left'>No tracked modules.</p>")
    workspace = ", ".join(f"<code>{_breakable(d, '/')}</code>" for d in status.workspace)
    parts.append(
        f"<p style='text-align:left'><b>Workspace:</b> {workspace or '(empty)'}"
        + (" (files above are relative to it)" if status.workspace and status.modules else "")
        + "</p>"
    )
    parts.append(untracked_html(status))
    for ns in status.namespaces:
        statements = "<br>".join(f"<code>{_esc(s)}</code>" for s in ns.statements)
        parts.append(
            f"<p style='text-align:left'><b>Registered in <code>{_esc(ns.name)}</code>:</b>"
            f"<br>{statements}</p>"
        )
        if ns.stale:
            names = ", ".join(f"<code>{_esc(n)}</code>" for n in ns.stale)
            parts.append(
                f"<p style='text-align:left'>Still using classes from before a reload: {names}</p>"
            )
    parts.append("</div>")
    return "".join(parts)
