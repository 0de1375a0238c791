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


@dataclass(slots=True)
class _Replay:
    steps: Mapping[str, Sequence[Step]]
    is_submodule: SubmoduleTest
    finish: list[str] = field(default_factory=list)
    started: dict[str, int] = field(default_factory=dict)
    running: set[str] = field(default_factory=set)
    imports: dict[str, list[str]] = field(default_factory=dict)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)

    def run(self, roots: Iterable[str]) -> None:
        for root in roots:
            self._import(None, root)
        for name in sorted(self.steps):
            self._import(None, name)

    def _import(self, importer: str | None, name: str) -> None:
        """Import ``name`` as the fresh run would, iteratively (a deep chain
        must not need a deep Python stack)."""
        stack: list[tuple[str | None, Iterator[tuple[str, bool | None]]]] = []
        self._enter(importer, name, None, stack)
        while stack:
            current, actions = stack[-1]
            action = next(actions, None)
            if action is None:
                stack.pop()
                if current is not None:
                    self.running.discard(current)
                    self.finish.append(current)
                continue
            target, names = action
            self._enter(current, target, names, stack)

    def _enter(
        self,
        importer: str | None,
        name: str,
        names: bool | None,
        stack: list[tuple[str | None, Iterator[tuple[str, bool | None]]]],
    ) -> None:
        """One import of ``name`` by ``importer``; ``names`` is None for a
        parent-package import (no dependency), else whether names are taken."""
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
        pending = [p for p in parents(name) if p in self.steps and p not in self.started]
        if pending:
            # Python imports the parent packages before it starts the module
            # (and one of them may import it): a frame of no module of its
            # own imports them, then ``name`` unless they imported it.
            stack.append((None, iter([*((p, None) for p in pending), (name, None)])))
            return
        self.started[name] = len(self.started)
        self.running.add(name)
        self.imports[name] = []
        stack.append((name, self._actions(name)))

    def _actions(self, name: str) -> Iterator[tuple[str, bool | None]]:
        # Parents first; a parent still running is the partial-package case.
        for parent in parents(name):
            yield parent, None
        for step in self.steps[name]:
            if not step.is_from:
                # ``import a.b.c`` imports and depends on a, a.b and a.b.c.
                for part in (*parents(step.module), step.module):
                    yield part, False
                continue
            for parent in parents(step.module):
                yield parent, None
            subs = [n for n in step.names if n != "*" and self.is_submodule(step.module, n)]
            if len(subs) < len(step.names):
                yield step.module, True
            else:
                yield step.module, None
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
        #: Members of import cycles -> the member the fresh run enters first.
        self.entry: dict[str, str] = {}
        for part in components(self.finish, replay.imports):
            if len(part) > 1:
                first = min(part, key=replay.started.__getitem__)
                for member in part:
                    self.entry[member] = first

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
        way a fresh run would: finish order, except that an import cycle is
        entered where the fresh run enters it (the member finishing last) and
        the rest of it is reached by nesting (the caller skips modules already
        re-executed)."""
        position = self.position

        def key(name: str) -> tuple[int, bool, int]:
            entry = self.entry.get(name, name)
            return (position[entry], name != entry, position[name])

        return sorted((name for name in reloading if name in position), key=key)

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
