"""One sync as a transaction (C2, C3, C4, A1): analyse, re-execute like a
fresh import, rebind, and either commit everything or restore everything."""

from __future__ import annotations

import importlib
import os
import types
from collections.abc import Iterable

from ._errors import ModuleError
from ._events import Reason, ReloadEvent
from ._graph import ImportModel
from ._journal import Journal
from ._reexec import Reexecution
from ._sources import Analysis, analyse, package_of, source_file
from ._statements import Unbindable
from ._tracking import Record, Stamp, Tracker, loaded


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
        self.analyses: dict[str, tuple[Analysis, Stamp | None]] = {}
        self.events: list[ReloadEvent] = []
        self._reloading: set[str] = set()

    def run(self) -> list[ReloadEvent]:
        self._analyse_changed()
        if not self.analyses:
            return []
        model = self._model_for_edits()
        reloading = self._reloading = model.reload_set(self.analyses)
        modules = {name: m for name in reloading if (m := self._reloadable(name)) is not None}
        finish_position: dict[str, int] = {}

        def finished(name: str) -> None:
            finish_position[name] = len(finish_position)
            self.events.append(self._event(model, name, finish_position))

        records = self.tracker.records
        run = Reexecution(
            modules,
            {name: records[name].file or "" for name in modules},
            {name: a.code for name, (a, _) in self.analyses.items() if a.code is not None},
            finished,
            lambda module: self.tracker.in_workspace(source_file(module)),
            [
                name
                for name, m in modules.items()
                if source_file(m) != self.tracker.records[name].file
            ],
            {edge.imported for edge in model.edges if edge.cycle},
            model.imported,
        )
        try:
            try:
                run.run(model.plan(modules.keys()))
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # A1: SystemExit from module code too
                raise self._reload_error(model, run.culprit, error) from error
            plans = self._plan_rebinding({event.module for event in self.events})
        except BaseException:
            run.restore()
            raise
        run.commit()
        # Commit: nothing below can fail.
        for journal, plan in plans:
            journal.namespace.update(plan)
        self._commit({event.module for event in self.events})
        return self.events

    def _analyse_changed(self) -> None:
        """Read and compile every changed file before touching anything (A1)."""
        for record in self.changed:
            module = loaded(record.name)
            if module is None:
                continue  # out of sys.modules for now: skipped (C2)
            stamp = record.stamp()  # before reading: a later edit is seen next time
            if stamp is None:
                continue  # deleted since the poll: skipped like any missing file
            try:
                analysis = analyse(record.name, record.file or "", package_of(record.name, module))
            except ModuleError:
                record.fail(stamp)
                raise
            record.recover()
            self.analyses[record.name] = (analysis, stamp)

    def _model_for_edits(self) -> ImportModel:
        """The tracker's model, or a new one where an edit changed imports."""
        records = self.tracker.records
        edited = {
            name: analysis.steps
            for name, (analysis, _) in self.analyses.items()
            if analysis.steps != records[name].steps
        }
        return self.tracker.model_with(edited) if edited else self.tracker.model

    def _reloadable(self, name: str) -> types.ModuleType | None:
        record = self.tracker.records[name]
        if record.file is None or record.missing:
            return None
        return loaded(name)

    def _event(self, model: ImportModel, name: str, finished: dict[str, int]) -> ReloadEvent:
        deps = model.depends_on.get(name, [])
        after = sorted((d for d in deps if d in finished and d != name), key=finished.__getitem__)
        reason: Reason = "modified" if name in self.analyses else "dependent"
        via: tuple[str, ...] = ()
        if reason == "dependent" and not after:
            # Its dependency is still re-executing further up an import cycle.
            via = tuple(d for d in model.causes(name) if d in self._reloading)
        record = self.tracker.records[name]
        stamp = self.analyses[name][1] if name in self.analyses else None
        mtime_ns = stamp[0] if stamp is not None else record.mtime_ns
        return ReloadEvent(name, reason, mtime_ns / 1e9, after, via)

    def _reload_error(
        self, model: ImportModel, culprit: str | None, error: BaseException
    ) -> ModuleError:
        records = self.tracker.records
        # No culprit: the import system itself failed before any module ran.
        name = culprit or next(iter(self.analyses))
        record = records[name]
        record.fail(record.stamp())
        because: list[str] = []
        if name not in self.analyses:
            because = model.descends_from(name, self.analyses.keys())
        tracked = {r.file for r in records.values() if r.file}
        file, line = _location(error, record.file, tracked)
        return ModuleError(name, "reload", file, line, because=tuple(because))

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

    def _commit(self, reloaded: set[str]) -> None:
        records = self.tracker.records
        imports_changed = False
        for name in reloaded:
            records[name].recover()
        for name, (analysis, stamp) in self.analyses.items():
            record = records[name]
            if analysis.steps != record.steps:
                imports_changed = True
            record.reloaded(stamp, analysis.steps, analysis.text)
        if imports_changed:
            # New imports may bring modules into tracking, removed ones take
            # modules out; only then is the tracked set recomputed.
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
