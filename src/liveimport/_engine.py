"""``Engine``: all of LiveImport's mutable state behind one lock."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from ._events import ReloadEvent
from ._journal import Journal
from ._sources import read_stamp
from ._stale import stale_names
from ._statements import Binding, Unbindable, parse
from ._status import ModuleState, ModuleStatus, NamespaceStatus, Status
from ._tracking import Tracker
from ._transaction import Transaction
from ._workspace import INITIAL_CWD, Workspace, normalise_directories

Observer = Callable[[ReloadEvent], object]


class Engine:
    """Registrations (one journal per namespace), tracked modules and the
    workspace. The public functions delegate to one default instance."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.journals: dict[int, Journal] = {}
        self.tracker = Tracker(Workspace((INITIAL_CWD,)))

    def reset(self) -> None:
        """Forget everything, in place: a call that already holds this engine
        (another thread's ``register``) then lands before or after, never in
        a discarded engine."""
        with self.lock:
            self.journals = {}
            self.tracker = Tracker(Workspace((INITIAL_CWD,)))

    # -- registration -------------------------------------------------------

    def register(
        self,
        namespace: MutableMapping[str, Any],
        source: str,
        *,
        package: str,
        clear: bool,
        allow_other_statements: bool,
    ) -> None:
        bindings = parse(source, package=package, allow_other_statements=allow_other_statements)
        with self.lock:
            refs = [(b, b.referenced_modules(sys.modules)) for b in bindings]
            for binding, _ in refs:
                _check_evidence(namespace, binding)
            # Change copies and install them only once tracking succeeded, so a
            # failure (even MemoryError) leaves every registration as it was.
            old = self.journals.get(id(namespace))
            journal = old.copy() if old is not None else Journal(namespace)
            if clear:
                journal.clear()
            for binding, modules in refs:
                journal.add(binding, modules)
            journals = dict(self.journals)
            if journal:
                journals[id(namespace)] = journal
            else:
                journals.pop(id(namespace), None)
            roots: set[str] = set()
            for each in journals.values():
                roots.update(each.modules())
            self.tracker.rebuild(roots)
            self.journals = journals

    def registered(self, namespace: MutableMapping[str, Any]) -> list[str]:
        with self.lock:
            journal = self.journals.get(id(namespace))
            return journal.statements() if journal else []

    # -- syncing --------------------------------------------------------------

    def sync(self, *, observer: Observer | None = None) -> list[ReloadEvent]:
        with self.lock:
            changed = self.tracker.poll()
            if not changed:
                return []
            events = Transaction(self.tracker, self.journals.values(), changed).run()
        if observer is not None:
            for event in events:
                observer(event)
        return events

    # -- workspace ------------------------------------------------------------

    def set_workspace(self, directories: Iterable[object], *, extend: bool) -> None:
        new = normalise_directories(directories)
        with self.lock:
            if extend:
                new = self.tracker.workspace.directories + tuple(
                    d for d in new if d not in self.tracker.workspace.directories
                )
            self.tracker.workspace = Workspace(new)
            self.tracker.rebuild()

    # -- introspection --------------------------------------------------------

    def status(self) -> Status:
        with self.lock:
            tracker = self.tracker
            modules = tuple(
                ModuleStatus(
                    name=name,
                    file=record.file,
                    registered=name in tracker.roots,
                    imported_by=tuple(sorted(tracker.dependents.get(name, ()))),
                    depends_on=tuple(sorted(record.deps)),
                    state=_state(record.file, record.mtime_ns, record.size, record.failed),
                )
                for name, record in sorted(tracker.records.items())
            )
            tracked = tracker.records.keys()
            namespaces = tuple(
                NamespaceStatus(
                    name=journal.name,
                    statements=tuple(journal.statements()),
                    stale=tuple(stale_names(journal.namespace, tracked)),
                )
                for journal in self.journals.values()
            )
            return Status(modules, tracker.workspace.directories, namespaces)

    def check_invariants(self) -> None:
        """Internal consistency checks, for the test suite."""
        with self.lock:
            tracker = self.tracker
            records = tracker.records
            assert set(tracker.dependents) == set(records)
            for name, record in records.items():
                assert record.name == name
                assert record.deps <= records.keys(), (name, record.deps)
                assert name not in record.deps
                for dep in record.deps:
                    assert name in tracker.dependents[dep]
            assert [r.name for r in tracker.watched] == sorted(
                n for n, r in records.items() if r.file
            )
            for key, journal in self.journals.items():
                assert key == id(journal.namespace)
                assert journal, "empty journals are dropped"


def _state(file: str | None, mtime_ns: int, size: int, failed: bool) -> ModuleState:
    if failed:
        return "failed"
    if file is None:
        return "current"
    stamp = read_stamp(file)
    if stamp is None:
        return "missing"
    return "current" if stamp == (mtime_ns, size) else "modified"


def _check_evidence(namespace: MutableMapping[str, Any], binding: Binding) -> None:
    """C1: a registered statement must already have run in ``namespace``."""
    if binding.module not in sys.modules:
        raise ValueError(
            f"module {binding.module!r} is not imported; run `{binding}` before registering it"
        )
    try:
        values = binding.values()
    except Unbindable as error:
        raise ValueError(f"`{binding}` cannot have run: {error}") from None
    missing = [name for name in values if name not in namespace]
    if missing:
        names = ", ".join(repr(name) for name in missing[:5])
        if len(missing) > 5:
            names += f" and {len(missing) - 5} more"
        raise ValueError(
            f"{names} not defined in the namespace; run `{binding}` before registering it"
        )
