"""A5: why a module is or is not tracked, and why it did or did not reload.

``gather`` collects, when ``status()`` takes its snapshot, what the plain
``Status`` fields do not say (which statements register a module, which
untracked modules tracked ones import, the last sync's outcome); ``explain``
turns that into plain words. Modules the snapshot does not track are looked
up in ``sys.modules`` when ``explain`` is called.
"""

from __future__ import annotations

import functools
import html
import os
import sys
import sysconfig
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._errors import ModuleError
from ._events import ReloadEvent
from ._imports import imported_modules
from ._sources import source_file
from ._text import age, join_names
from ._workspace import Workspace

if TYPE_CHECKING:
    from ._journal import Journal
    from ._status import ModuleStatus, Status
    from ._tracking import Tracker


@dataclass(frozen=True)
class SyncOutcome:
    """What the last sync that found changed files did: its reloads, or the
    error that undid them (``interrupted`` for ``KeyboardInterrupt``)."""

    events: tuple[ReloadEvent, ...]
    error: ModuleError | None
    interrupted: bool
    when: float  # time.time()


@dataclass(frozen=True)
class Untracked:
    """A user's module that tracked modules import, outside the workspace."""

    name: str
    file: str
    imported_by: tuple[str, ...]
    #: The directory whose addition to the workspace would track it.
    root: str


@dataclass(frozen=True)
class Facts:
    """What ``explain`` and the untracked-imports hint need beyond ``Status``'s fields."""

    #: module -> ((namespace name, statement), ...) of the statements referencing it.
    registered_by: Mapping[str, tuple[tuple[str, str], ...]]
    #: untracked module -> the tracked modules that import it at top level.
    importers: Mapping[str, tuple[str, ...]]
    untracked: tuple[Untracked, ...]
    last_sync: SyncOutcome | None
    workspace: Workspace
    cwd: str


NO_FACTS = Facts({}, {}, (), None, Workspace(()), "")


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


