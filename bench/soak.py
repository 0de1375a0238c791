"""Soak test: thousands of random edit/sync cycles checked against an oracle.

    python bench/soak.py --cycles 10000 --seed 1

A generated package (``soak_<seed>``) has leaf modules with random imports
between them -- ``import p.m``, ``from p import m``, ``from p.m import f``,
``from p.m import *`` (with and without ``__all__``), relative imports in a
subpackage, and back edges that make import cycles. Three namespaces register
imports of it; one registers every module, the others a random, changing mix in
which several statements bind the same name.

Each cycle edits files (new versions, new imports, touches, mtimes going
backwards, deletions and restorations), sometimes injects a fault (syntax error,
exception, ``SystemExit``, ``KeyboardInterrupt``, a deleted name), sometimes
registers or reassigns names, then calls ``liveimport.sync()`` and checks the
result against an oracle that knows only the generated sources and Python's
import semantics -- never LiveImport's internals:

* failed syncs change nothing (every module ``__dict__``, ``sys.modules`` and
  every namespace compared object by object) and raise ``ModuleError`` (or let
  ``KeyboardInterrupt`` through); a sync with a fault in what it had to reload
  must fail;
* a successful sync reloads exactly the changed files plus their dependents
  (missing files excepted), each module at most once, every dependency that is
  not part of a cycle first, with matching events; every changed file is
  reloaded by the next successful sync and every module then runs its file's
  current version;
* no stale references between modules: a module's ``from b import f`` is
  ``b.f`` once ``b`` reloaded (unless both are in one import cycle);
* C3: in each namespace a name is rebound only when its last registered binder
  references a reloaded module, to that statement's value; nothing else changes.

Module executions are recorded through a side channel (a file-less
``_soak_log`` module that module code appends to).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import random
import shutil
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field

import liveimport

LOG_MODULE = "_soak_log"
FAULTS = ("syntax", "raise", "exit", "interrupt", "delname", "delete")


# -- the generated package ----------------------------------------------------------


@dataclass
class Edge:
    """One top-level import in a module's source."""

    style: str  # "attr" | "mod" | "from" | "star" | "rel_from" | "rel_mod"
    target: str  # full module name


@dataclass
class Spec:
    name: str  # full module name
    ident: str  # short unique identifier, used in its names
    package: bool = False
    version: int = 0
    edges: list[Edge] = field(default_factory=list)
    has_all: bool = False
    fault: str | None = None  # a fault written into the file
    missing: bool = False  # the file is deleted


