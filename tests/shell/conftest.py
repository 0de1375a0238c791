"""A real IPython ``InteractiveShell`` per test, with LiveImport loaded the way a
user loads it (``%load_ext liveimport``) and history off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import ExecutionResult, InteractiveShell

from helpers.ipython_shell import liveimport_shell


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


@pytest.fixture
def shell(modules) -> Iterator[Shell]:
    with liveimport_shell() as ip:
        yield Shell(ip)
