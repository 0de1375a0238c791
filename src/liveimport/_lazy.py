"""PEP 810 lazy imports (Python 3.15): recognising a not-yet-loaded import."""

from __future__ import annotations

import types


def is_lazy_placeholder(value: object) -> bool:
    """True for the object a ``lazy import`` binds until its module loads.
    Always false on a Python without lazy imports."""
    lazy_type = getattr(types, "LazyImportType", None)
    return lazy_type is not None and isinstance(value, lazy_type)
