"""Text shown around notebook cells: reload reports (N5, A2) and failures (N6).

Pure text; the IPython layer decides where and how it is displayed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Literal

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
    notebooks render in monospace. Long lines are broken at spaces here, with
    continuation lines indented: a notebook would break them anywhere, even in
    the middle of a module name."""
    wrapped = [piece for line in lines for piece in wrap(line)]
    fence = "```"
    while any(fence in line for line in wrapped):
        fence += "`"
    return "\n".join([fence + "console", *wrapped, fence])


#: What became of the cell, for ``failure_lines``: ``"stopped"`` (it did not
#: run), ``"runs"`` (it runs on the previous code), ``"retried"`` (a registration
#: cell ran and registered; the sync retried after it still fails).
Outcome = Literal["stopped", "runs", "retried"]


def failure_lines(error: BaseException, *, outcome: Outcome, warn: bool = False) -> list[str]:
    """N6: the one short message shown when the automatic sync fails: what
    failed and where, that nothing was reloaded, and the ways forward.

    ``warn`` says that ``on_error="warn"`` is on, so that cells run on the
    previous code after a retried sync that still fails."""
    if outcome == "stopped":
        said = ["Nothing was reloaded, and this cell did not run."]
    elif outcome == "runs":
        said = ["Nothing was reloaded; this cell runs on the previous code."]
    else:
        others = "cells run on the previous code" if warn else "other cells stay stopped"
        said = [f"Registered, but the sync still fails: nothing was reloaded, and {others}."]
    if isinstance(error, KeyboardInterrupt):
        if outcome == "stopped":
            said.append("Run the cell again to retry.")
    elif outcome == "runs" or warn:
        said.append(f"{_fix(error)}; a later cell retries the sync.")
    else:
        again = "run the cell again" if outcome == "stopped" else "run a cell"
        said.append(
            f'{_fix(error)} and {again}, or run liveimport.auto_sync(on_error="warn") '
            "to run cells on the previous code."
        )
        if isinstance(error, ModuleError) and error.phase == "reload":
            said.append(
                f"If {error.module} can no longer reload at all, drop its import "
                "from your #_%%liveimport --clear cell."
            )
    return _problem_lines(error) + wrap(" ".join(said), hang="")


def _fix(error: BaseException) -> str:
    return "Fix the file" if isinstance(error, ModuleError) and error.file else "Fix the problem"


def reset_notice(modules: Sequence[str]) -> list[str]:
    """N6: ``reset()`` ran while a failed sync waited, dropping its changes."""
    names = join_names(list(modules))
    verb, files, them = (
        ("runs", "its file", "it") if len(modules) == 1 else ("run", "their files", "them")
    )
    return wrap(
        f"LiveImport: reset() dropped changes that never loaded: {names} still {verb} "
        f"the code loaded before {files} changed. Registering {them} again does not "
        f"load those edits; save {files} again after registering, or restart the kernel.",
        hang="",
    )


#: Notebooks wrap long lines of output anywhere, even inside a name; lines this
#: short fit a notebook's output area without that (N5).
WIDTH = 72


def wrap(line: str, width: int = WIDTH, *, hang: str = "  ") -> list[str]:
    """``line`` broken at spaces only, into lines of at most ``width``
    characters where its words allow (a longer word stays whole); continuation
    lines are indented by ``hang`` more than the first."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    wrapper = textwrap.TextWrapper(
        width,
        initial_indent=indent,
        subsequent_indent=indent + hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(line[len(indent) :]) or [line]


def _problem_lines(error: BaseException) -> list[str]:
    """Which module, which file and line (with the source line and a caret for
    a syntax error), and what went wrong."""
    if isinstance(error, KeyboardInterrupt):
        return ["LiveImport: the sync was interrupted."]
    if not isinstance(error, ModuleError):
        # Not a promised failure mode: say so, so that it gets reported.
        return [
            "LiveImport: the sync failed unexpectedly (please report this).",
            f"  {type(error).__name__}: {error}",
        ]
    lines = [f"LiveImport: {error.module} {error.what_failed}."]
    if error.file is not None:
        line = error.line
        lines.append(f'  File "{error.file}"' + (f", line {line}" if line is not None else ""))
    cause = error.__cause__
    if isinstance(cause, SyntaxError):
        lines += caret_lines(cause)
    return lines + wrap(f"  {error.cause_text}")


def caret_lines(error: SyntaxError) -> list[str]:
    """The offending source line and a caret under the problem, laid out as
    Python's own ``SyntaxError`` display does (nothing if the text is unknown)."""
    if not error.text:
        return []
    text = error.text.split("\n")[0].rstrip("\r")
    stripped = text.lstrip(" \f\t")
    if not stripped.strip():
        return []
    lines = [f"    {stripped}"]
    offset = error.offset
    if offset is None or offset < 1:
        return lines
    end = error.end_offset
    if end is None or end <= offset or error.end_lineno not in (None, error.lineno):
        end = offset + 1
    indent = len(text) - len(stripped)
    start = min(offset - 1 - indent, len(stripped))
    if start < 0:
        return lines
    width = max(1, min(end - offset, len(stripped) - start))
    pad = "".join(c if c.isspace() else " " for c in stripped[:start])
    return [*lines, f"    {pad}{'^' * width}"]
