"""Text shown around notebook cells: reload reports (N5, A2) and failures (N6).

Pure text; the IPython layer decides where and how it is displayed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._errors import ModuleError
from ._events import ReloadEvent
from ._stale import stale_names
from ._text import join_names


def event_lines(events: Sequence[ReloadEvent]) -> list[str]:
    """One ``str(event)`` line per reload, in reload order."""
    return [str(event) for event in events]


def stale_notice(namespace: Mapping[str, object], reloaded: Sequence[str]) -> str | None:
    """A2: ``"net and hp still use classes from models before it reloaded"``,
    or ``None`` when no variable holds an instance of a replaced class."""
    names = stale_names(namespace, reloaded)
    if not names:
        return None
    modules: list[str] = []
    for name in names:
        module = type(namespace[name]).__module__
        if module not in modules:
            modules.append(module)
    verb = "still uses" if len(names) == 1 else "still use"
    kind = "a class" if len(names) == 1 else "classes"
    pronoun = "it" if len(modules) == 1 else "they"
    return f"{join_names(names)} {verb} {kind} from {join_names(modules)} before {pronoun} reloaded"


def report_lines(namespace: Mapping[str, object], events: Sequence[ReloadEvent]) -> list[str]:
    """Everything one sync has to say: its reloads, then the stale notice."""
    lines = event_lines(events)
    notice = stale_notice(namespace, [event.module for event in events])
    if notice:
        lines.append(notice)
    return lines


def as_markdown(lines: Sequence[str]) -> str:
    """A console block: a code block fenced as ```` ```console ```` (N5), which
    notebooks render in monospace."""
    fence = "```"
    while any(fence in line for line in lines):
        fence += "`"
    return "\n".join([fence + "console", *lines, fence])


def failure_lines(error: BaseException, *, cell_runs: bool) -> list[str]:
    """N6: the one short message shown when the automatic sync fails."""
    outcome = (
        "This cell runs on the previous code."
        if cell_runs
        else "This cell did not run. Fix the problem and run it again."
    )
    if isinstance(error, ModuleError):
        file, line = error.file, error.line
        lines = [f"LiveImport: {error.module} {error.what_failed}."]
        if file is not None:
            lines.append(f'  File "{file}"' + (f", line {line}" if line is not None else ""))
        lines.append(f"  {error.cause_text}")
    elif isinstance(error, KeyboardInterrupt):
        lines = ["LiveImport: the sync was interrupted."]
    else:
        # Not a promised failure mode: say so, so that it gets reported.
        lines = [
            "LiveImport: the sync failed unexpectedly (please report this).",
            f"  {type(error).__name__}: {error}",
        ]
    lines.append("Nothing was reloaded. " + outcome)
    return lines
