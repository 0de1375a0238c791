"""C4: tracked modules, their stamps and dependencies, and change detection."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterable
from stat import S_ISREG

from ._graph import components
from ._sources import package_of, read_stamp, scan_targets, source_file
from ._workspace import Workspace

#: A stamp that no real file has, so the next poll sees the file as changed.
UNSEEN = -1


class Record:
    """One tracked module. ``mtime_ns``/``size`` are the stamp last seen."""

    __slots__ = (
        "deps",
        "failed",
        "file",
        "missing",
        "mtime_ns",
        "name",
        "size",
        "targets",
    )

    def __init__(self, name: str, module: object) -> None:
        self.name = name
        self.file = source_file(module)
        self.deps: frozenset[str] = frozenset()
        self.failed = False
        self.missing = False
        self.mtime_ns = UNSEEN
        self.size = UNSEEN
        self.targets: tuple[str, ...] = ()
        if self.file is not None:
            self.observe()
            targets = scan_targets(self.file, package_of(name, module))
            if targets is None:
                # Unreadable or broken right now: treat it as changed, so the
                # next sync reports the problem instead of silently ignoring it.
                self.mtime_ns = self.size = UNSEEN
            else:
                self.targets = targets

    def observe(self) -> None:
        """Record the file's current stamp as seen (or mark it missing)."""
        assert self.file is not None
        stamp = read_stamp(self.file)
        self.missing = stamp is None
        self.mtime_ns, self.size = stamp or (UNSEEN, UNSEEN)


def _relocate(record: Record) -> bool:
    """When a tracked file is gone, see whether it moved between ``dep.py`` and
    ``dep/__init__.py`` (a module became a package, or back) and follow it.

    Only that move is followed: a same-named module elsewhere on ``sys.path``
    is another module, and must not be loaded in the missing one's place."""
    assert record.file is not None
    directory, filename = os.path.split(record.file)
    stem = record.name.rpartition(".")[2]
    if filename == "__init__.py":
        moved = os.path.join(os.path.dirname(directory), stem + ".py")
    else:
        moved = os.path.join(directory, stem, "__init__.py")
    if read_stamp(moved) is None:
        return False
    record.file = moved
    record.missing = False
    return True


class Tracker:
    """The set of tracked modules and the graph between them.

    Tracked = the registered modules (roots), plus, transitively, every loaded
    module whose source file is in the workspace and that a tracked module
    imports at top level.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.roots: frozenset[str] = frozenset()
        self.records: dict[str, Record] = {}
        self.dependents: dict[str, set[str]] = {}
        #: Records with a source file, in a list for the per-cell stat loop.
        self.watched: list[Record] = []
        #: Every tracked module in reload order (dependencies first).
        self.order: list[str] = []
        #: Tracked modules that are part of an import cycle.
        self.cyclic: frozenset[str] = frozenset()
        #: file -> realpath, so workspace checks resolve each file once.
        self._realpaths: dict[str, str] = {}

    def poll(self) -> list[Record]:
        """Stat every watched file once; return records whose stamp changed.

        This is the per-cell hot path: one ``os.stat`` per tracked file and no
        other work unless something changed."""
        changed: list[Record] = []
        stat = os.stat
        for record in self.watched:
            try:
                st = stat(record.file)  # type: ignore[arg-type]
            except OSError:
                if not record.missing:
                    record.missing = True
                    record.mtime_ns = record.size = UNSEEN
                if _relocate(record):
                    changed.append(record)
                continue
            if st.st_mtime_ns != record.mtime_ns or st.st_size != record.size:
                if not S_ISREG(st.st_mode):
                    # Not a file any more (e.g. a directory): missing, C2.
                    record.missing = True
                    record.mtime_ns = record.size = UNSEEN
                    continue
                changed.append(record)
        return changed

    def _eligible(self, name: str) -> bool:
        """Whether a loaded module lies in the workspace (so a tracked module
        importing it makes it tracked)."""
        module = sys.modules.get(name)
        if not isinstance(module, types.ModuleType):
            return False
        file = source_file(module)
        if file is None:
            return False
        real = self._realpaths.get(file)
        if real is None:
            real = self._realpaths[file] = os.path.realpath(file)
        return self.workspace.contains(real)

    def rebuild(self, roots: Iterable[str] | None = None) -> None:
        """Recompute the tracked set and graph from the roots. Existing records
        (and their stamps) are kept; new ones are read once."""
        new_roots = self.roots if roots is None else frozenset(roots)
        old = self.records
        records: dict[str, Record] = {}
        outside: set[str] = set()  # targets already found not to be trackable
        stack = sorted(new_roots, reverse=True)
        while stack:
            name = stack.pop()
            if name in records:
                continue
            module = sys.modules.get(name)
            if module is None:
                continue  # not imported (any more): nothing to track
            record = old.get(name) or Record(name, module)
            records[name] = record
            for target in record.targets:
                if target in records or target in outside:
                    continue
                if self._eligible(target):
                    stack.append(target)
                else:
                    outside.add(target)
        dependents: dict[str, set[str]] = {name: set() for name in records}
        for name, record in records.items():
            record.deps = frozenset(t for t in record.targets if t in records and t != name)
            for dep in record.deps:
                dependents[dep].add(name)
        # Nothing above changed the tracker: a failure leaves it as it was.
        self.roots = new_roots
        self.records = records
        self.dependents = dependents
        parts = components(records.keys(), {n: r.deps for n, r in records.items()})
        self.order = [name for part in parts for name in part]
        self.cyclic = frozenset(name for part in parts if len(part) > 1 for name in part)
        self.watched = [records[name] for name in sorted(records) if records[name].file]