class Package:
    def __init__(self, root: str, top: str, rng: random.Random, n_leaves: int, n_sub: int):
        self.root = root
        self.top = top
        self.rng = rng
        self.clock = 1_700_000_000 * 10**9
        self.back_clock = 1_000_000_000 * 10**9
        self.specs: dict[str, Spec] = {}
        self.specs[top] = Spec(top, "pk", package=True)
        self.specs[f"{top}.sub"] = Spec(f"{top}.sub", "sp", package=True)
        self.leaves = [f"{top}.m{i:02d}" for i in range(n_leaves)]
        self.leaves += [f"{top}.sub.s{i:02d}" for i in range(n_sub)]
        for name in self.leaves:
            spec = Spec(name, name.rpartition(".")[2], has_all=rng.random() < 0.5)
            self.specs[name] = spec
        for name in self.leaves:
            self.specs[name].edges = self.random_edges(name)

    # Source generation ---------------------------------------------------------

    def path(self, name: str) -> str:
        spec = self.specs[name]
        parts = name.split(".")
        if spec.package:
            return os.path.join(self.root, *parts, "__init__.py")
        return os.path.join(self.root, *parts[:-1], parts[-1] + ".py")

    def random_edges(self, name: str) -> list[Edge]:
        rng = self.rng
        index = self.leaves.index(name)
        edges: list[Edge] = []
        count = rng.choice((0, 1, 1, 2, 2, 3))
        for other in rng.sample(self.leaves, k=min(len(self.leaves), count)):
            if other == name:
                continue
            if self.leaves.index(other) > index:
                if rng.random() < 0.6:
                    continue  # keep cycles present but not everywhere
                # Back edges only as ``import p.m``: safe inside an import cycle.
                edges.append(Edge("attr", other))
                continue
            styles = ["attr", "mod", "from", "star"]
            if name.startswith(f"{self.top}.sub.") and other.startswith(f"{self.top}.sub."):
                styles += ["rel_from", "rel_mod"]
            elif name.startswith(f"{self.top}.sub."):
                styles += ["rel_from"]
            edges.append(Edge(rng.choice(styles), other))
        return edges

    def import_line(self, importer: str, edge: Edge) -> str:
        target = edge.target
        parent, _, last = target.rpartition(".")
        ident = self.specs[target].ident
        if edge.style == "attr":
            return f"import {target}"
        if edge.style == "mod":
            return f"from {parent} import {last}"
        if edge.style == "from":
            return f"from {target} import f_{ident}"
        if edge.style == "star":
            return f"from {target} import *"
        # Relative, from inside the subpackage.
        if target.startswith(f"{self.top}.sub."):
            return (
                f"from . import {last}"
                if edge.style == "rel_mod"
                else (f"from .{last} import f_{ident}")
            )
        return f"from ..{last} import f_{ident}"

    def source(self, name: str) -> str:
        spec = self.specs[name]
        ident = spec.ident
        lines = [
            f"V_{ident} = ({name!r}, {spec.version})",  # a distinct object per version
            f"def f_{ident}(): return ({name!r}, {spec.version})",
        ]
        if spec.has_all:
            lines.append(f"__all__ = ['f_{ident}', 'V_{ident}']")
        lines += [self.import_line(name, edge) for edge in spec.edges]
        lines.append(f"__import__({LOG_MODULE!r}).events.append(__name__)")
        fault = spec.fault
        if fault == "syntax":
            lines.append("def broken(:")
        elif fault == "raise":
            lines.append("raise RuntimeError('soak fault')")
        elif fault == "exit":
            lines.append("raise SystemExit('soak fault')")
        elif fault == "interrupt":
            lines.append("raise KeyboardInterrupt")
        elif fault == "delname":
            lines.append(f"del f_{ident}")
        return "\n".join(lines) + "\n"

    def write(self, name: str, *, backwards: bool = False) -> None:
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if backwards:
            self.back_clock += 10**9
            mtime = self.back_clock
        else:
            self.clock += 10**9
            mtime = self.clock
        tmp = path + ".tmp"
        with open(tmp, "w") as handle:
            handle.write(self.source(name))
        os.utime(tmp, ns=(mtime, mtime))
        os.replace(tmp, path)  # what editors do; a reader never sees half a file
        self.specs[name].missing = False

    # The dependency graph, from the sources (C4) -------------------------------

    def targets(self, name: str) -> set[str]:
        spec = self.specs[name]
        found: set[str] = set()
        for edge in spec.edges:
            found.add(edge.target)
            if edge.style == "attr":
                # ``import a.b.c`` binds ``a``: it depends on every part (C4).
                parts = edge.target.split(".")
                found.update(".".join(parts[:i]) for i in range(1, len(parts)))
            if edge.style in ("mod", "rel_mod"):
                found.add(edge.target.rpartition(".")[0])
        found.discard(name)
        return found


# -- the oracle's helpers -----------------------------------------------------------


