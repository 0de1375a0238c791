"""C4: tracked modules, their stamps and imports, and change detection."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence
from stat import S_ISREG
from typing import Literal

from . import _linecache
from ._errors import ModuleError
from ._graph import ImportModel
from ._imports import Step, imported_modules, parents
from ._sources import package_of, read_stamp, scan, source_file
from ._workspace import Workspace

#: A stamp that no real file has, so the next poll sees the file as changed.
UNSEEN = -1

Stamp = tuple[int, int]
ModuleState = Literal["current", "modified", "missing", "failed"]


class Record:
    """One tracked module: its source file, its imports, the stamp of the file
    as last seen (C2) and whether its own code or file failed (A3)."""

    __slots__ = (
        "error",
        "failed_stamp",
        "file",
        "fspath",
        "missing",
        "mtime_ns",
        "name",
        "size",
        "steps",
    )

    def __init__(self, name: str, module: object) -> None:
        self.name = name
        self.file = source_file(module)
        #: ``file`` encoded once: ``os.stat`` of a ``str`` encodes it on every
        #: call, and the per-cell poll stats every tracked file.
        self.fspath = None if self.file is None else os.fsencode(self.file)
        self.steps: tuple[Step, ...] = ()
        #: Why the file could not be read or parsed when it started being tracked.
        self.error: ModuleError | None = None
        #: The stamp the file had when it failed, while that failure stands.
        self.failed_stamp: Stamp | None = None
        self.missing = False
        self.mtime_ns = self.size = UNSEEN
        if self.file is None:
            return
        stamp = self.stamp()
        try:
            cached = getattr(getattr(module, "__spec__", None), "cached", None)
            analysis = scan(name, self.file, package_of(name, module), cached)
        except ModuleError as error:
            # Broken right now: it counts as changed, so the next sync reports
            # the problem instead of silently ignoring it.
            self.error = error
            return
        self.see(stamp)
        self.steps = analysis.steps
        _linecache.pin(self.file, analysis.text)

    # -- the stamp ------------------------------------------------------------

    def stamp(self) -> Stamp | None:
        """The file's stamp now, or None when it is missing (C2)."""
        assert self.file is not None
        stamp = read_stamp(self.file)
        self.missing = stamp is None
        return stamp

    def see(self, stamp: Stamp | None) -> None:
        """Record ``stamp`` as seen: the file at that stamp is loaded."""
        self.mtime_ns, self.size = stamp or (UNSEEN, UNSEEN)

    def mark_missing(self) -> None:
        self.missing = True
        self.mtime_ns = self.size = UNSEEN

    def state(self) -> ModuleState:
        if self.file is None:
            return "current"
        stamp = read_stamp(self.file)
        if self.failed_stamp is not None and stamp == self.failed_stamp:
            return "failed"
        if stamp is None:
            return "missing"
        return "current" if stamp == (self.mtime_ns, self.size) else "modified"

    # -- outcomes of a sync ---------------------------------------------------

    def fail(self, stamp: Stamp | None) -> None:
        """Its own file could not be analysed, or its own code raised (A3)."""
        self.failed_stamp = stamp or (UNSEEN, UNSEEN)

    def recover(self) -> None:
        self.failed_stamp = None

    def reloaded(self, stamp: Stamp | None, steps: tuple[Step, ...], text: str) -> None:
        """Its file at ``stamp`` was analysed and executed: that is what runs."""
        assert self.file is not None
        self.see(stamp)
        self.steps = steps
        self.error = None
        self.failed_stamp = None
        _linecache.pin(self.file, text)

    def release(self) -> None:
        if self.file is not None:
            _linecache.release(self.file)

    def move(self, file: str) -> None:
        """Its source now lives in ``file`` (a module became a package, or back)."""
        self.release()
        self.file = file
        self.fspath = os.fsencode(file)
        self.missing = False


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
    record.move(moved)
    return True


def is_submodule(package: str, name: str) -> bool:
    """Whether ``from package import name`` binds the submodule ``package.name``
    (and not an attribute of the package that shadows it)."""
    sub = sys.modules.get(f"{package}.{name}")
    if not isinstance(sub, types.ModuleType):
        return False
    return getattr(sys.modules.get(package), name, sub) is sub


