"""``Engine``: all of LiveImport's mutable state behind one lock."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, MutableMapping
from typing import Any

from ._errors import ModuleError
from ._events import Observer, ReloadEvent
from ._journal import Journal
from ._lazy import is_lazy_placeholder
from ._stale import stale_names
from ._statements import Binding, Unbindable, parse, star_names
from ._status import ModuleStatus, NamespaceStatus, Status
from ._tracking import Tracker
from ._transaction import Transaction
from ._why import SyncOutcome, gather
from ._workspace import INITIAL_CWD, Workspace, normalise_directories


class Engine:
    """Registrations (one journal per namespace), tracked modules and the
    workspace. The public functions delegate to one default instance."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.journals: dict[int, Journal] = {}
        self.tracker = Tracker(Workspace((INITIAL_CWD,)))
        #: Registered modules whose evidence was a lazy import not loaded yet.
        self.lazy: frozenset[str] = frozenset()
        #: Every module a registration referenced, in first-registration order.
        self.first_registered: dict[str, None] = {}
        self.syncing = False
        #: A5: what the last sync that found changed files did.
        self.last_sync: SyncOutcome | None = None

    def reset(self) -> None:
        """Forget everything, in place: a call that already holds this engine
        (another thread's ``register``) then lands before or after, never in
        a discarded engine."""
        with self.lock:
            self.tracker.rebuild(())
            self.journals = {}
            self.tracker = Tracker(Workspace((INITIAL_CWD,)))
            self.lazy = frozenset()
            self.first_registered = {}
            self.last_sync = None

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
            lazy = {b.module for b, _ in refs if _check_evidence(namespace, b)}
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
            first = dict(self.first_registered)
            for _, modules in refs:
                first.update(dict.fromkeys(modules))
            # C4 replays registrations in the order they were first made.
            self.tracker.rebuild([name for name in first if name in roots], strict=True)
            self.first_registered = first
            self.journals = journals
            self.lazy |= lazy

    def poll_lazy_imports(self) -> None:
        """Start tracking the lazily imported registered modules that have
        loaded since they were registered."""
        with self.lock:
            loaded = {name for name in self.lazy if sys.modules.get(name) is not None}
            if loaded:
                self.tracker.rebuild()
                self.lazy -= loaded

    def registered(self, namespace: MutableMapping[str, Any]) -> list[str]:
        with self.lock:
            journal = self.journals.get(id(namespace))
            return journal.statements() if journal else []

    # -- syncing --------------------------------------------------------------

    def sync(self, *, observer: Observer | None = None) -> list[ReloadEvent]:
        with self.lock:
            if self.syncing:
                # Module code that calls sync() while it re-executes: the
                # outer sync is already doing all there is to do.
                return []
            changed = self.tracker.poll()
            if not changed:
                return []
            self.syncing = True
            try:
                events = Transaction(self.tracker, self.journals.values(), changed).run()
            except ModuleError as error:
                self.last_sync = SyncOutcome((), error, False, time.time())
                raise
            except BaseException:
                self.last_sync = SyncOutcome((), None, True, time.time())
                raise
            finally:
                self.syncing = False
            self.last_sync = SyncOutcome(tuple(events), None, False, time.time())
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
            depends_on = tracker.model.depends_on
            imported_by: dict[str, list[str]] = {}
            for name, deps in depends_on.items():
                for dep in deps:
                    imported_by.setdefault(dep, []).append(name)
            modules = tuple(
                ModuleStatus(
                    name=name,
                    file=record.file,
                    registered=name in tracker.roots,
                    imported_by=tuple(sorted(imported_by.get(name, ()))),
                    depends_on=tuple(sorted(depends_on.get(name, ()))),
                    state=record.state(),
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
            facts = gather(tracker, self.journals.values(), self.last_sync)
            return Status(
                modules,
                tracker.workspace.directories,
                namespaces,
                tuple(u.name for u in facts.untracked),
                facts,
            )

    # -- A4: what a cell's output came from ----------------------------------

    def bound_modules(self, namespace: MutableMapping[str, Any]) -> dict[str, tuple[str, ...]]:
        """Each name registered statements bind in ``namespace``, with the
        modules its effective binder references."""
        with self.lock:
            journal = self.journals.get(id(namespace))
            return journal.bound_modules() if journal is not None else {}

    def tracked(self) -> frozenset[str]:
        """The names of the tracked modules."""
        with self.lock:
            return frozenset(self.tracker.records)

    def affected_by(self, reloaded: Iterable[str]) -> frozenset[str]:
        """The ``reloaded`` modules and every tracked module that depends on
        one of them, directly or not: what a module's user ran came from
        reloaded code if that module is among these."""
        with self.lock:
            dependents: dict[str, list[str]] = {}
            for name, deps in self.tracker.model.depends_on.items():
                for dep in deps:
                    dependents.setdefault(dep, []).append(name)
        found = set(reloaded)
        stack = list(found)
        while stack:
            for user in dependents.get(stack.pop(), ()):
                if user not in found:
                    found.add(user)
                    stack.append(user)
        return frozenset(found)

    def check_invariants(self) -> None:
        """Internal consistency checks, for the test suite."""
        with self.lock:
            tracker = self.tracker
            records = tracker.records
            model = tracker.model
            assert sorted(model.finish) == sorted(records)
            for name, record in records.items():
                assert record.name == name
                assert set(model.depends_on[name]) <= records.keys(), name
                assert name not in model.depends_on[name]
            assert [r.name for r in tracker.watched] == sorted(
                n for n, r in records.items() if r.file
            )
            for key, journal in self.journals.items():
                assert key == id(journal.namespace)
                assert journal, "empty journals are dropped"


def _check_evidence(namespace: MutableMapping[str, Any], binding: Binding) -> bool:
    """C1: a registered statement must already have run in ``namespace``.
    Returns True when the evidence is a lazy import (PEP 810) whose module has
    not loaded yet; ``poll_lazy_imports()`` tracks it once it has."""
    run_it = f"run `{binding}` first, then register it"
    module = sys.modules.get(binding.module)
    if module is None:
        target = binding.target
        if target is not None and is_lazy_placeholder(namespace.get(target)):
            return True
        raise ValueError(f"Module {binding.module} not loaded: {run_it}")
    if getattr(module, "__spec__", None) is None:
        raise ValueError(
            f"Module {binding.module} has no spec (it was not created by an import "
            f"system loader), so it cannot be reloaded; `{binding}` cannot be registered"
        )
    if binding.name == "*":
        # Which names a star import binds depends on the module's current
        # contents, so being loaded is the evidence; __all__ must still be usable.
        try:
            star_names(module)
        except Unbindable as error:
            raise ValueError(f"`{binding}` cannot run: {error}") from None
        return False
    if binding.kind == "from" and not _provides(module, binding.module, binding.name):
        raise ValueError(
            f"No name {binding.name} in {binding.module}: `{binding}` cannot have run; "
            f"check the name, or define it in {binding.module} and run the import again"
        )
    if binding.target not in namespace:
        raise ValueError(f"No name {binding.target} in namespace: {run_it}")
    return False


def _provides(module: object, module_name: str, name: str) -> bool:
    """Whether ``from module import name`` finds ``name`` without importing
    anything: an attribute, or an already loaded submodule."""
    return hasattr(module, name) or sys.modules.get(f"{module_name}.{name}") is not None
