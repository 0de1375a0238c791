"""The IPython integration (N1, N4, N5, N6): hooks, grace period, reports, failures.

``install(shell)`` is idempotent and keeps a handle on everything it adds, so
``uninstall(shell)`` removes exactly that and nothing else.
"""

from __future__ import annotations

import ast
import contextlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from IPython.core.error import InputRejected
from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult, InteractiveShell

from . import _api, _tracebacks
from ._engine import Engine
from ._events import ReloadEvent
from ._magics import (
    MAGIC_NAME,
    display,
    is_control_cell,
    is_writefile_cell,
    make_magic,
    registration_header,
    unhide,
)
from ._outputs import CellOutputs, stale_output_notice
from ._report import as_markdown, failure_lines, report_lines, reset_notice
from ._settings import SETTINGS
from ._status import Status
from ._status_html import render_html

EXTENSION = "liveimport"


class SyncFailed(InputRejected):
    """The automatic sync before a cell failed, so the cell was not run."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0])
        self.lines = lines

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback: LiveImport's and
        # importlib's frames would only hide the one thing the user must fix.
        return self.lines


class _Gate(ast.NodeTransformer):
    """AST transformer that rejects the cell whose sync failed.

    ``pre_run_cell`` cannot stop a cell (IPython catches what its callbacks raise);
    rejecting input here can. It must raise nothing but ``InputRejected``, or
    IPython unregisters it. A gate exists only for the one cell it rejects.
    """

    def __init__(self, rejection: SyncFailed) -> None:
        self.rejection = rejection

    def visit(self, node: ast.AST) -> ast.AST:
        __tracebackhide__ = True
        raise self.rejection


def _html_formatter(shell: InteractiveShell) -> Any:  # IPython's formatters are untyped
    display_formatter = shell.display_formatter
    # An InteractiveShell builds it on init; the trait allows None only before that.
    assert display_formatter is not None
    return display_formatter.formatters["text/html"]


@dataclass(eq=False)
class Integration:
    """Everything LiveImport added to one shell, and the per-shell cell state."""

    shell: InteractiveShell
    #: The process's engine (``_api.engine()``, never replaced), held to keep
    #: a call off the per-cell path.
    engine: Engine = field(default_factory=_api.engine)
    gate: _Gate | None = None
    magic: Callable[..., object] | None = None
    #: Cells started and not yet finished (nested runs stack up).
    running: list[ExecutionInfo] = field(default_factory=list)
    #: When the last user cell finished: the grace period counts from here.
    last_finished: float | None = None
    retry: bool = False
    deferred: list[str] = field(default_factory=list)
    deferred_at: float = 0.0
    #: The sync before the running registration cell failed: once the cell has
    #: registered, the sync is retried at once (N6).
    retry_after_registration: bool = False
    #: While a failed sync waits: ``reset_count()`` then, and the modules whose
    #: changes wait with it. A ``reset()`` meanwhile drops them (N6).
    pending: tuple[int, list[str]] | None = None
    #: What ``_tracebacks.install`` set, to remove exactly that.
    custom_tb: object | None = None
    #: A4: the last run of each cell that has a frontend cell id.
    outputs: CellOutputs | None = None

    def attach(self) -> None:
        shell = self.shell
        self.outputs = CellOutputs(shell.transform_cell)
        shell.events.register("pre_run_cell", self.pre_run_cell)
        shell.events.register("post_run_cell", self.post_run_cell)
        shell.input_transformers_cleanup.append(unhide)
        self.magic = make_magic(shell)
        shell.magics_manager.register_function(self.magic, "line_cell", MAGIC_NAME)
        # A3/N7: ``status()`` shown in a notebook is the HTML table and graph.
        _html_formatter(shell).for_type(Status, render_html)
        # §5: a bad argument shows the user's call and the message.
        self.custom_tb = _tracebacks.install(shell)

    def detach(self) -> None:
        shell = self.shell
        for event, callback in (
            ("pre_run_cell", self.pre_run_cell),
            ("post_run_cell", self.post_run_cell),
        ):
            if callback in shell.events.callbacks[event]:
                shell.events.unregister(event, callback)
        self._disarm()
        if unhide in shell.input_transformers_cleanup:
            shell.input_transformers_cleanup.remove(unhide)
        magics = shell.magics_manager.magics
        for kind in ("line", "cell"):
            if magics[kind].get(MAGIC_NAME) is self.magic:
                del magics[kind][MAGIC_NAME]
        user_magics = shell.magics_manager.user_magics
        if getattr(user_magics, MAGIC_NAME, None) is self.magic:
            delattr(user_magics, MAGIC_NAME)
        printers = _html_formatter(shell).type_printers
        if printers.get(Status) is render_html:
            del printers[Status]
        _tracebacks.uninstall(shell, self.custom_tb)

    # -- cell hooks -------------------------------------------------------------

    def _arm(self, rejection: SyncFailed) -> None:
        # The gate is installed only while a rejection is pending: with any AST
        # transformer present, IPython walks every cell's whole syntax tree
        # (fix_missing_locations), about a millisecond for a 60-line cell.
        self.gate = _Gate(rejection)
        self.shell.ast_transformers.insert(0, self.gate)

    def _disarm(self) -> None:
        if self.gate is None:
            return
        with contextlib.suppress(ValueError):  # someone removed it already
            self.shell.ast_transformers.remove(self.gate)
        self.gate = None

    def pre_run_cell(self, info: ExecutionInfo) -> None:
        # Every cell passes here and in post_run_cell: with nothing changed the
        # path is the sync's stat loop and a few attribute reads (bench:
        # "per-cell beyond in-cell sync"), so keep calls off it.
        self._disarm()
        running = self.running
        running.append(info)
        if len(running) > 1:
            return  # a cell run from inside a cell: its outer cell already synced
        user_cell = bool(info.store_history)
        lines: list[str] = []
        if user_cell and self.deferred:
            if time.monotonic() - self.deferred_at < SETTINGS.grace:
                lines = self.deferred
            self.deferred = []
        last = self.last_finished
        warning: Sequence[str] = ()
        if SETTINGS.enabled and (
            self.retry or last is None or time.monotonic() - last >= SETTINGS.grace
        ):
            try:
                events = self.engine.sync()
            # Whatever goes wrong, the kernel must survive and the user must be told.
            except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001
                warning = self._sync_failed(error, user_cell, info.raw_cell or "")
            else:
                self.retry = False
                self.pending = None
                if events and SETTINGS.report:
                    lines += self._sync_report(events, user_cell, info)
        if lines:
            _show(lines)
        if warning:
            _warn(warning)

    def _sync_failed(self, error: BaseException, user_cell: bool, raw_cell: str) -> Sequence[str]:
        """The sync before a cell failed: stop the cell, or let it run (and
        return the failure to show above it)."""
        self._note_pending()
        warn_only = SETTINGS.on_error == "warn" and not isinstance(error, KeyboardInterrupt)
        # A blocked cell, or a silent one that showed nothing, is retried by
        # the next cell whatever the grace period; a warned cell ran on the
        # previous code, so a multi-cell run stays frozen on it (N4, N6).
        self.retry = not (user_cell and warn_only)
        if not user_cell:
            return ()
        # The cells through which the user repairs a failure always run (N6).
        if registration_header(raw_cell) is not None:
            # It runs on the previous code; post_run_cell registers its
            # imports, retries and shows the outcome.
            self.retry_after_registration = True
            return ()
        if is_writefile_cell(raw_cell):
            # What it writes is likely the fix, so the next cell retries.
            self.retry = True
            return ()
        # A cell that only operates LiveImport itself (reset, settings,
        # %unload_ext, status) is the way out of a failure that no edit can
        # fix, such as a library that cannot reload.
        runs = warn_only or is_control_cell(self.shell, raw_cell)
        message = failure_lines(error, outcome="runs" if runs else "stopped")
        if runs:
            return message
        self._arm(SyncFailed(message))
        return ()

    def _sync_report(
        self, events: list[ReloadEvent], user_cell: bool, info: ExecutionInfo
    ) -> Sequence[str]:
        """The report of the sync before a cell: shown now, or (a silent
        cell's) deferred to the next user cell."""
        lines = self._report(events, running=_cell_id(info))
        if not user_cell:
            self.deferred.extend(lines)
            self.deferred_at = time.monotonic()
            return ()
        return lines

    def _report(self, events: list[ReloadEvent], *, running: str | None) -> list[str]:
        """The report of a sync that reloaded: N5's lines, A2's and A4's notices."""
        namespace = self.shell.user_ns
        lines = report_lines(namespace, events)
        assert self.outputs is not None
        counts = self.outputs.stale(
            _api.engine(), namespace, [event.module for event in events], running=running
        )
        notice = stale_output_notice(counts)
        if notice:
            lines.append(notice)
        return lines

    def _retry_after_registering(self, cell_id: str | None) -> None:
        """N6: a registration cell ran although the sync before it failed, and
        has registered; retry the sync now and show the outcome in this cell."""
        try:
            events = _api.sync()
        except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - shown, never raised
            self._note_pending()
            warn_only = SETTINGS.on_error == "warn" and not isinstance(error, KeyboardInterrupt)
            self.retry = not warn_only
            _warn(failure_lines(error, outcome="retried", warn=warn_only))
            return
        self.retry = False
        self.pending = None
        if events and SETTINGS.report:
            _show(self._report(events, running=cell_id))
        else:
            print("LiveImport: the sync succeeds again; nothing is left to reload.")

    def post_run_cell(self, result: ExecutionResult | None) -> None:
        # Match by source, not identity: a cell interrupted outside its code
        # (Ctrl-C while IPython transforms it) is reported with a new
        # ExecutionInfo. A blank cell never fired pre_run_cell and matches nothing.
        running = self.running
        if result is None:
            # ipykernel reports a cell whose execution itself failed this way:
            # nothing is running any more.
            running.clear()
            info = None
        else:
            info = result.info
        raw = info.raw_cell if info is not None else None
        for index in range(len(running) - 1, -1, -1):
            if running[index].raw_cell == raw:
                del running[index:]
                if raw and "%%liveimport" in raw and result is not None and result.success:
                    self._registration_ran(raw, info)
                break
        if running:
            return
        self.retry_after_registration = False
        if self.gate is not None:
            self._disarm()
        user_cell = info is None or bool(info.store_history)
        if self.pending is not None:
            self._after_reset(user_cell)
        # Only the user's cells start the grace period: a frontend's own
        # background executions must not keep postponing syncs.
        if user_cell:
            self.last_finished = time.monotonic()
            # A4: only a frontend that sends cell ids gets stale-output notices.
            # What a cell read is worked out only after a sync reloads something;
            # here its run is only remembered.
            cell_id = getattr(info, "cell_id", None)
            if type(cell_id) is str and cell_id and info is not None and result is not None:
                assert self.outputs is not None
                if result.error_before_exec is None:
                    source: str | None = getattr(info, "transformed_cell", None)
                    self.outputs.ran(cell_id, result.execution_count, info.raw_cell or "", source)
                else:
                    self.outputs.ran(cell_id, result.execution_count, "", "")  # rejected

    def _registration_ran(self, raw: str, info: ExecutionInfo | None) -> None:
        """N2: a cell ran successfully; if it is a registration cell, register
        its imports and (N6) retry the sync that failed before it."""
        clear = registration_header(raw)
        if clear is not None:
            self._register(raw, clear)
            if not self.running and self.retry_after_registration:
                self._retry_after_registering(_cell_id(info))

    def _note_pending(self) -> None:
        """A sync failed: remember which edited modules wait for it."""
        waiting = [m.name for m in _api.status().modules if m.state in ("modified", "failed")]
        self.pending = (_api.reset_count(), waiting)

    def _after_reset(self, user_cell: bool) -> None:
        """N6: say so when a ``reset()`` dropped the changes a failed sync held."""
        assert self.pending is not None
        if self.pending[0] == _api.reset_count():
            return
        waiting = self.pending[1]
        self.pending = None
        if user_cell and waiting:
            _warn(reset_notice(waiting))

    def _register(self, raw_cell: str, clear: bool) -> None:
        """N2: a registration cell succeeded; register its top-level imports."""
        try:
            transform_cell: Callable[[str], str] = self.shell.transform_cell
            source = transform_cell(raw_cell)
            _api.register(self.shell.user_ns, source, clear=clear, allow_other_statements=True)
        except Exception as error:  # noqa: BLE001 - the cell ran; say why nothing registered
            print(
                f"LiveImport: this cell ran, but its imports were not registered: "
                f"{type(error).__name__}: {error}",
                file=sys.stderr,
            )


def _cell_id(info: ExecutionInfo | None) -> str | None:
    """The frontend's id of the cell (JupyterLab, Notebook 7 and VS Code send
    one with each execute request), or None."""
    cell_id = getattr(info, "cell_id", None)  # IPython passes it from 8.x on
    return cell_id if type(cell_id) is str and cell_id else None


def _show(lines: list[str]) -> None:
    """Show report lines as one block: Markdown in a notebook, text in a terminal (N5)."""
    display({"text/plain": "\n".join(lines), "text/markdown": as_markdown(lines)}, raw=True)


def _warn(lines: Sequence[str]) -> None:
    """Show a failure that does not stop the cell, on stderr, at once: flushed
    now, it comes before anything the cell itself prints (N6)."""
    print("\n".join(lines), file=sys.stderr, flush=True)


_INSTALLED: dict[int, Integration] = {}


def install(shell: InteractiveShell) -> Integration:
    """Add LiveImport's hooks, magics and transformers to ``shell`` (once)."""
    integration = _INSTALLED.get(id(shell))
    if integration is not None and integration.shell is shell:
        return integration
    integration = Integration(shell)
    integration.attach()
    _INSTALLED[id(shell)] = integration
    # So that %unload_ext/%reload_ext work after a plain ``import liveimport``.
    if shell.extension_manager is not None:
        shell.extension_manager.loaded.add(EXTENSION)
    return integration


def uninstall(shell: InteractiveShell) -> None:
    """Remove everything ``install`` added; registrations stay."""
    integration = _INSTALLED.pop(id(shell), None)
    if integration is not None and integration.shell is shell:
        integration.detach()
    if shell.extension_manager is not None:
        shell.extension_manager.loaded.discard(EXTENSION)


def load_ipython_extension(ip: Any) -> None:
    """``%load_ext liveimport`` and ``c.InteractiveShellApp.extensions``."""
    install(ip)


def unload_ipython_extension(ip: Any) -> None:
    """``%unload_ext liveimport``."""
    uninstall(ip)


def install_in_running_shell() -> None:
    """Called by ``import liveimport``: install into the running shell, if any."""
    from IPython import get_ipython

    shell = get_ipython()
    if isinstance(shell, InteractiveShell):
        install(shell)