def sccs(nodes: set[str], deps: dict[str, set[str]]) -> dict[str, int]:
    """Strongly connected component id of each node (plain recursive Tarjan;
    the graphs here are small)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    comp: dict[str, int] = {}
    counter = [0, 0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in deps.get(v, ()):
            if w not in nodes:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            while True:
                w = stack.pop()
                on.discard(w)
                comp[w] = counter[1]
                if w == v:
                    break
            counter[1] += 1

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return comp


def star_names(module: object) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [n for n in vars(module) if not n.startswith("_")]


@dataclass(frozen=True)
class Stmt:
    """A single-binding registered statement, as ``registered()`` prints it."""

    kind: str  # "import" | "from"
    module: str
    name: str = ""
    asname: str = ""

    def __str__(self) -> str:
        alias = f" as {self.asname}" if self.asname else ""
        if self.kind == "import":
            return f"import {self.module}{alias}"
        return f"from {self.module} import {self.name}{alias}"

    def references(self) -> set[str]:
        refs = {self.module}
        if self.kind == "import" and self.asname and "." in self.module:
            refs.add(self.module.rpartition(".")[0])  # x is an attribute of a.b (C3)
        if self.kind == "from" and self.name != "*":
            sub = f"{self.module}.{self.name}"
            if isinstance(sys.modules.get(sub), types.ModuleType):
                refs.add(sub)
        return refs

    def binds(self) -> dict[str, object]:
        """What executing the statement now binds (Python's semantics)."""
        if self.kind == "import":
            if self.asname:
                # Python binds a.b's attribute c (falling back to the module).
                parts = self.module.split(".")
                value: object = sys.modules[parts[0]]
                for i in range(1, len(parts)):
                    value = getattr(value, parts[i], None) or sys.modules[".".join(parts[: i + 1])]
                return {self.asname: value}
            top = self.module.partition(".")[0]
            return {top: sys.modules[top]}
        module = sys.modules[self.module]
        if self.name == "*":
            return {n: getattr(module, n) for n in star_names(module)}
        return {self.asname or self.name: getattr(module, self.name)}


# -- the soak ----------------------------------------------------------------------


@dataclass
class Result:
    cycles: int = 0
    syncs_ok: int = 0
    syncs_failed: int = 0
    reloads: int = 0
    faults: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULTS, 0))
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def faults_injected(self) -> int:
        return sum(self.faults.values())


