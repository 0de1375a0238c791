"""Helpers for the fault matrix: an execution log that survives reloads, and
state snapshots compared by identity ("nothing the user can see changed").

Public names only (plus ``_api.engine().check_invariants()`` via the root
conftest). Nothing here imports IPython.
"""

from __future__ import annotations

import sys
import textwrap
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

import liveimport

#: Appended to a module's source: records each execution of the module in the
#: ``_li_fault_log`` module, which has no file and is therefore never tracked.
#: ``__import__`` adds no import dependency.
LOG = "\n__import__('_li_fault_log').events.append(__name__)\n"


@pytest.fixture
def log() -> Iterator[list[str]]:
    """Names of logged modules in the order they executed."""
    module = types.ModuleType("_li_fault_log")
    module.events = []  # type: ignore[attr-defined]
    sys.modules["_li_fault_log"] = module
    try:
        yield module.events  # type: ignore[attr-defined]
    finally:
        del sys.modules["_li_fault_log"]


@pytest.fixture
def ns() -> dict[str, Any]:
    return {"__name__": "notebook"}


def imp(namespace: dict[str, Any], src: str, **kw: Any) -> None:
    """Execute import source for real in ``namespace``, then register it."""
    exec(textwrap.dedent(src), namespace)
    liveimport.register(namespace, src, **kw)


@dataclass
class State:
    """What a user can see: modules (object and ``__dict__`` by identity),
    namespaces (by identity), registrations and the tracked graph."""

    modules: dict[str, tuple[object, dict[str, object]]]
    namespaces: list[tuple[dict[str, Any], dict[str, object]]]
    registered: list[list[str]]
    graph: tuple[object, ...]


def capture(module_names: list[str], *namespaces: dict[str, Any]) -> State:
    mods: dict[str, tuple[object, dict[str, object]]] = {}
    for name in module_names:
        module = sys.modules[name]
        mods[name] = (module, dict(vars(module)))
    status = liveimport.status()
    graph = (
        tuple((m.name, m.file, m.registered, m.imported_by, m.depends_on) for m in status.modules),
        status.workspace,
        tuple((n.name, n.statements) for n in status.namespaces),
    )
    return State(
        mods,
        [(ns, dict(ns)) for ns in namespaces],
        [liveimport.registered(ns) for ns in namespaces],
        graph,
    )


def _same_dict(label: str, before: Mapping[str, object], after: Mapping[str, object]) -> None:
    assert list(before) == list(after), f"{label}: names differ"
    changed = [k for k in before if before[k] is not after[k]]
    assert not changed, f"{label}: values replaced: {changed}"


def assert_unchanged(before: State) -> None:
    """Everything captured in ``before`` is still there, object for object."""
    for name, (module, contents) in before.modules.items():
        assert sys.modules.get(name) is module, f"sys.modules[{name!r}] was replaced"
        _same_dict(f"module {name}", contents, vars(module))
    for namespace, contents in before.namespaces:
        _same_dict("namespace", contents, namespace)
    after = capture([], *[ns for ns, _ in before.namespaces])
    assert after.registered == before.registered
    assert after.graph == before.graph


def states() -> dict[str, str]:
    return {m.name: m.state for m in liveimport.status().modules}


@pytest.fixture
def ab(modules, log, ns):
    """``a`` imports ``b``; the namespace registered ``from a import fa`` and
    ``from b import fb``."""
    modules.write("b", "def fb(): return 'b1'\n" + LOG)
    modules.write("a", "from b import fb\ndef fa(): return 'a1:' + fb()\n" + LOG)
    imp(ns, "from a import fa\nfrom b import fb")
    log.clear()
    return ns