@functools.cache
def _library_directories() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(installed, standard library) directories of this interpreter, resolved once."""
    paths = sysconfig.get_paths()
    installed = tuple(os.path.realpath(paths[key]) for key in ("purelib", "platlib"))
    stdlib = tuple(os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib"))
    return installed, stdlib


def origin(real_file: str) -> str:
    """``"stdlib"``, ``"installed"`` (a site-packages or dist-packages
    directory, which is what purelib and platlib are) or ``"user"``."""
    installed, stdlib = _library_directories()
    parts = real_file.split(os.sep)
    if (
        "site-packages" in parts
        or "dist-packages" in parts
        or any(_under(real_file, directory) for directory in installed)
    ):
        return "installed"
    if any(_under(real_file, directory) for directory in stdlib):
        return "stdlib"
    return "user"


def import_root(name: str, file: str) -> str:
    """The ``sys.path`` directory a module's file was found under:
    ``/p/src`` for ``mylib.core`` at ``/p/src/mylib/core.py``."""
    directory = os.path.dirname(file)
    levels = name.count(".") + os.path.basename(file).startswith("__init__.")
    for _ in range(levels):
        directory = os.path.dirname(directory)
    return directory


def gather(tracker: Tracker, journals: Iterable[Journal], last_sync: SyncOutcome | None) -> Facts:
    """Read what ``explain`` needs from the tracker and the registrations."""
    registered_by: dict[str, list[tuple[str, str]]] = {}
    for journal in journals:
        for module in journal.modules():
            for statement in journal.statements_for(module):
                registered_by.setdefault(module, []).append((journal.name, statement))
    records = tracker.records
    importers: dict[str, dict[str, None]] = {}
    for name in sorted(records):
        for target in imported_modules(records[name].steps):
            if target not in records:
                importers.setdefault(target, {})[name] = None
    untracked: list[Untracked] = []
    for target in sorted(importers):
        file = source_file(sys.modules.get(target))
        if file is None:
            continue
        real = os.path.realpath(file)
        if tracker.workspace.contains(real) or origin(real) != "user":
            continue
        untracked.append(
            Untracked(target, file, tuple(importers[target]), import_root(target, real))
        )
    return Facts(
        {module: tuple(users) for module, users in registered_by.items()},
        {module: tuple(users) for module, users in importers.items()},
        tuple(untracked),
        last_sync,
        tracker.workspace,
        os.getcwd(),
    )


def facts_of(status: Status) -> Facts:
    facts = status._facts
    return facts if isinstance(facts, Facts) else NO_FACTS


# -- the hint in the status display ------------------------------------------


def _shown(path: str, cwd: str) -> str:
    """A path as the user would type it: relative to the working directory
    when that is short, else absolute."""
    relative = os.path.relpath(path, cwd) if cwd else path
    return path if relative.startswith(os.path.join(os.pardir, os.pardir, os.pardir)) else relative


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def workspace_call(roots: Iterable[str], cwd: str) -> str:
    """``liveimport.workspace("../src", extend=True)``."""
    shown = ", ".join(_quote(_shown(root, cwd)) for root in dict.fromkeys(roots))
    return f"liveimport.workspace({shown}, extend=True)"


def untracked_lines(status: Status) -> list[str]:
    """Plain-text hint: tracked modules import these, but edits to them do not reload."""
    facts = facts_of(status)
    if not facts.untracked:
        return []
    width = max(len(u.name) for u in facts.untracked)
    lines = [
        "",
        "Imported by tracked modules but outside the workspace (edits there do not reload):",
    ]
    lines += [
        f"    {u.name.ljust(width)}  {u.file}  (imported by {', '.join(u.imported_by)})"
        for u in facts.untracked
    ]
    call = workspace_call((u.root for u in facts.untracked), facts.cwd)
    lines.append(f"  To track them: {call}")
    return lines


def untracked_html(status: Status) -> str:
    """The same hint as an HTML paragraph ('' when there is nothing to say)."""
    facts = facts_of(status)
    if not facts.untracked:
        return ""
    esc = html.escape
    items = "".join(
        f"<li><code>{esc(u.name)}</code> <code>{esc(u.file)}</code> "
        f"(imported by {esc(', '.join(u.imported_by))})</li>"
        for u in facts.untracked
    )
    call = esc(workspace_call((u.root for u in facts.untracked), facts.cwd))
    return (
        "<div class='liveimport-untracked' style='text-align:left'><p><b>Imported by tracked "
        f"modules but outside the workspace</b> (edits there do not reload):</p><ul>{items}</ul>"
        f"<p>To track them: <code>{call}</code></p></div>"
    )


# -- explain --------------------------------------------------------------------

_STATES = {
    "current": "unchanged since it was last loaded",
    "modified": "changed since it was last loaded, so the next sync reloads it",
    "missing": "missing; syncs skip it until the file is back",
    "failed": "it failed in the last sync; the next sync retries it",
}


def _statements(pairs: Iterable[tuple[str, str]]) -> str:
    quoted = [f"`{statement}` (in {namespace})" for namespace, statement in pairs]
    if len(quoted) > 3:
        quoted = [*quoted[:3], f"{len(quoted) - 3} more"]
    return join_names(quoted)


def _tracked(module: ModuleStatus, facts: Facts) -> list[str]:
    name = module.name
    importers = join_names(module.imported_by)
    verb = "imports" if len(module.imported_by) == 1 else "import"
    if module.registered:
        # A package that a statement only passes through has no statement of its own.
        by = _statements(facts.registered_by.get(name, ())) or "a registered statement"
        also = f"; {importers} {verb} it too" if importers else ""
        lines = [f"{name} is tracked: it is registered by {by}{also}."]
    else:
        where = join_names(facts.workspace.directories)
        lines = [
            (
                f"{name} is tracked: {importers} {verb} it at top level and its file is in "
                f"the workspace ({where})."
            )
        ]
    if module.file is None:
        lines.append(
            "It has no Python source file (a built-in, extension or frozen module), "
            "so it never reloads."
        )
    else:
        lines.append(f"File: {module.file} ({_STATES[module.state]}).")
    if module.depends_on:
        lines.append(
            f"It depends on {join_names(module.depends_on)}: when "
            f"{'that' if len(module.depends_on) == 1 else 'one of them'} reloads, it reloads too."
        )
    return lines


def _untracked(name: str, facts: Facts) -> list[str]:
    importers = facts.importers.get(name, ())
    imported = (
        f"{join_names(importers)} {'imports' if len(importers) == 1 else 'import'} it, but "
        if importers
        else "No tracked module imports it, and "
    )
    module = sys.modules.get(name)
    if module is None:
        return [
            (
                f"{name} is not tracked: it is not loaded (not in sys.modules), so nothing "
                "has imported it in this process."
            ),
            (
                f"Import it, then register the import (in a %%liveimport cell, or with "
                f'liveimport.register(globals(), "import {name}")).'
            ),
        ]
    file = source_file(module)
    if file is None:
        return [
            (
                f"{name} is not tracked: it is loaded but has no Python source file (a built-in, "
                "extension or frozen module, or a namespace package), so there is nothing to reload."
            )
        ]
    real = os.path.realpath(file)
    workspace = facts.workspace
    kind = origin(real)
    if kind == "stdlib":
        return [f"{name} is not tracked: it is part of the standard library ({file})."]
    if kind == "installed":
        return [
            f"{name} is not tracked: it belongs to an installed package ({file}).",
            (
                f"{imported}LiveImport does not follow imports into installed packages; "
                f'register it (liveimport.register(globals(), "import {name}")) to track it anyway.'
            ),
        ]
    if workspace.contains(real):
        return [
            (
                f"{name} is not tracked: its file {file} is in the workspace, but no tracked "
                "module imports it at top level and no registered statement names it."
            ),
            f"Register an import of it to track it (e.g. `import {name}` in a %%liveimport cell).",
        ]
    directories = join_names(workspace.directories) or "empty"
    return [
        f"{name} is not tracked: its file {file} is outside the workspace ({directories}).",
        (
            f"{imported}LiveImport follows imports only into the workspace, so edits to {name} "
            "do not reload."
        ),
        f"To track it: {workspace_call([import_root(name, real)], facts.cwd)}",
    ]


def _last_sync(name: str, module: ModuleStatus | None, last: SyncOutcome | None) -> str:
    if module is None:
        return "It did not reload in the last sync: it is not tracked, so no sync reloads it."
    if last is None:
        return "No sync has found a changed file yet."
    when = f"The last sync that found changes ({age(time.time() - last.when)})"
    error = last.error
    if last.interrupted:
        return f"{when} was interrupted, so nothing was reloaded; the next sync retries."
    if error is not None:
        if error.module == name:
            return f"{when} failed in {name} itself: {error}. Nothing was reloaded; the next sync retries."
        return (
            f"{when} failed in {error.module} ({error.what_failed}), so nothing was "
            f"reloaded, {name} included; the next sync retries."
        )
    for event in last.events:
        if event.module == name:
            return f"{when}: {event}."
    if not last.events:
        return f"{when} reloaded nothing."
    reloaded = join_names([event.module for event in last.events])
    return (
        f"{when} reloaded {reloaded}, not {name}: its file had not changed and no "
        "module it depends on reloaded."
    )


def explain(status: Status, name: str) -> str:
    """A5 in plain words; see ``Status.explain``."""
    facts = facts_of(status)
    module = next((m for m in status.modules if m.name == name), None)
    lines = _tracked(module, facts) if module is not None else _untracked(name, facts)
    lines.append(_last_sync(name, module, facts.last_sync))
    return "\n".join(lines)
