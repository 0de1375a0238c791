"""A3: the immutable ``Status`` snapshot and its plain-text form.

This module knows plain text only. The notebook form (an HTML table and the
dependency graph) is ``_status_html.render_html``, which the IPython
integration registers with the shell's display formatter; nothing here
imports it, so the snapshot sits below its renderers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import _why

ModuleState = Literal["current", "modified", "missing", "failed"]


@dataclass(frozen=True)
class ModuleStatus:
    """One tracked module."""

    name: str
    file: str | None
    registered: bool
    imported_by: tuple[str, ...]
    depends_on: tuple[str, ...]
    state: ModuleState

    __module__ = "liveimport"


@dataclass(frozen=True)
class NamespaceStatus:
    """One namespace that has registrations (usually the notebook's ``__main__``)."""

    name: str
    statements: tuple[str, ...]
    stale: tuple[str, ...]

    __module__ = "liveimport"


@dataclass(frozen=True)
class Status:
    """What LiveImport tracks right now. Returned by ``liveimport.status()``."""

    modules: tuple[ModuleStatus, ...]
    workspace: tuple[str, ...]
    namespaces: tuple[NamespaceStatus, ...]
    #: A5: modules that tracked modules import whose source files are the
    #: user's own (neither the standard library nor an installed package) but
    #: lie outside the workspace, so editing them reloads nothing.
    untracked_imports: tuple[str, ...] = ()
    #: What ``explain`` needs beyond the fields above (``_why.Facts``).
    _facts: object = field(default=None, repr=False, compare=False)

    __module__ = "liveimport"

    def explain(self, name: str) -> str:
        """In plain words: why module ``name`` is or is not tracked, and why it
        did or did not reload in the last sync that found changed files (what
        ``%liveimport why <name>`` shows). Raises ``TypeError`` unless ``name``
        is a string and ``ValueError`` for an empty one."""
        if not isinstance(name, str):
            raise TypeError(
                f"explain: name must be a module name string, not {type(name).__name__}"
            )
        if not name.strip():
            raise ValueError("explain: name a module, e.g. status().explain('mymodule')")
        return _why.explain(self, name.strip())

    def __str__(self) -> str:
        return render_text(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython's terminal display: the readable table, not the dataclass repr.
        printer.text(render_text(self))


#: Why a module is tracked when nothing registered or imports it: a registered
#: statement, or a tracked module's import, passes through it.
PARENT_PACKAGE = "package of a tracked module"


def why_tracked(module: ModuleStatus) -> str:
    """``"registered; imported by a, b"``: the reasons a module is tracked."""
    reasons = []
    if module.registered:
        reasons.append("registered")
    if module.imported_by:
        reasons.append("imported by " + ", ".join(module.imported_by))
    # Otherwise it is tracked as the package of a tracked module (C4 r2).
    return "; ".join(reasons) or PARENT_PACKAGE


def display_path(file: str, workspace: Sequence[str]) -> str:
    """``file`` relative to the deepest workspace directory holding it, else as it is."""
    best: str | None = None
    for directory in workspace:
        if os.path.commonpath([directory, file]) == directory and (
            best is None or len(directory) > len(best)
        ):
            best = directory
    if best is None:
        return file
    return os.path.relpath(file, best).replace(os.sep, "/")


def render_text(status: Status) -> str:
    """A plain-text table of tracked modules, then workspace and registrations."""
    lines: list[str] = []
    if status.modules:
        rows = [("module", "state", "tracked because", "depends on", "file")]
        rows += [
            (
                m.name,
                m.state,
                why_tracked(m),
                ", ".join(m.depends_on) or "-",
                display_path(m.file, status.workspace) if m.file else "(no source)",
            )
            for m in status.modules
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths) + "  ----")
    else:
        lines.append("No tracked modules.")
    lines.append("")
    if status.workspace:
        lines.append("Workspace: " + ", ".join(status.workspace))
    else:
        lines.append("Workspace: (empty: only registered modules are tracked)")
    lines.extend(_why.untracked_lines(status))
    for ns in status.namespaces:
        lines.append("")
        lines.append(f"Registered in {ns.name}:")
        lines.extend(f"    {statement}" for statement in ns.statements)
        if ns.stale:
            lines.append("  Still using classes from before a reload: " + ", ".join(ns.stale))
    return "\n".join(lines)
