"""The public functions: check arguments, then delegate to the default engine."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from typing import Any

from ._engine import Engine
from ._errors import ModuleError
from ._events import Observer, ReloadEvent
from ._settings import SETTINGS
from ._status import ModuleStatus, NamespaceStatus, Status

_engine = Engine()


def engine() -> Engine:
    """The engine behind the module-level functions."""
    return _engine


def _check_namespace(function: str, namespace: object) -> MutableMapping[str, Any]:
    if not isinstance(namespace, MutableMapping):
        raise TypeError(
            f"{function}: namespace must be a dict such as globals(), "
            f"not {type(namespace).__name__}"
        )
    return namespace


def _check_flag(function: str, name: str, value: object) -> None:
    # A truthy string such as "no" must not silently clear registrations.
    if not isinstance(value, bool):
        raise TypeError(f"{function}: {name} must be True or False, not {value!r}")


def register(
    namespace: MutableMapping[str, Any],
    importstmts: str,
    *,
    package: str = "",
    clear: bool = False,
    allow_other_statements: bool = False,
) -> None:
    """Register import statements that have already run in ``namespace``.

    ``importstmts`` is Python source (dedented first). Only top-level
    ``import``/``from ... import`` statements count; any other top-level
    statement raises ``ValueError`` unless ``allow_other_statements`` is true.
    Nothing is executed: every module the statements reference must already be
    in ``sys.modules`` and every name they bind must already be in
    ``namespace``, otherwise ``ValueError`` says what is missing. Relative
    imports resolve against ``package`` (``ImportError`` if they cannot).
    ``clear=True`` first forgets this namespace's earlier registrations.

    Raises ``TypeError`` for arguments of the wrong type (flags must be real
    booleans), ``SyntaxError`` for
    invalid source; on any error nothing is registered.
    """
    ns = _check_namespace("register", namespace)
    if not isinstance(importstmts, str):
        raise TypeError(
            f"register: importstmts must be a string of Python source, "
            f"not {type(importstmts).__name__}"
        )
    if not isinstance(package, str):
        raise TypeError(f"register: package must be a string, not {type(package).__name__}")
    _check_flag("register", "clear", clear)
    _check_flag("register", "allow_other_statements", allow_other_statements)
    _engine.register(
        ns,
        importstmts,
        package=package,
        clear=clear,
        allow_other_statements=allow_other_statements,
    )


def sync(*, observer: Observer | None = None) -> list[ReloadEvent]:
    """Reload every tracked module whose source changed, then every tracked
    module that depends on one of them, in dependency order, then rebind the
    registered names. Returns the reloads as ``ReloadEvent``s, in reload order.

    Atomic: on failure every module is restored, nothing is rebound, and
    ``ModuleError`` is raised; the next ``sync()`` retries.

    ``observer``, if given, is called with each event after the sync has
    committed, in reload order; a failed sync calls it for nothing. If it
    raises, the sync stands and the exception reaches the caller.
    """
    if observer is not None and not callable(observer):
        raise TypeError(f"sync: observer must be callable, not {type(observer).__name__}")
    return _engine.sync(observer=observer)


def workspace(*directories: str | os.PathLike[str], extend: bool = False) -> None:
    """Set (or with ``extend=True``, add to) the directories whose modules are
    tracked when a tracked module imports them. No directories: an empty
    workspace. A missing path or a non-directory raises ``ValueError`` and
    changes nothing."""
    _check_flag("workspace", "extend", extend)
    _engine.set_workspace(directories, extend=extend)


def auto_sync(
    enabled: bool | None = None,
    *,
    grace: float | None = None,
    report: bool | None = None,
    on_error: str | None = None,
) -> None:
    """Configure the automatic sync before each notebook cell.

    ``enabled`` turns it on or off, ``grace`` is the number of seconds after a
    cell finishes during which the next cell does not sync (so "Run All" sees
    one frozen codebase), ``report`` shows or hides reload reports, and
    ``on_error`` is ``"stop"`` (a failed sync stops the cell) or ``"warn"``
    (show the error and run the cell on the previous code). ``None`` leaves a
    setting unchanged; a bad value raises ``ValueError`` and changes nothing.
    """
    SETTINGS.update(enabled=enabled, grace=grace, report=report, on_error=on_error)


def hidden_cell_magic(enabled: bool) -> None:
    """Turn recognition of ``#_%%liveimport`` cells on or off (on by default)."""
    SETTINGS.set_hidden_magic(enabled)


def registered(namespace: MutableMapping[str, Any]) -> list[str]:
    """The registrations of ``namespace`` as single-binding statements, in
    effective order (later ones win)."""
    return _engine.registered(_check_namespace("registered", namespace))


def status() -> Status:
    """A snapshot of tracked modules, the workspace and the registrations."""
    return _engine.status()


def poll_lazy_imports() -> None:
    """Start tracking registered modules that were imported lazily and have
    loaded since.

    With Python 3.15's lazy imports (PEP 810), ``lazy import m`` binds a
    placeholder and loads ``m`` only when the name is first used. ``register()``
    accepts such a statement (the placeholder in the namespace is the evidence
    that it ran) but cannot track a module that is not loaded yet; this call
    tracks every such module that has loaded by now, so later syncs reload it.
    On a Python without lazy imports there is never anything to do. Returns
    ``None``.
    """
    _engine.poll_lazy_imports()


#: How many times ``reset()`` has run (the notebook layer notices a reset that
#: dropped the changes of a failed sync).
_resets = 0


def reset() -> None:
    """Forget every registration and tracked module and return the workspace
    to its default, as if LiveImport had just been imported. The
    ``auto_sync()`` and ``hidden_cell_magic()`` settings are kept.

    Changes that have not loaded yet (a failed sync's, or one not run yet) are
    dropped with the rest: the modules keep the code they run now, and once
    registered again they count from their files' current state, so those
    edits load only at the files' next change."""
    global _resets
    _engine.reset()
    _resets += 1


def reset_count() -> int:
    """How many times ``reset()`` has run in this process."""
    return _resets


#: Everything ``liveimport`` exports (its ``__all__``) and ``poll_lazy_imports``.
#: Modules below the package use this to recognise the public surface; they
#: cannot import the package itself without an import cycle.
PUBLIC: tuple[object, ...] = (
    auto_sync, hidden_cell_magic, poll_lazy_imports, register, registered, reset, status,
    sync, workspace, ModuleError, ReloadEvent, ModuleStatus, NamespaceStatus, Status,
)  # fmt: skip
