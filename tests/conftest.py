"""Shared fixtures: a builder of real module files, a notebook-like namespace,
"execute then register" (``imp``), the execution log, and a fresh LiveImport
per test; each test's reports are kept on it for teardown code. Plain helper functions are in the ``helpers`` package beside this.

Nothing here imports IPython: the core tests also run in a venv without it.
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
import types
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import liveimport
from helpers import Log
from liveimport import ReloadEvent, _api

# CI runs the suites against a built wheel installed in a venv; it names the
# venv here so that a run which picked up the checkout's src/ instead fails.
_INSTALLED_IN = os.environ.get("LIVEIMPORT_TEST_INSTALLED")
if _INSTALLED_IN and not Path(liveimport.__file__).resolve().is_relative_to(
    Path(_INSTALLED_IN).resolve()
):
    raise pytest.UsageError(
        f"liveimport was imported from {liveimport.__file__}, not from {_INSTALLED_IN}"
    )


def pytest_report_header() -> str:
    return f"liveimport {liveimport.__version__} from {Path(liveimport.__file__).parent}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Each phase's report stays on the test item (``item.rep_setup``,
    ``item.rep_call``), so teardown code can tell whether the test failed."""
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report


#: Every write moves this virtual clock forward one second, so each version of a
#: file has its own mtime whatever the filesystem's timestamp granularity.
_EPOCH_NS = 1_700_000_000 * 10**9


class ModuleBuilder:
    """Writes real modules under ``root`` (which is on ``sys.path``).

    ``write("pkg.mod", src)`` creates ``pkg/mod.py``; ``write("pkg", src,
    package=True)`` creates ``pkg/__init__.py``. Every write sets the file's
    mtime explicitly with ``os.utime(..., ns=...)``.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.clock_ns = _EPOCH_NS

    def path(self, name: str, *, package: bool = False) -> Path:
        parts = name.split(".")
        if package:
            return self.root.joinpath(*parts, "__init__.py")
        return self.root.joinpath(*parts[:-1], parts[-1] + ".py")

    def tick(self) -> int:
        self.clock_ns += 10**9
        return self.clock_ns

    def write(
        self,
        name: str,
        source: str = "",
        *,
        package: bool = False,
        mtime_ns: int | None = None,
    ) -> Path:
        top = name.split(".")[0]
        if top in sys.modules and not self._ours(sys.modules[top]):
            raise AssertionError(f"test module name {top!r} collides with a real module")
        path = self.path(name, package=package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        self.set_mtime(path, mtime_ns)
        importlib.invalidate_caches()
        return path

    def set_mtime(self, path: Path, mtime_ns: int | None = None) -> int:
        ns = self.tick() if mtime_ns is None else mtime_ns
        os.utime(path, ns=(ns, ns))
        return ns

    def touch(self, name: str, *, package: bool = False) -> int:
        """A new mtime, same content: LiveImport must see a change."""
        return self.set_mtime(self.path(name, package=package))

    def _ours(self, module: object) -> bool:
        file = getattr(module, "__file__", None)
        paths = list(getattr(module, "__path__", []) or [])
        candidates = ([file] if file else []) + paths
        return any(str(p).startswith(str(self.root)) for p in candidates)

    def cleanup(self) -> None:
        for name, module in list(sys.modules.items()):
            if module is not None and self._ours(module):
                del sys.modules[name]


@pytest.fixture
def modules(tmp_path: Path) -> Iterator[ModuleBuilder]:
    root = tmp_path / "src"
    root.mkdir()
    builder = ModuleBuilder(root)
    sys.path.insert(0, str(root))
    liveimport.workspace(root)
    old_cwd = os.getcwd()
    try:
        yield builder
    finally:
        os.chdir(old_cwd)
        if str(root) in sys.path:
            sys.path.remove(str(root))
        builder.cleanup()
        importlib.invalidate_caches()


@pytest.fixture(autouse=True)
def fresh_liveimport() -> Iterator[None]:
    """Each test starts from a reset LiveImport and default settings, and leaves
    the engine's internal invariants intact."""
    liveimport.reset()
    _api.engine().check_invariants()
    saved = _api.SETTINGS.__dict__.copy()
    try:
        yield
        _api.engine().check_invariants()
    finally:
        _api.SETTINGS.__dict__.update(saved)
        liveimport.reset()


@pytest.fixture
def outside_modules(tmp_path: Path, modules: ModuleBuilder) -> Iterator[ModuleBuilder]:
    """A second builder whose directory is on ``sys.path`` (after the workspace
    one) but is NOT in the workspace: its modules are never tracked indirectly."""
    root = tmp_path / "outside"
    root.mkdir()
    builder = ModuleBuilder(root)
    sys.path.append(str(root))
    try:
        yield builder
    finally:
        if str(root) in sys.path:
            sys.path.remove(str(root))
        builder.cleanup()
        importlib.invalidate_caches()


@pytest.fixture
def ns() -> dict[str, Any]:
    """A fresh namespace standing in for a notebook's globals()."""
    return {"__name__": "notebook"}


@pytest.fixture
def imp(ns: dict[str, Any]) -> Callable[..., None]:
    """``imp(src, namespace=None, **kw)``: execute the import source for real in
    the namespace (default ``ns``), then register it, as ``%%liveimport`` does."""

    def run(src: str, namespace: dict[str, Any] | None = None, **kw: Any) -> None:
        target = ns if namespace is None else namespace
        exec(textwrap.dedent(src), target)
        liveimport.register(target, src, **kw)

    return run


@pytest.fixture
def log() -> Iterator[Log]:
    """The execution log (``helpers.Log``), empty at the start of the test."""
    record = Log()
    module = types.ModuleType(Log.MODULE)
    module.events = record.events  # type: ignore[attr-defined]
    sys.modules[Log.MODULE] = module
    try:
        yield record
    finally:
        del sys.modules[Log.MODULE]


class Scenario:
    """Write logged modules, register statements, edit, sync: the steps most
    reload tests take, in one place. Every module written through it logs its
    executions (``log.line``); a name in ``packages`` is written as a package's
    ``__init__.py``."""

    def __init__(self, modules: ModuleBuilder, imp: Callable[..., None], log: Log) -> None:
        self.modules = modules
        self.imp = imp
        self.log = log

    def write(self, sources: Mapping[str, str], *, packages: Collection[str] = ()) -> None:
        for name, source in sources.items():
            self.modules.write(name, source + self.log.line, package=name in packages)

    def start(
        self,
        sources: Mapping[str, str],
        statements: str,
        *,
        packages: Collection[str] = (),
        **register: Any,
    ) -> list[str]:
        """Write ``sources``, execute and register ``statements``; return the
        modules that executed (the fresh run's finish order), and clear the log."""
        self.write(sources, packages=packages)
        self.imp(statements, **register)
        executed = list(self.log.events)
        self.log.clear()
        return executed

    def sync(
        self, edits: Mapping[str, str] | None = None, *, packages: Collection[str] = ()
    ) -> list[ReloadEvent]:
        """Write ``edits`` (with the log cleared first), then ``liveimport.sync()``."""
        self.log.clear()
        self.write(edits or {}, packages=packages)
        return liveimport.sync()


@pytest.fixture
def scenario(modules: ModuleBuilder, imp: Callable[..., None], log: Log) -> Scenario:
    """A ``Scenario`` over this test's ``modules``, ``imp`` and ``log``."""
    return Scenario(modules, imp, log)
