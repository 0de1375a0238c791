"""An independent model of C4 (r2): the simulated fresh run, its cycle edges
and finish order, the reload set, and the order a fresh-import-like sync
re-executes the reloading modules in.

It reads real files under a workspace directory and knows only what the
contract says:

* importing a module first imports its parent package, then runs the module's
  top-level ``import``/``from`` statements (``ast`` body only) in source order,
  name by name; a module already imported is not imported again;
* ``import a.b.c`` imports (and makes the importer depend on) ``a``, ``a.b``,
  ``a.b.c``; ``from p import n`` imports ``p`` then ``p.n`` where that is a module,
  and depends on ``p`` only when some name is not a submodule;
* an import of a module still being imported further up the chain is a cycle
  edge; it makes the importer reload only when the importer takes names
  through it;
* the sync walks the registered statements the same way over the *new*
  sources, re-executing each reloading module when the walk first imports it
  (a module already in ``sys.modules`` and not reloading is not executed, so the
  walk does not descend into it), then the reloading modules it did not reach,
  in finish order.

Only modules whose files are under the workspace take part; others are
treated as already imported and never reloading.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    importer: str
    target: str
    cycle: bool
    takes_names: bool

    @property
    def propagates(self) -> bool:
        return not self.cycle or self.takes_names


@dataclass
class Simulation:
    finish: list[str] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def depends_on(self, module: str) -> set[str]:
        return {e.target for e in self.edges if e.importer == module}


def module_file(root: Path, name: str) -> Path | None:
    parts = name.split(".")
    package = root.joinpath(*parts, "__init__.py")
    if package.is_file():
        return package
    plain = root.joinpath(*parts[:-1], parts[-1] + ".py")
    return plain if plain.is_file() else None


class Workspace:
    """Module sources: files under ``root`` and/or the texts in ``sources``
    (``packages`` names the entries of ``sources`` that are packages)."""

    def __init__(
        self,
        root: Path | None = None,
        sources: dict[str, str] | None = None,
        packages: Iterable[str] = (),
    ) -> None:
        self.root = root
        self.sources = dict(sources or {})
        self.packages = set(packages)
        self._cache: dict[str, list[ast.stmt]] = {}

    def exists(self, name: str) -> bool:
        if name in self.sources:
            return True
        return self.root is not None and module_file(self.root, name) is not None

    def is_package(self, name: str) -> bool:
        if name in self.sources:
            return name in self.packages
        return (
            self.root is not None and self.root.joinpath(*name.split("."), "__init__.py").is_file()
        )

    def imports(self, name: str) -> list[ast.Import | ast.ImportFrom]:
        if name not in self._cache:
            if name in self.sources:
                text = self.sources[name]
            else:
                assert self.root is not None
                path = module_file(self.root, name)
                assert path is not None
                text = path.read_text(encoding="utf-8")
            try:
                self._cache[name] = ast.parse(text).body
            except SyntaxError:
                self._cache[name] = []
        return [n for n in self._cache[name] if isinstance(n, (ast.Import, ast.ImportFrom))]


def _from_module(importer: str | None, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    assert importer is not None
    base = importer if is_package else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{node.module}" if node.module else base


class _Runner:
    """One run over the registered statements (the simulation, or the sync's walk)."""

    def __init__(
        self,
        ws: Workspace,
        should_execute: Callable[[str], bool],
        on_finish: Callable[[str], None],
    ) -> None:
        self.ws = ws
        self.should_execute = should_execute
        self.on_finish = on_finish
        self.in_progress: set[str] = set()
        self.done: set[str] = set()
        self.edges: list[Edge] = []

    def visit(self, name: str) -> None:
        if not name or not self.ws.exists(name):
            return
        parent = name.rpartition(".")[0]
        if parent:
            self.visit(parent)
        if name in self.in_progress or name in self.done:
            return
        if not self.should_execute(name):
            self.done.add(name)
            return
        self.in_progress.add(name)
        self.run_statements(name, self.ws.imports(name))
        self.in_progress.discard(name)
        self.done.add(name)
        self.on_finish(name)

    def _edge(self, importer: str | None, target: str, cycle: bool, names: bool) -> None:
        if importer is not None and target != importer and self.ws.exists(target):
            self.edges.append(Edge(importer, target, cycle, names))

    def run_statements(self, importer: str | None, nodes: Iterable[ast.stmt]) -> None:
        is_pkg = importer is not None and self.ws.is_package(importer)
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    for i in range(1, len(parts) + 1):
                        target = ".".join(parts[:i])
                        cycle = target in self.in_progress
                        self.visit(target)
                        self._edge(importer, target, cycle, False)
            elif isinstance(node, ast.ImportFrom):
                base = _from_module(importer, is_pkg, node)
                base_cycle = base in self.in_progress
                self.visit(base)
                takes_names = False
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if alias.name != "*" and self.ws.exists(sub):
                        cycle = sub in self.in_progress
                        self.visit(sub)
                        self._edge(importer, sub, cycle, False)
                    else:
                        takes_names = True
                if takes_names:
                    self._edge(importer, base, base_cycle, True)


def statements_ast(statements: Iterable[str]) -> list[ast.stmt]:
    body: list[ast.stmt] = []
    for statement in statements:
        body.extend(ast.parse(statement).body)
    return body


def simulate(ws: Workspace, statements: Iterable[str]) -> Simulation:
    """The simulated fresh run of the registered ``statements``."""
    sim = Simulation()
    runner = _Runner(ws, lambda _name: True, sim.finish.append)
    runner.run_statements(None, statements_ast(statements))
    sim.edges = runner.edges
    return sim


def reload_set(sim: Simulation, changed: Iterable[str]) -> set[str]:
    """The changed modules plus, transitively, their dependents (C4 (r2))."""
    reloading = set(changed)
    grew = True
    while grew:
        grew = False
        for edge in sim.edges:
            if edge.target in reloading and edge.importer not in reloading and edge.propagates:
                reloading.add(edge.importer)
                grew = True
    return reloading


def reload_order(
    new_ws: Workspace,
    statements: Iterable[str],
    reloading: set[str],
    loaded_before: set[str],
) -> list[str]:
    """The order in which a fresh-import-like sync finishes re-executing the
    ``reloading`` modules, given the edited sources ``new_ws`` and the modules
    that were in ``sys.modules`` before the sync."""
    events: list[str] = []

    def execute(name: str) -> bool:
        return name in reloading or name not in loaded_before

    def finished(name: str) -> None:
        if name in reloading:
            events.append(name)

    stmts = list(statements)
    runner = _Runner(new_ws, execute, finished)
    runner.run_statements(None, statements_ast(stmts))
    for name in simulate(new_ws, stmts).finish:
        if name in reloading and name not in runner.done:
            runner.visit(name)
    return events


def expected_after(sim: Simulation, events: list[str]) -> dict[str, set[str]]:
    """C6 (r2) ``after``: the modules each one depends on whose reload finished
    before its own."""
    position = {m: i for i, m in enumerate(events)}
    return {
        m: {d for d in sim.depends_on(m) if d in position and position[d] < position[m]}
        for m in events
    }


#: C4 (r2)'s first worked example: seven plain-``import`` modules, E -> A
#: closing the cycle A -> C -> E -> A.
SEVEN = {
    "A": "import C\n",
    "B": "import C\nimport D\nimport G\n",
    "C": "import E\nimport F\n",
    "D": "import F\n",
    "E": "import A\n",
    "F": "",
    "G": "",
}