def with_star_submodules(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """The steps with each ``from p import *`` also naming the submodules
    that ``p.__all__`` lists: Python imports those too (C4)."""
    if not any(step.names == ("*",) for step in steps):
        return steps
    expanded: list[Step] = []
    for step in steps:
        if step.names == ("*",):
            listed = getattr(sys.modules.get(step.module), "__all__", ())
            subs = tuple(
                name
                for name in (listed if isinstance(listed, (list, tuple)) else ())
                if isinstance(name, str) and is_submodule(step.module, name)
            )
            step = Step(step.module, ("*", *subs))
        expanded.append(step)
    return tuple(expanded)


class Tracker:
    """The set of tracked modules and the dependency model between them.

    Tracked = the registered modules (roots), their parent packages inside the
    workspace, plus, transitively, every loaded module whose source file is in
    the workspace and that a tracked module imports at top level.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        #: Registered modules, in the order their statements were first registered.
        self.roots: tuple[str, ...] = ()
        self.records: dict[str, Record] = {}
        #: Records with a source file, in a list for the per-cell stat loop.
        self.watched: list[Record] = []
        self._model: ImportModel | None = None
        #: file -> realpath, so workspace checks resolve each file once.
        self._realpaths: dict[str, str] = {}

    @property
    def model(self) -> ImportModel:
        """The replay of a fresh run (C4), built when first needed after the
        tracked set changed: the no-change path never builds it."""
        if self._model is None:
            self._model = self.model_with({})
        return self._model

    def model_with(self, steps: dict[str, tuple[Step, ...]]) -> ImportModel:
        """The model with some modules' imports replaced (edited sources)."""
        return ImportModel(
            self.roots,
            {
                name: with_star_submodules(steps.get(name, record.steps))
                for name, record in self.records.items()
            },
            is_submodule,
        )

    def poll(self) -> list[Record]:
        """Stat every watched file once; return records whose stamp changed.

        This is the per-cell hot path: one ``os.stat`` per tracked file and no
        other work unless something changed. (It compares with the stamp last
        seen as ``Record.state`` does, inline for speed.)"""
        changed: list[Record] = []
        stat = os.stat
        for record in self.watched:
            try:
                st = stat(record.fspath)  # type: ignore[arg-type]
            except OSError:
                if not record.missing:
                    record.mark_missing()
                if _relocate(record):
                    changed.append(record)
                continue
            if st.st_mtime_ns != record.mtime_ns or st.st_size != record.size:
                if not S_ISREG(st.st_mode):
                    record.mark_missing()  # not a file any more: missing, C2
                    continue
                changed.append(record)
        return changed

    def in_workspace(self, file: str | None) -> bool:
        """Whether a source file lies in the workspace."""
        if file is None:
            return False
        real = self._realpaths.get(file)
        if real is None:
            real = self._realpaths[file] = os.path.realpath(file)
        return self.workspace.contains(real)

    def _eligible(self, name: str, old: dict[str, Record]) -> bool:
        """Whether a module lies in the workspace (so a tracked module
        importing it makes it tracked): a loaded one, or a tracked one that is
        out of ``sys.modules`` for now."""
        module = loaded(name)
        if module is not None:
            return self.in_workspace(source_file(module))
        record = old.get(name)
        return record is not None and self.in_workspace(record.file)

    def rebuild(self, roots: Sequence[str] | None = None, *, strict: bool = False) -> None:
        """Recompute the tracked set from the roots. Existing records (and
        their stamps) are kept, also for modules that are out of
        ``sys.modules`` for now (C2); new ones are read once. With ``strict``
        (``register()``, C1), a new module whose file cannot be read or parsed
        raises its ``ModuleError``. Changes nothing when it raises."""
        new_roots = self.roots if roots is None else tuple(roots)
        old = self.records
        records: dict[str, Record] = {}
        added: list[Record] = []
        outside: set[str] = set()  # names already found not to be trackable
        stack: list[str] = []
        for root in reversed(new_roots):
            stack.append(root)
            stack.extend(reversed([p for p in parents(root) if self._eligible(p, old)]))
        while stack:
            name = stack.pop()
            if name in records:
                continue
            record = old.get(name)
            if record is None:
                module = loaded(name)
                if module is None:
                    continue  # not imported: nothing to track
                record = Record(name, module)
                added.append(record)
            records[name] = record
            for target in reversed(imported_modules(with_star_submodules(record.steps))):
                if target in records or target in outside:
                    continue
                if self._eligible(target, old):
                    stack.append(target)
                else:
                    outside.add(target)
        broken = [record.error for record in added if record.error is not None]
        if strict and broken:
            for record in added:
                record.release()
            raise broken[0]
        # Nothing above changed the tracker: a failure leaves it as it was.
        for name, record in old.items():
            if name not in records:
                record.release()
        self.roots = new_roots
        self.records = records
        self.watched = [records[name] for name in sorted(records) if records[name].file]
        self._model = None


def loaded(name: str) -> types.ModuleType | None:
    """The module ``name`` in ``sys.modules``, or None while it is out (C2)."""
    module = sys.modules.get(name)
    return module if isinstance(module, types.ModuleType) else None
