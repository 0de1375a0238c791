"""C4's dependency model: a simulated fresh run of the registered imports.

``ImportModel`` replays, without running anything, what a fresh interpreter
would do: import the registered modules in registration order, each module's
parent package first, then its top-level imports in source order. From that
replay come the finish order, the cycle edges (an import of a module that is
still being imported further up the chain) and the dependency edges, and from
those the set of modules a change makes reload and the order to re-execute
them in. Everything here is pure: the caller says which modules are tracked,
what each imports and which names are submodules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from ._imports import Step, parents

#: ``is_submodule(package, name)``: whether ``from package import name`` binds
#: the submodule ``package.name``.
SubmoduleTest = Callable[[str, str], bool]


@dataclass(frozen=True, slots=True)
class Edge:
    """``importer`` depends on ``imported``. ``cycle``: the replay met
    ``imported`` still being imported; ``names``: the importer takes names
    from it (not only module objects)."""

    importer: str
    imported: str
    cycle: bool
    names: bool

    @property
    def propagates(self) -> bool:
        """Whether a reload of ``imported`` makes ``importer`` reload (C4)."""
        return not self.cycle or self.names


#: A unit of the replay's work: ``("import", importer, name, names)`` imports
#: ``name``'s parent packages and then ``name``; ``("run", name, actions)``
#: executes a module's imports; ``("end", name)`` finishes it.
_Task = tuple[Any, ...]


@dataclass(slots=True)
class _Replay:
    steps: Mapping[str, Sequence[Step]]
    is_submodule: SubmoduleTest
    finish: list[str] = field(default_factory=list)
    #: name -> replay time when it started / finished (one clock for both).
    started: dict[str, int] = field(default_factory=dict)
    finished: dict[str, int] = field(default_factory=dict)
    running: set[str] = field(default_factory=set)
    #: The replay's time when the registered imports are done: modules started
    #: before it are what a fresh run of them imports.
    from_roots: int = 0
    imports: dict[str, list[str]] = field(default_factory=dict)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)

    def run(self, roots: Iterable[str]) -> None:
        for root in roots:
            self._import(root)
        self.from_roots = len(self.started) + len(self.finished)
        for name in sorted(self.steps):
            self._import(name)

    def _import(self, root: str) -> None:
        """Import ``root`` as the fresh run would, iteratively (a deep chain
        must not need a deep Python stack)."""
        stack: list[_Task] = [("import", None, root, None)]
        while stack:
            task = stack.pop()
            if task[0] == "run":
                action = next(task[2], None)
                if action is not None:
                    stack.append(task)
                    stack.append(("import", task[1], *action))
            elif task[0] == "end":
                self.running.discard(task[1])
                self.finished[task[1]] = len(self.started) + len(self.finished)
                self.finish.append(task[1])
            elif task[0] == "import":
                # Python imports the parent packages first, each completely
                # unless it is already running; only then the module itself.
                stack.append(("imported", *task[1:]))
                stack.extend(
                    ("import", task[1], parent, None)
                    for parent in reversed(parents(task[2]))
                    if parent in self.steps and parent not in self.started
                )
            else:
                self._enter(task[1], task[2], task[3], stack)

    def _enter(
        self, importer: str | None, name: str, names: bool | None, stack: list[_Task]
    ) -> None:
        """``importer`` imports ``name`` (its parents done); ``names`` is None
        for an import that makes no dependency, else whether names are taken."""
        if name not in self.steps:
            return
        if importer is not None:
            self.imports[importer].append(name)
            if names is not None:
                key = (importer, name)
                if key not in self.edges:
                    cycle = name in self.running
                    self.edges[key] = Edge(importer, name, cycle, names)
                elif names and not self.edges[key].names:
                    old = self.edges[key]
                    self.edges[key] = Edge(importer, name, old.cycle, True)
        if name in self.started:
            return
        self.started[name] = len(self.started) + len(self.finished)
        # A package still running when its submodule starts: the submodule
        # runs inside the package's import (they form one nest).
        self.imports[name] = [p for p in parents(name) if p in self.running]
        self.running.add(name)
        stack.append(("end", name))
        stack.append(("run", name, self._actions(name)))

    def _actions(self, name: str) -> Iterator[tuple[str, bool | None]]:
        for step in self.steps[name]:
            if not step.is_from:
                # ``import a.b.c`` imports and depends on a, a.b and a.b.c.
                for part in (*parents(step.module), step.module):
                    yield part, False
                continue
            # While a package is still running (its own ``from . import sub``,
            # or an import through a cycle edge), the name binds the submodule
            # even when the package's later code rebinds it (``sub = _s.sub``):
            # what the package holds now does not say. Nor does it say whether
            # the package's earlier code bound the name already, in which case
            # another module's import takes that: it depends on both.
            running = step.module in self.running
            subs: list[str] = []
            unsure = False
            for n in step.names:
                if n == "*":
                    continue
                if self.is_submodule(step.module, n):
                    subs.append(n)
                elif running and f"{step.module}.{n}" in self.steps:
                    subs.append(n)
                    unsure = unsure or step.module != name
            yield step.module, (True if unsure or len(subs) < len(step.names) else None)
            for sub in subs:
                yield f"{step.module}.{sub}", False


class ImportModel:
    """The replay's results for one set of tracked modules."""

    def __init__(
        self,
        roots: Iterable[str],
        steps: Mapping[str, Sequence[Step]],
        is_submodule: SubmoduleTest,
    ) -> None:
        replay = _Replay(steps, is_submodule)
        replay.run(roots)
        #: Modules in the order the fresh run finishes them.
        self.finish: list[str] = replay.finish
        self.position = {name: index for index, name in enumerate(self.finish)}
        self.edges: list[Edge] = list(replay.edges.values())
        self._edge = replay.edges
        self.depends_on: dict[str, list[str]] = {name: [] for name in self.finish}
        self._propagates_to: dict[str, list[str]] = {}
        for edge in self.edges:
            if edge.importer != edge.imported:
                self.depends_on[edge.importer].append(edge.imported)
                if edge.propagates:
                    self._propagates_to.setdefault(edge.imported, []).append(edge.importer)
        self._started = replay.started
        self._finished = replay.finished
        self._from_roots = replay.from_roots
        #: Members of import cycles -> the member the fresh run enters first.
        self.entry: dict[str, str] = {}
        for part in components(self.finish, replay.imports):
            if len(part) > 1:
                first = min(part, key=replay.started.__getitem__)
                for member in part:
                    self.entry[member] = first
        self._entries = sorted(set(self.entry.values()), key=self.position.__getitem__)

    def imported(self, name: str) -> bool:
        """Whether a fresh run of the registered imports imports ``name``."""
        return self._started.get(name, self._from_roots) < self._from_roots

    def causes(self, name: str) -> list[str]:
        """The modules whose reload makes ``name`` reload (propagating edges)."""
        edge = self._edge
        return [d for d in self.depends_on.get(name, ()) if edge[(name, d)].propagates]

    def dependents(self, name: str) -> list[str]:
        """Modules whose reload a reload of ``name`` causes directly."""
        return self._propagates_to.get(name, [])

    def reload_set(self, changed: Iterable[str]) -> set[str]:
        """The changed modules plus, transitively, their dependents (C4)."""
        result = {name for name in changed if name in self.position}
        stack = list(result)
        while stack:
            for dependent in self.dependents(stack.pop()):
                if dependent not in result:
                    result.add(dependent)
                    stack.append(dependent)
        return result

    def plan(self, reloading: AbstractSet[str]) -> list[str]:
        """The modules to import, in this order, to re-execute ``reloading`` the
        way a fresh run would. An import cycle whose entry reloads is entered
        there, and what the fresh run imports while that entry runs is reached
        by nesting, at the moment the fresh run imports it; everything else
        goes in finish order, each module after what it imports, so a long
        chain needs no deep stack. Last, in finish order, the modules the
        nesting may not reach (the caller skips those already re-executed)."""
        position, started, finished = self.position, self._started, self._finished
        spans = [(started[e], finished[e]) for e in self._entries if e in reloading]
        ordered = sorted((name for name in reloading if name in position), key=position.__getitem__)
        top = [n for n in ordered if not any(a < started[n] < b for a, b in spans)]
        return top + ordered

    def descends_from(self, name: str, changed: AbstractSet[str]) -> list[str]:
        """The changed modules whose reload made ``name`` reload, in finish order."""
        reverse: dict[str, list[str]] = {}
        for edge in self.edges:
            if edge.propagates:
                reverse.setdefault(edge.importer, []).append(edge.imported)
        seen = {name}
        stack = [name]
        while stack:
            for dep in reverse.get(stack.pop(), ()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        found = [m for m in seen if m in changed and m != name]
        return sorted(found, key=lambda m: self.position.get(m, -1))


def components(nodes: Iterable[str], depends_on: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of the graph on ``nodes`` (Tarjan),
    dependencies first, each component sorted by name."""
    node_set = set(nodes)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def successors(node: str) -> list[str]:
        return sorted({dep for dep in depends_on.get(node, ()) if dep in node_set and dep != node})

    for root in sorted(node_set):
        if root in index:
            continue
        # Iterative Tarjan: a work stack of (node, remaining successors).
        work: list[tuple[str, Iterator[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(successors(root))))
        while work:
            node, pending = work[-1]
            succ = next(pending, None)
            if succ is not None:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(successors(succ))))
                elif succ in on_stack:
                    low[node] = min(low[node], index[succ])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found
