"""Generate benchmark workloads: N modules in a seeded random DAG of top-level imports.

Module ``i`` imports one to three modules with a lower index, so index order is a
dependency order, every module depends (transitively) on module 0 (the *root*),
and the module with the highest index is imported by nothing (the *leaf*).

Two variants:

* ``plain``: a handful of lines per module;
* ``realistic``: about 300 lines per module with constants, an enum, dataclasses,
  classes with methods, functions, nested imports (inside ``def``, ``try`` and
  ``if TYPE_CHECKING``, which are not top-level imports) and top-level uses of the
  names imported from its dependencies.

The workload directory also holds ``workload.json`` describing it for the driver.
"""

from __future__ import annotations

import compileall
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

VARIANTS = ("plain", "realistic")


@dataclass(frozen=True)
class Workload:
    directory: str
    variant: str
    n: int
    names: list[str]  # dependency order (index order)
    deps: dict[str, list[str]]
    root: str
    leaf: str
    lines: int

    @property
    def files(self) -> list[str]:
        return [str(Path(self.directory) / f"{name}.py") for name in self.names]

    def register_source(self) -> str:
        return "".join(f"import {name}\n" for name in self.names)


def module_name(i: int) -> str:
    return f"wl{i:04d}"


def _plain_module(i: int, deps: list[tuple[int, bool]]) -> str:
    name = module_name(i)
    out = [f'"""Generated plain module {name}."""', ""]
    uses = []
    for j, as_from in deps:
        dep = module_name(j)
        if as_from:
            out.append(f"from {dep} import VALUE_{j:04d}")
            uses.append(f"VALUE_{j:04d}")
        else:
            out.append(f"import {dep}")
            uses.append(f"{dep}.VALUE_{j:04d}")
    out.append("")
    out.append(f"VALUE_{i:04d} = {i}" + "".join(f" + {u}" for u in uses))
    out.append("")
    out.append("")
    out.append(f"def f_{i:04d}(x=1):")
    out.append(f"    return VALUE_{i:04d} * x")
    out.append("")
    return "\n".join(out)


