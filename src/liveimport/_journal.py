"""Per-namespace journal of registered bindings, and C3's rebinding plan."""

from __future__ import annotations

import sys
from collections.abc import Collection, MutableMapping
from typing import Any

from ._statements import Binding, Unbindable, star_names


class Journal:
    """The bindings registered for one namespace, in effective order.

    Registering a binding again moves it to the end, as re-running its cell
    would. A name is rebound by a sync only when its *last* binder references
    a module that reloaded (C3).
    """

    def __init__(self, namespace: MutableMapping[str, Any]) -> None:
        self.namespace = namespace
        self._seq = 0
        #: binding -> sequence number; dict order is effective order.
        self._entries: dict[Binding, int] = {}
        #: binding -> the modules it references (fixed when registered).
        self._refs: dict[Binding, tuple[str, ...]] = {}
        #: explicit target name -> its last explicit binder.
        self._last_explicit: dict[str, Binding] = {}
        #: star bindings, in effective order.
        self._stars: dict[Binding, None] = {}
        #: module name -> bindings referencing it.
        self._by_module: dict[str, dict[Binding, None]] = {}

    def __bool__(self) -> bool:
        return bool(self._entries)

    @property
    def name(self) -> str:
        name = self.namespace.get("__name__")
        return name if isinstance(name, str) else "<namespace>"

    def copy(self) -> Journal:
        """An independent journal with the same registrations, to change and
        then install only if everything else succeeds."""
        twin = Journal(self.namespace)
        twin._seq = self._seq
        twin._entries = dict(self._entries)
        twin._refs = dict(self._refs)
        twin._last_explicit = dict(self._last_explicit)
        twin._stars = dict(self._stars)
        twin._by_module = {module: dict(users) for module, users in self._by_module.items()}
        return twin

    def add(self, binding: Binding, refs: tuple[str, ...]) -> None:
        if binding in self._entries:
            self._forget(binding)
        self._seq += 1
        self._entries[binding] = self._seq
        self._refs[binding] = refs
        for module in refs:
            self._by_module.setdefault(module, {})[binding] = None
        target = binding.target
        if target is None:
            self._stars[binding] = None
        else:
            self._last_explicit[target] = binding

    def _forget(self, binding: Binding) -> None:
        del self._entries[binding]
        for module in self._refs.pop(binding):
            users = self._by_module[module]
            del users[binding]
            if not users:
                del self._by_module[module]
        self._stars.pop(binding, None)
        # _last_explicit needs no update: the binding is re-added at once.

    def clear(self) -> None:
        self._entries.clear()
        self._refs.clear()
        self._last_explicit.clear()
        self._stars.clear()
        self._by_module.clear()

    def statements(self) -> list[str]:
        return [str(binding) for binding in self._entries]

    def statements_for(self, module: str) -> list[str]:
        """The registered statements that reference ``module``, in effective order."""
        users = self._by_module.get(module, {})
        return [str(binding) for binding in self._entries if binding in users]

    def modules(self) -> Collection[str]:
        """Every module some registered binding references."""
        return self._by_module.keys()

    def references_any(self, modules: Collection[str]) -> bool:
        by_module = self._by_module
        return any(module in by_module for module in modules)

    def bound_modules(self) -> dict[str, tuple[str, ...]]:
        """A4: each name the registrations bind, with the modules its effective
        (last) binder references. A star import's names are the module's
        current ones (none while it is out of ``sys.modules`` or its
        ``__all__`` is unusable)."""
        bound: dict[str, tuple[str, ...]] = {}
        for binding in self._entries:
            refs = self._refs[binding]
            target = binding.target
            if target is not None:
                bound[target] = refs
                continue
            try:
                names = star_names(sys.modules[binding.module])
            except (KeyError, Unbindable):
                names = []
            bound.update(dict.fromkeys(names, refs))
        return bound

    def plan(self, reloaded: Collection[str]) -> dict[str, object]:
        """The new values of the names C3 says to rebind after ``reloaded``
        modules reloaded. Raises ``Unbindable`` if one cannot be evaluated.
        Does not touch the namespace."""
        candidates: dict[Binding, None] = {}
        for module in reloaded:
            candidates.update(self._by_module.get(module, {}))
        plan: dict[str, object] = {}
        star_cache: dict[str, set[str]] = {}
        # Order does not matter: only a name's last binder passes the test.
        for binding in candidates:
            for name, value in binding.values(import_submodules=True).items():
                if self._is_last_binder(binding, name, star_cache):
                    plan[name] = value
        return plan

    def _is_last_binder(self, binding: Binding, name: str, star_cache: dict[str, set[str]]) -> bool:
        seq = self._entries[binding]
        explicit = self._last_explicit.get(name)
        if explicit is not None and self._entries[explicit] > seq:
            return False
        if not self._stars:
            return True
        for star in self._stars:
            if self._entries[star] <= seq:
                continue
            names = star_cache.get(star.module)
            if names is None:
                module = sys.modules.get(star.module)
                names = set(star_names(module)) if module is not None else set()
                star_cache[star.module] = names
            if name in names:
                return False
        return True
