"""LiveImport: reload edited modules in a running notebook, import-faithfully."""

from ._api import (
    auto_sync,
    hidden_cell_magic,
    register,
    registered,
    reset,
    status,
    sync,
    workspace,
)
from ._errors import ModuleError
from ._events import ReloadEvent

__all__ = [
    "ModuleError",
    "ReloadEvent",
    "auto_sync",
    "hidden_cell_magic",
    "register",
    "registered",
    "reset",
    "status",
    "sync",
    "workspace",
]

__version__ = "0.1.0"