def _realistic_module(i: int, deps: list[tuple[int, bool]], rng: random.Random) -> str:
    name = module_name(i)
    tag = f"{i:04d}"
    out: list[str] = [
        f'"""Generated realistic module {name}.',
        "",
        "Functions, classes, dataclasses and constants, about 300 lines, with top-level",
        "imports of its dependencies and a few nested imports that do not count.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import dataclasses",
        "import enum",
        "import functools",
        "import math",
        "from dataclasses import dataclass, field",
        "from typing import TYPE_CHECKING, Any",
        "",
    ]
    uses = []
    for j, as_from in deps:
        dep = module_name(j)
        if as_from:
            out.append(f"from {dep} import CONST_{j:04d}_0, helper_{j:04d}_0")
            uses.append(f"CONST_{j:04d}_0")
        else:
            out.append(f"import {dep}")
            uses.append(f"{dep}.CONST_{j:04d}_0")
    out += [
        "",
        "if TYPE_CHECKING:",
        "    from collections.abc import Iterable, Sequence",
        "",
        "try:",
        "    import json as _json",
        "except ImportError:  # pragma: no cover",
        "    _json = None",
        "",
    ]
    for k in range(6):
        out.append(f"CONST_{tag}_{k} = {rng.randint(0, 10_000)}")
    out.append(f'NAME_{tag} = "{name}"')
    out.append(f"TABLE_{tag} = {{" + ", ".join(f'"k{k}": {k * i}' for k in range(8)) + "}")
    out.append(f"DERIVED_{tag} = CONST_{tag}_0" + "".join(f" + {u}" for u in uses))
    out += [
        "",
        "",
        f"class Color{tag}(enum.Enum):",
        "    RED = 1",
        "    GREEN = 2",
        "    BLUE = 3",
        "",
    ]
    block = 0
    while len(out) < 285:
        # Mostly functions, some classes, a few dataclasses (costly to create).
        kind = (2, 1, 2, 0, 2, 1, 2)[block % 7]
        b = f"{tag}_{block}"
        if kind == 0:
            out += [
                "",
                "@dataclass",
                f"class Record{b}:",
                f'    """A record with a few fields ({name}, block {block})."""',
                "",
                "    ident: int = 0",
                '    label: str = ""',
                "    weight: float = 1.0",
                "    tags: list[str] = field(default_factory=list)",
                "",
                "    def total(self) -> float:",
                "        return self.ident * self.weight + len(self.tags)",
                "",
                "    def renamed(self, label: str) -> Any:",
                "        return dataclasses.replace(self, label=label)",
                "",
            ]
        elif kind == 1:
            out += [
                "",
                f"class Engine{b}:",
                f'    """A small stateful class ({name}, block {block})."""',
                "",
                f"    LIMIT = {rng.randint(1, 100)}",
                "",
                "    def __init__(self, size: int = 3) -> None:",
                "        self.size = size",
                "        self.items: list[int] = []",
                "",
                "    def push(self, value: int) -> None:",
                "        if len(self.items) >= self.LIMIT:",
                "            self.items.pop(0)",
                "        self.items.append(value)",
                "",
                "    @property",
                "    def mean(self) -> float:",
                "        return sum(self.items) / len(self.items) if self.items else 0.0",
                "",
                "    @functools.lru_cache(maxsize=8)  # noqa: B019",
                "    def scaled(self, factor: int) -> list[int]:",
                "        return [v * factor for v in self.items]",
                "",
                "    def __repr__(self) -> str:",
                f'        return f"Engine{b}(size={{self.size}})"',
                "",
            ]
        else:
            out += [
                "",
                f"def compute_{b}(x: int, y: int = 2, *values: int) -> float:",
                f'    """Compute something ({name}, block {block})."""',
                "    import os  # a nested import: not a top-level import",
                "",
                "    total = 0.0",
                "    for v in range(x):",
                "        if v % 3 == 0:",
                "            total += v * y",
                "        elif v % 3 == 1:",
                "            total -= math.sqrt(v)",
                "        else:",
                "            total += len(os.sep)",
                "    for v in values:",
                f"        total += v * CONST_{tag}_1",
                "    return total",
                "",
                "",
                f"def transform_{b}(items: Iterable[int]) -> list[int]:",
                "    result = []",
                "    for item in items:",
                "        try:",
                f"            result.append(item // (CONST_{tag}_2 + 1))",
                "        except ZeroDivisionError:",
                "            result.append(0)",
                "    return sorted(result)",
                "",
            ]
        block += 1
    # helper_X_0 is what dependents import with ``from X import helper_X_0``.
    out += ["", f"def helper_{tag}_0(x: int) -> int:", f"    return x + CONST_{tag}_3", ""]
    out += [
        "",
        f"def summary_{tag}() -> dict[str, Any]:",
        f'    return {{"name": NAME_{tag}, "derived": DERIVED_{tag}}}',
        "",
    ]
    return "\n".join(out)


def generate(directory: Path, variant: str, n: int, seed: int = 5) -> Workload:
    """Write the workload into ``directory`` (created), precompile it, describe it."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}-{variant}-{n}")
    names = [module_name(i) for i in range(n)]
    deps: dict[str, list[str]] = {}
    lines = 0
    for i in range(n):
        k = rng.randint(1, min(3, i)) if i else 0
        chosen = sorted(rng.sample(range(i), k))
        spec = [(j, rng.random() < 0.5) for j in chosen]
        deps[names[i]] = [module_name(j) for j in chosen]
        plain = variant == "plain"
        source = _plain_module(i, spec) if plain else _realistic_module(i, spec, rng)
        lines += source.count("\n") + 1
        (directory / f"{names[i]}.py").write_text(source)
    # Warm bytecode: the import floor and every measurement see the same warm .pyc.
    compileall.compile_dir(str(directory), quiet=2, workers=1)
    workload = Workload(
        directory=str(directory),
        variant=variant,
        n=n,
        names=names,
        deps=deps,
        root=names[0],
        leaf=names[-1],
        lines=lines,
    )
    (directory / "workload.json").write_text(json.dumps(asdict(workload)))
    return workload