class Soak:
    def __init__(self, seed: int, root: str, n_leaves: int = 12, n_sub: int = 4) -> None:
        self.rng = random.Random(seed)
        self.top = f"soak_{seed}_{os.getpid()}"
        self.pkg = Package(root, self.top, self.rng, n_leaves, n_sub)
        self.result = Result()
        self.log = types.ModuleType(LOG_MODULE)
        self.log.events = []  # type: ignore[attr-defined]
        self.dirty: set[str] = set()  # written since the last successful sync
        self.namespaces: list[dict[str, object]] = []
        self.stmts: list[list[Stmt]] = []  # effective order per namespace
        self.cycle = 0

    # Setup --------------------------------------------------------------------

    def setup(self) -> None:
        sys.modules[LOG_MODULE] = self.log
        for name in self.pkg.specs:
            self.pkg.write(name)
        sys.path.insert(0, self.pkg.root)
        importlib.invalidate_caches()
        for name in self.pkg.specs:
            importlib.import_module(name)
        liveimport.reset()
        liveimport.workspace(self.pkg.root)
        every = [Stmt("import", name) for name in self.pkg.specs]
        self.namespaces = [{"__name__": f"soak_ns{i}"} for i in range(3)]
        self.stmts = [[], [], []]
        self.register(0, every)
        for k in (1, 2):
            self.register(k, [self.random_stmt() for _ in range(6)])

    def teardown(self) -> None:
        liveimport.reset()
        with contextlib.suppress(ValueError):
            sys.path.remove(self.pkg.root)
        for name in list(sys.modules):
            if name == self.top or name.startswith(self.top + "."):
                del sys.modules[name]
        sys.modules.pop(LOG_MODULE, None)

    def random_stmt(self) -> Stmt:
        rng = self.rng
        target = rng.choice(self.pkg.leaves)
        ident = self.pkg.specs[target].ident
        parent, _, last = target.rpartition(".")
        choice = rng.randrange(7)
        if choice == 0:
            return Stmt("from", target, f"f_{ident}")
        if choice == 1:
            return Stmt("from", target, f"f_{ident}", "same")  # several bind "same"
        if choice == 2:
            return Stmt("from", target, f"V_{ident}", "same")
        if choice == 3:
            return Stmt("from", target, "*")
        if choice == 4:
            return Stmt("import", target, "", "alias_" + ident)
        if choice == 5:
            return Stmt("from", parent, last)
        return Stmt("import", target)

    def register(self, k: int, stmts: list[Stmt]) -> bool:
        """Execute the statements for real in namespace ``k``, then register
        them (as ``%%liveimport`` does). Returns False if they cannot run now."""
        ns = self.namespaces[k]
        source = "\n".join(str(s) for s in stmts)
        try:
            exec(source, ns)  # noqa: S102 - running the user's import, as a cell would
        except (ImportError, AttributeError):
            return False  # e.g. a name a committed fault deleted
        liveimport.register(ns, source)
        for stmt in stmts:
            if stmt in self.stmts[k]:
                self.stmts[k].remove(stmt)
            self.stmts[k].append(stmt)
        return True

    # One cycle -----------------------------------------------------------------

    def violation(self, message: str) -> None:
        self.result.violations.append(f"cycle {self.cycle}: {message}")

    def mutate(self) -> None:
        rng = self.rng
        pkg = self.pkg
        specs = pkg.specs
        # Fix pending faults most of the time (fixing the file is all it takes).
        for spec in specs.values():
            if spec.fault and rng.random() < 0.6:
                spec.fault = None
                spec.version += 1
                pkg.write(spec.name)
                self.dirty.add(spec.name)
            if spec.missing and rng.random() < 0.5:
                spec.version += 1
                pkg.write(spec.name)  # comes back: counts as changed
                self.dirty.add(spec.name)
        for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
            name = rng.choice(pkg.leaves if rng.random() < 0.9 else list(specs))
            spec = specs[name]
            if spec.missing:
                continue
            op = rng.random()
            if op < 0.45:
                spec.version += 1
            elif op < 0.6 and not spec.package:
                spec.edges = pkg.random_edges(name)  # imports come and go
                spec.version += 1
            elif op < 0.7 and not spec.package:
                spec.has_all = not spec.has_all
                spec.version += 1
            pkg.write(name, backwards=0.85 < op < 0.92)  # else a touch
            self.dirty.add(name)
        if rng.random() < 0.12:
            name = rng.choice(pkg.leaves)
            spec = specs[name]
            if not spec.missing:
                fault = rng.choice(FAULTS)
                self.result.faults[fault] += 1
                if fault == "delete":
                    os.remove(pkg.path(name))
                    spec.missing = True
                else:
                    spec.fault = fault
                    spec.version += 1
                    pkg.write(name)
                    self.dirty.add(name)
        importlib.invalidate_caches()
        if rng.random() < 0.08:
            k = rng.choice((1, 2))
            stmts = [self.random_stmt() for _ in range(rng.randint(1, 2))]
            if rng.random() < 0.3 and self.stmts[k]:
                stmts = [rng.choice(self.stmts[k])]  # re-registration moves it last
            self.register(k, stmts)
        if rng.random() < 0.05:
            k = rng.choice((1, 2))
            names = [n for n in self.namespaces[k] if not n.startswith("__")]
            if names:
                self.namespaces[k][rng.choice(names)] = ("user value", self.cycle)

    def graph(self) -> dict[str, set[str]]:
        return {name: self.pkg.targets(name) for name in self.pkg.specs}

    def snapshot(self) -> tuple[dict[str, tuple[object, dict[str, object]]], list[dict]]:
        modules = {}
        for name in self.pkg.specs:
            module = sys.modules[name]
            modules[name] = (module, dict(vars(module)))
        return modules, [dict(ns) for ns in self.namespaces]

    def same_as(self, before: tuple, what: str) -> None:
        modules, namespaces = before
        for name, (module, contents) in modules.items():
            if sys.modules.get(name) is not module:
                self.violation(f"{what}: sys.modules[{name!r}] replaced")
                continue
            now = vars(module)
            if now.keys() != contents.keys() or any(now[k] is not v for k, v in contents.items()):
                self.violation(f"{what}: module {name} changed")
        for k, (ns, old) in enumerate(zip(self.namespaces, namespaces, strict=True)):
            if ns.keys() != old.keys() or any(ns[n] is not v for n, v in old.items()):
                self.violation(f"{what}: namespace {k} changed")

    def run_cycle(self) -> None:
        self.cycle += 1
        self.mutate()
        specs = self.pkg.specs
        graph = self.graph()
        dependents: dict[str, set[str]] = {name: set() for name in specs}
        for name, targets in graph.items():
            for target in targets:
                dependents[target].add(name)
        changed = {n for n in self.dirty if not specs[n].missing}
        expected = set(changed)
        stack = list(changed)
        while stack:
            for dependent in dependents[stack.pop()]:
                if dependent not in expected:
                    expected.add(dependent)
                    stack.append(dependent)
        expected = {n for n in expected if not specs[n].missing}
        # C4 (r2): a cycle edge through which a module holds only module
        # objects does not make it reload, so ``expected`` (every importer) is
        # an upper bound; an importer that takes names must always reload.
        takes_names: dict[str, set[str]] = {name: set() for name in specs}
        for name, spec in specs.items():
            for edge in spec.edges:
                if edge.style in ("from", "star", "rel_from") and edge.target != name:
                    takes_names[edge.target].add(name)
        at_least = set(changed)
        stack = list(changed)
        while stack:
            for dependent in takes_names[stack.pop()]:
                if dependent not in at_least:
                    at_least.add(dependent)
                    stack.append(dependent)
        self.at_least = {n for n in at_least if not specs[n].missing}
        must_fail = any(specs[n].fault == "syntax" for n in changed) or any(
            specs[n].fault in ("raise", "exit", "interrupt") for n in self.at_least
        )
        before = self.snapshot()
        start = len(self.log.events)  # type: ignore[attr-defined]
        try:
            events = liveimport.sync()
        except liveimport.ModuleError as error:
            self.after_failure(before, error.module, must_fail)
            return
        except KeyboardInterrupt:
            self.after_failure(before, None, must_fail)
            return
        ran = self.log.events[start:]  # type: ignore[attr-defined]
        self.after_success(before, events, ran, changed, expected, graph, must_fail)

    def after_failure(self, before: tuple, module: str | None, must_fail: bool) -> None:
        self.result.syncs_failed += 1
        self.same_as(before, "failed sync")
        faulty = {n for n, s in self.pkg.specs.items() if s.fault}
        # A dependent may fail because a faulty module deleted a name it uses.
        deleted_a_name = any(self.pkg.specs[n].fault == "delname" for n in faulty)
        if module is not None and module not in faulty and not deleted_a_name:
            self.violation(f"sync failed on {module}, which has no fault")
        if not faulty:
            self.violation("sync failed with no fault in the package")

    def after_success(
        self,
        before: tuple,
        events: list[liveimport.ReloadEvent],
        ran: list[str],
        changed: set[str],
        expected: set[str],
        graph: dict[str, set[str]],
        must_fail: bool,
    ) -> None:
        specs = self.pkg.specs
        self.result.syncs_ok += 1
        self.result.reloads += len(events)
        if must_fail:
            self.violation(f"sync succeeded despite a fault in {sorted(expected)}")
        order = [e.module for e in events]
        if order != ran:
            self.violation(f"events {order} != executions {ran}")
        if len(set(ran)) != len(ran):
            self.violation(f"a module ran twice: {ran}")
        if not self.at_least <= set(ran) <= expected:
            self.violation(
                f"reloaded {sorted(set(ran))}, expected {sorted(expected)} "
                f"(changed {sorted(changed)})"
            )
        for event in events:
            want = "modified" if event.module in changed else "dependent"
            if event.reason != want:
                self.violation(f"{event.module} reason {event.reason}, expected {want}")
        comp = sccs(set(specs), graph)
        position = {name: i for i, name in enumerate(ran)}
        for name in ran:
            for dep in graph[name]:
                if dep in position and comp[dep] != comp[name] and position[dep] > position[name]:
                    self.violation(f"{name} reloaded before its dependency {dep}")
        self.dirty -= changed
        # Every present module runs its file's current version.
        for name, spec in specs.items():
            if spec.missing:
                continue
            module = sys.modules[name]
            if getattr(module, f"V_{spec.ident}", None) != (name, spec.version):
                self.violation(f"{name} runs an old version")
        self.check_references(comp)
        self.check_namespaces(before[1], set(ran))

    def check_references(self, comp: dict[str, int]) -> None:
        """No stale references between modules outside a common cycle."""
        specs = self.pkg.specs
        for name, spec in specs.items():
            if spec.package or spec.missing:
                continue
            module = sys.modules[name]
            expect: dict[str, tuple[str, str]] = {}
            for edge in spec.edges:
                target = edge.target
                ident = specs[target].ident
                last = target.rpartition(".")[2]
                if edge.style in ("mod", "rel_mod"):
                    expect[last] = (target, "")
                elif edge.style in ("from", "rel_from"):
                    expect[f"f_{ident}"] = (target, f"f_{ident}")
                elif edge.style == "star":
                    for n in star_names(sys.modules[target]):
                        expect[n] = (target, n)
            for n, (target, attr) in expect.items():
                if comp[target] == comp[name] or specs[target].missing:
                    continue
                value = sys.modules[target] if not attr else getattr(sys.modules[target], attr)
                if vars(module).get(n) is not value:
                    self.violation(f"{name}.{n} is stale (from {target})")

    def check_namespaces(self, before: list[dict], reloaded: set[str]) -> None:
        """C3, computed from the registered statements and Python's semantics."""
        for k, ns in enumerate(self.namespaces):
            stmts = self.stmts[k]
            if liveimport.registered(ns) != [str(s) for s in stmts]:
                self.violation(f"registered(ns{k}) differs")
            last: dict[str, Stmt] = {}
            values: dict[Stmt, dict[str, object]] = {}
            for stmt in stmts:
                try:
                    values[stmt] = stmt.binds()
                except (KeyError, AttributeError):
                    values[stmt] = {}
                for n in values[stmt]:
                    last[n] = stmt
            old = before[k]
            expected = dict(old)
            for n, stmt in last.items():
                if stmt.references() & reloaded:
                    expected[n] = values[stmt][n]
            if ns.keys() != expected.keys():
                self.violation(f"ns{k} names differ: {sorted(ns.keys() ^ expected.keys())}")
                continue
            for n, value in expected.items():
                if ns[n] is not value:
                    self.violation(f"ns{k}[{n!r}] is not what C3 says")


