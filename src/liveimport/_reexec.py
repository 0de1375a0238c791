"""Re-execute modules through Python's own import system (C4 "like a fresh import").

While a re-execution runs, the modules to reload are out of ``sys.modules``
and off their parent packages, and a finder placed first on ``sys.meta_path``
hands the import system each one's *existing* module object with its new
code. Importing them in plan order then runs each module at the moment a
fresh run would import it: an import of a module not yet re-executed
re-executes it first, and an import of one still re-executing further up the
chain gets it partially re-executed, exactly as Python shows a partially
initialised module. ``restore()`` undoes everything (A1).
"""

from __future__ import annotations

import copy
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

_bootstrap: Any = importlib._bootstrap

_ABSENT: Any = object()

#: What the import system puts in a module's namespace before its code runs.
_IMPORT_ATTRIBUTES = frozenset(
    (
        "__name__",
        "__doc__",
        "__package__",
        "__loader__",
        "__spec__",
        "__path__",
        "__file__",
        "__cached__",
        "__builtins__",
    )
)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, run: Reexecution) -> None:
        self.run = run

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        return self.run.spec_for(fullname)


class _Loader(importlib.abc.Loader):
    #: A copy made without ``__init__`` forwards to nothing, not to itself.
    original: Any = None

    def __init__(self, run: Reexecution, name: str, original: object) -> None:
        self.run = run
        self.name = name
        self.original = original

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.run.modules[self.name]

    def exec_module(self, module: types.ModuleType) -> None:
        self.run.execute(self.name, module)

    def __getattr__(self, attribute: str) -> Any:
        # Module code reads its package data through ``__spec__.loader``
        # (``pkgutil.get_data``, ``importlib.resources``): the module's own
        # loader answers, as in a fresh import.
        return getattr(self.original, attribute)


class _Existing(importlib.abc.Loader):
    """Hands back a submodule that does not reload, without running it: it is
    out of ``sys.modules`` only so that importing it imports its reloading
    package first, as a fresh run would."""

    def __init__(self, run: Reexecution, module: types.ModuleType) -> None:
        self.run = run
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.spec
        self.run.unhide_below(module.__name__)


