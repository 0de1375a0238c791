"""Helpers shared by every test suite: one of each, imported as ``helpers``.

``Log`` records module executions; ``names``, ``modstatus``, ``states`` and
``tracked`` read the public ``status()``; ``snapshot`` and ``assert_unchanged``
check that nothing a user can see changed (A1, §5); ``triples`` reads events;
``write_source`` writes a file with an explicit mtime; ``run_python`` runs a
fresh interpreter. The fixtures built on them (``ns``, ``imp``, ``log``,
``modules``, and ``scenario``: write logged modules, register, edit, sync)
are in ``tests/conftest.py``. Beside this: the fresh-import oracle
(``oracle``), the C4 model (``c4model``), scripted edits (``edits``), the
status picture's geometry (``svg_geometry``), contrast ratios (``contrast``)
and a real IPython shell (``ipython_shell``).

Public names only, and nothing here imports IPython (``ipython_shell`` does,
and only the shell and docs suites use it): the core suites run in a venv
without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import liveimport
from liveimport import ReloadEvent
from liveimport._status import ModuleStatus


class Log:
    """Names of modules in the order they executed.

    A module whose source includes ``log.line`` appends its ``__name__`` to
    ``events`` each time it executes. The list lives in the module ``lilog``,
    which has no file (so it is never tracked or reloaded); ``__import__``
    adds no import dependency.
    """

    MODULE = "lilog"
    line = f"\n__import__({MODULE!r}).events.append(__name__)\n"

    def __init__(self) -> None:
        self.events: list[Any] = []

    def clear(self) -> None:
        self.events.clear()


def names(events: Iterable[ReloadEvent]) -> list[str]:
    """The modules of ``events``, in order."""
    return [e.module for e in events]


def triples(events: Iterable[ReloadEvent]) -> list[tuple[str, str, set[str]]]:
    """Each event's module, reason and ``after`` (as a set), in order (C6)."""
    return [(e.module, e.reason, set(e.after)) for e in events]


def modstatus() -> dict[str, ModuleStatus]:
    """``status().modules`` by module name."""
    return {m.name: m for m in liveimport.status().modules}


def states() -> dict[str, str]:
    """Each tracked module's state (A3)."""
    return {m.name: m.state for m in liveimport.status().modules}


def tracked() -> set[str]:
    """The names of the tracked modules."""
    return {m.name for m in liveimport.status().modules}


@dataclass
class Snapshot:
    """What a user can see: modules (object and ``__dict__`` by identity),
    namespaces (by identity), registrations and the tracked graph."""

    modules: dict[str, tuple[object, dict[str, object]]]
    namespaces: list[tuple[dict[str, Any], dict[str, object]]]
    registered: list[list[str]]
    graph: tuple[object, ...]


def snapshot(module_names: Iterable[str], *namespaces: dict[str, Any]) -> Snapshot:
    """Capture the modules named, the namespaces given, their registrations
    and the tracked graph, for ``assert_unchanged``."""
    mods = {name: (sys.modules[name], dict(vars(sys.modules[name]))) for name in module_names}
    status = liveimport.status()
    graph = (
        tuple((m.name, m.file, m.registered, m.imported_by, m.depends_on) for m in status.modules),
        status.workspace,
        tuple((n.name, n.statements) for n in status.namespaces),
    )
    return Snapshot(
        mods,
        [(ns, dict(ns)) for ns in namespaces],
        [liveimport.registered(ns) for ns in namespaces],
        graph,
    )


def _same_dict(label: str, before: Mapping[str, object], after: Mapping[str, object]) -> None:
    assert list(before) == list(after), f"{label}: names differ"
    changed = [k for k in before if before[k] is not after[k]]
    assert not changed, f"{label}: values replaced: {changed}"


def assert_unchanged(before: Snapshot) -> None:
    """Everything captured in ``before`` is still there, object for object."""
    for name, (module, contents) in before.modules.items():
        assert sys.modules.get(name) is module, f"sys.modules[{name!r}] was replaced"
        _same_dict(f"module {name}", contents, vars(module))
    for namespace, contents in before.namespaces:
        _same_dict("namespace", contents, namespace)
    after = snapshot([], *[ns for ns, _ in before.namespaces])
    assert after.registered == before.registered
    assert after.graph == before.graph


def write_source(path: Path, text: str, clock: list[int]) -> None:
    """Write ``text`` to ``path`` (creating its directory) with the next mtime
    of ``clock`` (``[nanoseconds]``, one second further each write), for code
    that builds module trees without the ``modules`` fixture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    clock[0] += 10**9
    os.utime(path, ns=(clock[0], clock[0]))


def run_python(
    *args: str,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with ``args`` in a new process, capturing its text
    output; with ``check`` (the default) it must exit 0 (its stderr is shown
    when it does not)."""
    out = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=None if env is None else dict(env),
        timeout=timeout,
        check=False,
    )
    if check:
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-6000:]
    return out