@contextlib.contextmanager
def _workdir() -> Iterator[str]:
    root = tempfile.mkdtemp(prefix="liveimport-soak-")
    try:
        yield os.path.realpath(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(cycles: int, seed: int, *, n_leaves: int = 12, n_sub: int = 4) -> Result:
    started = time.perf_counter()
    with _workdir() as root:
        soak = Soak(seed, root, n_leaves, n_sub)
        soak.setup()
        try:
            for _ in range(cycles):
                soak.run_cycle()
                soak.result.cycles += 1
                if len(soak.result.violations) > 50:
                    break
        finally:
            soak.teardown()
    soak.result.seconds = time.perf_counter() - started
    return soak.result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modules", type=int, default=12, help="leaf modules in the package")
    parser.add_argument("--sub", type=int, default=4, help="leaf modules in the subpackage")
    args = parser.parse_args(argv)
    result = run(args.cycles, args.seed, n_leaves=args.modules, n_sub=args.sub)
    faults = ", ".join(f"{k} {v}" for k, v in result.faults.items())
    print(f"cycles run:       {result.cycles}")
    print(f"syncs:            {result.syncs_ok} succeeded, {result.syncs_failed} failed")
    print(f"modules reloaded: {result.reloads}")
    print(f"faults injected:  {result.faults_injected} ({faults})")
    print(f"violations found: {len(result.violations)}")
    for violation in result.violations[:20]:
        print("  " + violation)
    print(f"time:             {result.seconds:.1f} s")
    return 1 if result.violations else 0


if __name__ == "__main__":
    sys.exit(main())
