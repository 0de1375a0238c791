"""LiveImport: reload edited modules in a running notebook, import-faithfully."""

import sys as _sys

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

# Public, but outside __all__ as in the existing package (§0).
from ._api import poll_lazy_imports as poll_lazy_imports
from ._errors import ModuleError
from ._events import ReloadEvent
from ._status import ModuleStatus, NamespaceStatus, Status
from ._version import __version__ as __version__

__all__ = [
    "ModuleError",
    "ModuleStatus",
    "NamespaceStatus",
    "ReloadEvent",
    "Status",
    "auto_sync",
    "hidden_cell_magic",
    "register",
    "registered",
    "reset",
    "status",
    "sync",
    "workspace",
]


def load_ipython_extension(ip: object) -> None:
    """``%load_ext liveimport``: install the notebook integration into ``ip``."""
    from ._ipython import load_ipython_extension as load

    load(ip)


def unload_ipython_extension(ip: object) -> None:
    """``%unload_ext liveimport``: remove the notebook integration from ``ip``."""
    from ._ipython import unload_ipython_extension as unload

    unload(ip)


# Under IPython, ``import liveimport`` is all a notebook needs (N1). A plain
# Python process never imports IPython because of us.
if _sys.modules.get("IPython") is not None:
    from ._ipython import install_in_running_shell as _install

    _install()
