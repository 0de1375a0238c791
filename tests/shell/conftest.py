"""A real IPython ``InteractiveShell`` per test, with LiveImport loaded the way a
user loads it (``%load_ext liveimport``) and history off."""

from __future__ import annotations

import atexit
from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import ExecutionResult, InteractiveShell
from traitlets.config import Config

import liveimport
from liveimport import _ipython


class Shell:
    """Runs cells the way a notebook frontend does."""

    def __init__(self, ip: InteractiveShell) -> None:
        self.ip = ip

    def run(
        self, code: str, *, store_history: bool = True, silent: bool = False
    ) -> ExecutionResult:
        return self.ip.run_cell(code, store_history=store_history, silent=silent)

    @property
    def ns(self) -> dict:
        return self.ip.user_ns

    def stopped(self, code: str, capsys: pytest.CaptureFixture[str]) -> str:
        """Run ``code`` (``name = ...``), a cell that a failed sync must stop:
        assert it did not run, and return what it printed."""
        capsys.readouterr()
        result = self.run(code)
        assert not result.success and code.split("=")[0].strip() not in self.ns
        return capsys.readouterr().out


def close_shell(ip: InteractiveShell) -> None:
    """Run now the exit handler IPython registers for every shell, and drop it
    from ``atexit``: left there, each test's shell would be kept alive to the end
    of the run and cleaned up (with a garbage collection apiece) after it."""
    atexit.unregister(ip.atexit_operations)
    ip.atexit_operations()
    InteractiveShell.clear_instance()


@pytest.fixture
def shell(modules) -> Iterator[Shell]:
    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance(config=config)
    ip.run_line_magic("load_ext", "liveimport")
    # Most tests want a sync before every cell; grace tests set their own.
    liveimport.auto_sync(grace=0)
    try:
        yield Shell(ip)
    finally:
        _ipython.uninstall(ip)
        close_shell(ip)
