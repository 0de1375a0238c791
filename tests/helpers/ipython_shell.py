"""A real IPython ``InteractiveShell`` with LiveImport loaded the way a user
loads it (``%load_ext liveimport``), history off, and closed completely
afterwards. This module imports IPython: only the suites that run with it
(shell, docs) use it; ``helpers`` itself never imports it.
"""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Iterator

from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

import liveimport
from liveimport import _ipython


@contextlib.contextmanager
def liveimport_shell() -> Iterator[InteractiveShell]:
    """A fresh shell with LiveImport loaded and a sync before every cell
    (``auto_sync(grace=0)``); LiveImport is removed and the shell closed on
    the way out."""
    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance(config=config)
    ip.run_line_magic("load_ext", "liveimport")
    # Most tests want a sync before every cell; grace tests set their own.
    liveimport.auto_sync(grace=0)
    try:
        yield ip
    finally:
        _ipython.uninstall(ip)
        close_shell(ip)


def close_shell(ip: InteractiveShell) -> None:
    """Run now the exit handler IPython registers for every shell, and drop it
    from ``atexit``: left there, each test's shell would be kept alive to the end
    of the run and cleaned up (with a garbage collection apiece) after it."""
    atexit.unregister(ip.atexit_operations)
    ip.atexit_operations()
    InteractiveShell.clear_instance()
