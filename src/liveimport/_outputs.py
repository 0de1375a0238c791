"""A4: which notebook cells' outputs came from code that has since reloaded.

Each run of a cell that has a frontend cell id is remembered by its source
only, which costs nothing per cell. What a cell read is worked out (one
``ast.parse`` of the cell) only when a sync has reloaded something, and then
once per run of the cell.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping
from typing import Any, Protocol

from ._text import join_names

#: A chain of names a cell loads: ``("np",)``, ``("pkg", "sub", "f")``.
Chain = tuple[str, ...]


class Registrations(Protocol):
    """What the analysis asks the engine."""

    def bound_modules(self, namespace: MutableMapping[str, Any]) -> dict[str, tuple[str, ...]]: ...

    def tracked(self) -> frozenset[str]: ...

    def affected_by(self, reloaded: Iterable[str]) -> frozenset[str]: ...


def reads(source: str) -> frozenset[Chain]:
    """The names ``source`` loads (``ast.Name`` in a load context), each with
    the attribute chain read through it (``m.f`` gives ``("m", "f")`` and
    ``("m",)``). Source that does not parse reads nothing."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    found: set[Chain] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found.add((node.id,))
        elif isinstance(node, ast.Attribute):
            attributes = [node.attr]
            value = node.value
            while isinstance(value, ast.Attribute):
                attributes.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                found.add((value.id, *reversed(attributes)))
    return frozenset(found)


def used_modules(
    chains: Collection[Chain],
    bound: Mapping[str, tuple[str, ...]],
    namespace: Mapping[str, object],
    tracked: Collection[str],
) -> set[str]:
    """The modules a cell that read ``chains`` used: those of each registered
    name it read, and the tracked modules reached by attribute access through
    a registered name bound to a module (``pkg.sub.f`` reaches ``pkg.sub``)."""
    used: set[str] = set()
    for chain in chains:
        head = chain[0]
        if head not in bound:
            continue
        used.update(bound[head])
        value = namespace.get(head)
        if not isinstance(value, types.ModuleType):
            continue
        prefix = value.__name__
        for attribute in chain[1:]:
            prefix = f"{prefix}.{attribute}"
            if prefix in tracked:
                used.add(prefix)
    return used


#: One run of a cell: its execution count, its raw source and the source
#: IPython ran when it says (IPython 9; else transformed when needed).
_Run = tuple[int, str, str]


class CellOutputs:
    """The last run of each cell, by the frontend's cell id."""

    def __init__(self, transform: Callable[[str], str]) -> None:
        self.transform = transform
        self.runs: dict[str, _Run] = {}
        #: cell id -> (the run analysed, what it read): analysed once per run.
        self._reads: dict[str, tuple[_Run, frozenset[Chain]]] = {}

    def ran(self, cell_id: str, count: int | None, raw: str, source: str | None) -> None:
        """A cell ran (again): what it read replaces what its last run read.
        ``raw`` empty: it ran nothing of its own (its input was rejected).
        This is on every cell's path, so it only remembers."""
        self.runs[cell_id] = (count or 0, raw, source or "")

    def _chains(self, cell_id: str, run: _Run) -> frozenset[Chain]:
        cached = self._reads.get(cell_id)
        if cached is not None and cached[0] is run:
            return cached[1]
        try:
            source = run[2] or self.transform(run[1])
        except Exception:  # noqa: BLE001 - what IPython cannot transform reads nothing
            source = ""
        chains = reads(source)
        self._reads[cell_id] = (run, chains)
        return chains

    def stale(
        self,
        engine: Registrations,
        namespace: MutableMapping[str, Any],
        reloaded: Collection[str],
        *,
        running: str | None,
    ) -> list[int]:
        """Execution counts of the cells (other than the one now running) whose
        last run used a registered name or module that ``reloaded`` changed:
        one of them, or one depending on them."""
        if not self.runs or not reloaded:
            return []
        bound = engine.bound_modules(namespace)
        if not bound:
            return []
        affected = engine.affected_by(reloaded)
        tracked = engine.tracked()
        counts = [
            run[0]
            for cell_id, run in self.runs.items()
            if cell_id != running
            and not affected.isdisjoint(
                used_modules(self._chains(cell_id, run), bound, namespace, tracked)
            )
        ]
        return sorted(counts)


def stale_output_notice(counts: Collection[int]) -> str | None:
    """``"Outputs of [3] and [7] came from code that has since reloaded"``."""
    if not counts:
        return None
    cells = join_names([f"[{count}]" for count in sorted(counts)])
    noun = "Output" if len(counts) == 1 else "Outputs"
    return f"{noun} of {cells} came from code that has since reloaded"
