"""One sync as a transaction (C2, C3, A1): analyse, reload in order, rebind,
and either commit everything or restore everything."""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass

from ._errors import ModuleError
from ._events import Reason, ReloadEvent
from ._graph import dependents_closure, reload_order
from ._journal import Journal
from ._sources import Analysis, analyse, package_of
from ._statements import Unbindable
from ._tracking import UNSEEN, Record, Tracker


@dataclass(slots=True)
class _Snapshot:
    name: str
    module: types.ModuleType
    contents: dict[str, object]

    def restore(self) -> None:
        namespace = self.module.__dict__
        namespace.clear()
        namespace.update(self.contents)
        sys.modules[self.name] = self.module


class Transaction:
    """The reloads and rebindings of one sync. ``run()`` either commits all of
    them or restores every reloaded module, rebinds nothing and records
    nothing as seen."""

    def __init__(
        self, tracker: Tracker, journals: Iterable[Journal], changed: list[Record]
    ) -> None:
        self.tracker = tracker
        self.journals = journals
        self.changed = changed
        self.analyses: dict[str, Analysis] = {}
        self.snapshots: list[_Snapshot] = []
        self.forgotten = False  # a changed module left sys.modules

    def run(self) -> list[ReloadEvent]:
        try:
            return self._run()
        except BaseException:
            for snapshot in reversed(self.snapshots):
                snapshot.restore()
            for record in self.changed:
                record.mtime_ns = record.size = UNSEEN
            raise

    def _run(self) -> list[ReloadEvent]:
        self._analyse_changed()
        order, deps = self._schedule()
        events = self._reload_in_order(order, deps)
        reloaded = {event.module for event in events}
        plans = self._plan_rebinding(reloaded)
        # Commit: nothing below can fail.
        for journal, plan in plans:
            journal.namespace.update(plan)
        self._commit(reloaded)
        return events

    def _analyse_changed(self) -> None:
        """Read and compile every changed file before touching anything (A1)."""
        for record in self.changed:
            module = sys.modules.get(record.name)
            if not isinstance(module, types.ModuleType):
                self.forgotten = True  # no longer imported: nothing to reload
                continue
            record.observe()  # stat before reading: a later edit is seen next time
            if record.missing:
                continue  # deleted since the poll: skipped like any missing file
            try:
                analysis = analyse(record.name, record.file or "", package_of(record.name, module))
            except ModuleError:
                record.failed = True
                raise
            self.analyses[record.name] = analysis

    def _schedule(self) -> tuple[list[str], dict[str, frozenset[str]]]:
        """Changed modules plus their dependents, dependencies first, and the
        dependencies that differ from the tracker's graph (re-read sources)."""
        records = self.tracker.records
        schedule = dependents_closure(self.analyses, self.tracker.dependents)
        new_deps = {
            name: frozenset(t for t in analysis.targets if t in records and t != name)
            for name, analysis in self.analyses.items()
        }
        full_order = self.tracker.order
        if (
            len(schedule) * 16 > len(full_order)
            and self.tracker.cyclic.isdisjoint(new_deps)
            and all(deps == records[name].deps for name, deps in new_deps.items())
        ):
            # A large schedule on an unchanged graph, no changed module in a
            # cycle: the tracker's cached order restricted to the schedule is
            # valid (a schedule holds every cycle it touches) and cheaper than
            # ordering it again. Small schedules are ordered on their own, so a
            # leaf edit costs no work per tracked module.
            ordered = [name for name in full_order if name in schedule]
        else:
            graph = {name: new_deps.get(name, records[name].deps) for name in schedule}
            ordered = reload_order(schedule, graph, first=new_deps.keys())
        order = [
            name
            for name in ordered
            if not records[name].missing
            and records[name].file is not None
            and isinstance(sys.modules.get(name), types.ModuleType)
        ]
        return order, new_deps

    def _reload_in_order(
        self, order: list[str], new_deps: dict[str, frozenset[str]]
    ) -> list[ReloadEvent]:
        records = self.tracker.records
        events: list[ReloadEvent] = []
        position: dict[str, int] = {}
        for name in order:
            self._reload(name)
            deps = new_deps.get(name, records[name].deps)
            after = sorted((d for d in deps if d in position), key=position.__getitem__)
            reason: Reason = "modified" if name in self.analyses else "dependent"
            events.append(ReloadEvent(name, reason, records[name].mtime_ns / 1e9, after))
            position[name] = len(position)
        return events

    def _plan_rebinding(self, reloaded: set[str]) -> list[tuple[Journal, dict[str, object]]]:
        """Every namespace's new values, computed before any is applied."""
        plans: list[tuple[Journal, dict[str, object]]] = []
        for journal in self.journals:
            if journal.references_any(reloaded):
                try:
                    plans.append((journal, journal.plan(reloaded)))
                except Unbindable as error:
                    culprit = self.tracker.records.get(error.module)
                    file = culprit.file if culprit else None
                    raise ModuleError(error.module, "rebind", file, detail=str(error)) from error
        return plans

    def _reload(self, name: str) -> None:
        module = sys.modules[name]
        assert isinstance(module, types.ModuleType)
        self.snapshots.append(_Snapshot(name, module, dict(module.__dict__)))
        try:
            importlib.reload(module)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # A1: SystemExit from module code too
            record = self.tracker.records[name]
            record.failed = True
            tracked = {r.file for r in self.tracker.records.values() if r.file}
            file, line = _location(error, record.file, tracked)
            raise ModuleError(name, "reload", file, line) from error

    def _commit(self, reloaded: Iterable[str]) -> None:
        records = self.tracker.records
        imports_changed = False
        for name in reloaded:
            records[name].failed = False
        for name, analysis in self.analyses.items():
            record = records[name]
            record.failed = False
            if analysis.targets != record.targets:
                record.targets = analysis.targets
                imports_changed = True
        if imports_changed or self.forgotten:
            # New imports may bring modules into tracking, removed ones (or
            # modules that left sys.modules) take modules out; only then is the
            # graph recomputed.
            self.tracker.rebuild()


#: Frames in these belong to the import system or to LiveImport, never to the
#: user's code.
_IMPORT_MACHINERY = (
    os.path.dirname(importlib.__file__) + os.sep,
    os.path.dirname(os.path.abspath(__file__)) + os.sep,
)


def _location(
    error: BaseException, module_file: str | None, tracked_files: set[str]
) -> tuple[str | None, int | None]:
    """Where to send the user to fix an error raised while reloading: the
    syntax error's own location; else the innermost frame in the module's own
    file or another tracked file (code the user edits); else the innermost
    frame outside the import machinery."""
    if isinstance(error, SyntaxError) and error.filename:
        return error.filename, error.lineno
    innermost: tuple[str | None, int | None] = (module_file, None)
    edited: tuple[str, int] | None = None
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename == module_file or filename in tracked_files:
            edited = (filename, traceback.tb_lineno)
        elif not filename.startswith(("<", *_IMPORT_MACHINERY)):
            innermost = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return edited or innermost
