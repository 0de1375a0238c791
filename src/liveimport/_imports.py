"""What a module's top-level import statements import, in source order (C4).

A source file's imports are kept as ``Step`` records, one per module an
``import`` names and one per ``from`` statement, so the dependency model can
replay them the way a fresh run executes them.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from ._statements import resolve


@dataclass(frozen=True, slots=True)
class Step:
    """One import a module's code performs at top level.

    ``import a.b.c`` (with or without ``as``) is ``Step("a.b.c", ())``;
    ``from p import x, y`` is ``Step("p", ("x", "y"))`` and ``from p import *``
    is ``Step("p", ("*",))``.
    """

    module: str
    names: tuple[str, ...] = ()

    @property
    def is_from(self) -> bool:
        return bool(self.names)


def import_steps(
    statements: Iterable[ast.Import | ast.ImportFrom], package: str
) -> tuple[Step, ...]:
    """The steps of a source file's top-level imports, relative ones resolved
    against ``package``. Relative imports that cannot resolve are left out
    (running them fails anyway); ``from __future__`` is a compiler directive."""
    steps: list[Step] = []
    for statement in statements:
        if isinstance(statement, ast.Import):
            steps.extend(Step(alias.name) for alias in statement.names)
            continue
        if statement.module == "__future__" and statement.level == 0:
            continue
        try:
            base = resolve(statement.module, statement.level, package)
        except ImportError:
            continue
        steps.append(Step(base, tuple(alias.name for alias in statement.names)))
    return tuple(steps)


@functools.lru_cache(maxsize=4096)
def parents(name: str) -> tuple[str, ...]:
    """``a.b.c`` -> ``("a", "a.b")``: the packages importing ``name`` imports first."""
    if "." not in name:
        return ()
    parts = name.split(".")
    return tuple(".".join(parts[:i]) for i in range(1, len(parts)))


def imported_modules(steps: Iterable[Step]) -> list[str]:
    """Every module name the steps may import, in order, parents first: the
    candidates for tracking (whether ``p.n`` is a module is decided later)."""
    found: dict[str, None] = {}
    for step in steps:
        found.update(dict.fromkeys(parents(step.module)))
        found[step.module] = None
        for name in step.names:
            if name != "*":
                found[f"{step.module}.{name}"] = None
    return list(found)
