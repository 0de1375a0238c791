"""A2: find notebook variables that still hold instances of replaced classes."""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping

_MISSING = object()


def _is_replaced(cls: type, modules: Collection[str]) -> bool:
    """True when ``cls`` came from one of ``modules`` and that module now defines
    something else under the class's qualified name."""
    module_name = getattr(cls, "__module__", None)
    if not isinstance(module_name, str) or module_name not in modules:
        return False
    module = sys.modules.get(module_name)
    if module is None:
        return False
    qualname = getattr(cls, "__qualname__", "")
    if "<locals>" in qualname:
        return False  # classes made inside functions are not module attributes
    current: object = module
    for part in qualname.split("."):
        current = getattr(current, part, _MISSING)
        if current is _MISSING:
            # Not under its own name (``Point = namedtuple("Pt", ...)``): it is
            # replaced only if the module no longer holds it under any name.
            return not any(value is cls for value in vars(module).values())
    return current is not cls


def stale_names(namespace: Mapping[str, object], modules: Collection[str]) -> list[str]:
    """Public top-level names in ``namespace`` whose values are instances of a
    class that ``modules`` used to define but have since replaced (by reloading).
    Returned in the namespace's order; nothing is changed."""
    if not modules:
        return []
    found = []
    for name, value in list(namespace.items()):
        if name.startswith("_") or isinstance(value, type):
            continue
        if _is_replaced(type(value), modules):
            found.append(name)
    return found