class Reexecution:
    """One sync's re-execution of ``modules`` (name -> existing module object,
    whose source is ``files[name]``).

    ``codes`` holds the new code of edited modules; the others run the code
    their loader gives. ``finished(name)`` is called as each re-execution
    finishes. ``new_module_removable(module)`` says whether a module that this
    run imported for the first time is to be removed again by ``restore()``.
    ``partial`` names the modules that others import through a cycle edge:
    they are seen partially re-executed. ``imported(name)`` says whether a
    fresh run imports a module at all.
    """

    def __init__(
        self,
        modules: Mapping[str, types.ModuleType],
        files: Mapping[str, str],
        codes: Mapping[str, types.CodeType],
        finished: Callable[[str], None],
        new_module_removable: Callable[[types.ModuleType], bool],
        relocated: Iterable[str] = (),
        partial: Iterable[str] = (),
        imported: Callable[[str], bool] = lambda name: True,
    ) -> None:
        self.modules = dict(modules)
        self.imported = imported
        self.partial = set(partial)
        #: Modules whose source moved (``dep.py`` became ``dep/__init__.py``):
        #: the import system finds their new spec, which they keep.
        self.relocated = set(relocated)
        self.codes = codes
        self.finished = finished
        self.new_module_removable = new_module_removable
        self.specs = {name: _spec(name, m, files[name]) for name, m in self.modules.items()}
        self.contents = {name: dict(module.__dict__) for name, module in self.modules.items()}
        #: Modules not re-executed yet (out of sys.modules until they are).
        self.waiting = set(self.modules)
        #: The innermost module whose code raised, and the exception.
        self.culprit: str | None = None
        self._culprit_error: BaseException | None = None
        #: What was imported before: taken now, so that a run interrupted
        #: while it waits for an import lock restores nothing it did not do.
        self._before = set(sys.modules)
        #: Packages that do not reload but hold (or held) a reloading submodule.
        self._parents: dict[str, types.ModuleType] = {}
        #: Of those, the ones whose attribute of a submodule's name was not
        #: that submodule (deleted, or another object): what it was, to put
        #: back after the import system binds the submodule there.
        self._shadowed: list[tuple[types.ModuleType, str, object]] = []
        self._finder = _Finder(self)
        #: Loaded submodules of reloading packages that do not reload
        #: themselves, out of ``sys.modules`` while the run lasts.
        self._hidden: dict[str, types.ModuleType] = {}
        #: Of those, the ones directly under each package (hidden or reloading).
        self._hidden_children: dict[str, dict[str, types.ModuleType]] = {}
        self._locks: list[Any] = []

    # -- the run ----------------------------------------------------------------

    def run(self, plan: Iterable[str]) -> None:
        """Re-execute every module, importing them in ``plan`` order."""
        # Another thread importing a reloading module waits for the sync on
        # that module's import lock, and then finds the module back in place.
        for name in sorted(self.modules):
            lock = _bootstrap._get_module_lock(name)
            lock.acquire()
            self._locks.append(lock)
        for name, module in self.modules.items():
            parent, _, child = name.rpartition(".")
            parent_module = sys.modules.get(parent) if parent else None
            if parent_module is None:
                continue
            if parent not in self.modules:
                self._parents[parent] = parent_module
                self.contents.setdefault(parent, dict(parent_module.__dict__))
            bound = parent_module.__dict__.get(child, _ABSENT)
            if bound is module:
                # So that ``from package import child`` imports it again.
                delattr(parent_module, child)
            elif parent not in self.modules:
                self._shadowed.append((parent_module, child, bound))
        for name in self.modules:
            del sys.modules[name]
        packages = tuple(f"{name}." for name, m in self.modules.items() if hasattr(m, "__path__"))
        if packages:
            for name, module in list(sys.modules.items()):
                if name.startswith(packages) and isinstance(module, types.ModuleType):
                    self._hidden[name] = module
                    parent = name.rpartition(".")[0]
                    self._hidden_children.setdefault(parent, {})[name] = module
                    del sys.modules[name]
        sys.meta_path.insert(0, self._finder)
        try:
            for name in plan:
                if name in self.waiting:
                    importlib.import_module(name)
        finally:
            sys.meta_path.remove(self._finder)
            self._unhide()

    def _unhide(self) -> None:
        """Put back the submodules nobody imported during the run. One that
        its reloading package held before the run, and that a fresh run still
        imports, goes back there too: the package's code ran before that
        submodule's first import (as the package held it), and a fresh run's
        first import binds it on the package over what the package's code
        bound under its name."""
        hidden = list(self._hidden.items())
        self._hidden.clear()
        for name, module in hidden:
            sys.modules.setdefault(name, module)
        # Only once all are back: a package's ``__setattr__`` may import one.
        for name, module in hidden:
            parent, _, child = name.rpartition(".")
            if (
                parent in self.modules
                and self.contents[parent].get(child) is module
                and self.imported(name)
            ):
                setattr(self.modules[parent], child, module)
        self._hidden_children.clear()

    def unhide_below(self, package: str) -> None:
        """A package that does not reload is back in ``sys.modules``: its
        hidden submodules go back too (and theirs, down to a reloading one), so
        that importing one later binds nothing on the package. Its original
        import bound them there, and its own code may have rebound the name
        since (``from .sub import sub``); a fresh run binds a submodule on its
        package only when it first imports it."""
        stack = [package]
        while stack:
            for name, module in self._hidden_children.get(stack.pop(), {}).items():
                self._hidden.pop(name, None)
                sys.modules.setdefault(name, module)
                stack.append(name)

    def spec_for(self, name: str) -> importlib.machinery.ModuleSpec | None:
        hidden = self._hidden.pop(name, None)
        if hidden is not None:
            spec = importlib.machinery.ModuleSpec(name, _Existing(self, hidden))
            return spec
        if name not in self.waiting:
            return None
        if name in self.relocated:
            parent = name.rpartition(".")[0]
            path = getattr(sys.modules.get(parent), "__path__", None) if parent else None
            found = importlib.machinery.PathFinder.find_spec(name, path) or self.specs[name]
            self.specs[name] = found
            _adopt(self.modules[name], found)
        spec = copy.copy(self.specs[name])
        spec.loader = _Loader(self, name, spec.loader)
        return spec

    def execute(self, name: str, module: types.ModuleType) -> None:
        self.waiting.discard(name)
        original = self.specs[name]
        namespace = module.__dict__
        if name in self.partial:
            # Seen through a cycle edge while it runs: with only the names its
            # new code has defined so far, as Python shows a partial module.
            # Its submodules that do not reload stay bound, as importing them bound them.
            kept = {
                key: value
                for key, value in namespace.items()
                if key in _IMPORT_ATTRIBUTES or sys.modules.get(f"{name}.{key}") is value
            }
            namespace.clear()
            namespace.update(kept)
            put_back = self.contents[name]
        else:
            put_back = self._unbind_shadowing(name, namespace)
        try:
            code = self.codes.get(name) or _current_code(name, original)
            exec(code, namespace)  # noqa: S102 - a module's own code, as import runs it
        except BaseException as error:
            if error is not self._culprit_error:
                self.culprit, self._culprit_error = name, error
            raise
        finally:
            module.__spec__ = original
        for key, value in put_back.items():
            # What the new version stops defining stays, as importlib.reload keeps it.
            namespace.setdefault(key, value)
        self.finished(name)

    def _unbind_shadowing(self, name: str, namespace: dict[str, Any]) -> dict[str, Any]:
        """Take out of a reloading package's namespace what it binds under a
        submodule's name other than that submodule (its old code's ``sub =
        _s.sub``), and return it: when a fresh run's package code starts, that
        name is unbound, so its ``from . import sub`` binds the submodule."""
        if "__path__" not in namespace:
            return {}
        taken: dict[str, Any] = {}
        for key, value in list(namespace.items()):
            full = f"{name}.{key}"
            sub = sys.modules.get(full) or self.modules.get(full) or self._hidden.get(full)
            if sub is not None and sub is not value:
                taken[key] = namespace.pop(key)
        return taken

    # -- afterwards -------------------------------------------------------------

    def commit(self) -> None:
        """Keep the re-executed modules (the import system has put each back
        on its package, and a package that does not reload keeps what it had
        bound under a submodule's name, as its code left it)."""
        for package, child, bound in self._shadowed:
            if bound is _ABSENT:
                package.__dict__.pop(child, None)
            else:
                setattr(package, child, bound)
        self._release()

    def restore(self) -> None:
        """Undo the run: every module's contents, ``sys.modules`` and package
        attributes as before; workspace modules it imported first removed."""
        for name in sorted(set(sys.modules) - self._before):
            module = sys.modules[name]
            if isinstance(module, types.ModuleType) and self.new_module_removable(module):
                del sys.modules[name]
                parent, _, child = name.rpartition(".")
                parent_module = sys.modules.get(parent)
                if getattr(parent_module, child, None) is module:
                    delattr(parent_module, child)
        for parent, package in self._parents.items():
            # Packages that did not reload get back exactly their contents.
            package.__dict__.clear()
            package.__dict__.update(self.contents[parent])
        for name, module in self.modules.items():
            namespace = module.__dict__
            namespace.clear()
            namespace.update(self.contents[name])
            sys.modules[name] = module
        self._release()

    def _release(self) -> None:
        while self._locks:
            self._locks.pop().release()


def _spec(name: str, module: types.ModuleType, file: str) -> importlib.machinery.ModuleSpec:
    """The module's spec; one from its source file if it has none (a module
    that replaced itself in ``sys.modules`` by a hand-made one)."""
    spec = getattr(module, "__spec__", None) or importlib.util.spec_from_file_location(name, file)
    assert spec is not None
    return spec


def _adopt(module: types.ModuleType, spec: importlib.machinery.ModuleSpec) -> None:
    """Give a module whose source moved the attributes of its new location."""
    module.__file__ = spec.origin
    module.__cached__ = spec.cached  # type: ignore[attr-defined]
    module.__loader__ = spec.loader
    if spec.submodule_search_locations is None:
        module.__dict__.pop("__path__", None)


def _current_code(name: str, spec: importlib.machinery.ModuleSpec) -> types.CodeType:
    """The code of a module's unchanged source, through the bytecode cache
    like any source import (whatever loader first imported it)."""
    assert isinstance(spec.origin, str)
    code = importlib.machinery.SourceFileLoader(name, spec.origin).get_code(name)
    assert code is not None
    return code
