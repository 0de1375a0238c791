"""``%%liveimport`` and ``%liveimport`` (N2, N7) and the hidden cell magic (N3)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display as _display

from . import _api
from ._settings import SETTINGS
from ._status_html import render_html

MAGIC_NAME = "liveimport"

USAGE = (
    "usage: %%liveimport [-c|--clear] [# comment]  (a cell magic: the cell's code runs, "
    "then its top-level imports are registered)\n"
    "       %liveimport  (a line magic without arguments: show LiveImport's status)\n"
    "       %liveimport why <module>  (why a module is or is not tracked, and reloaded)"
)

# IPython leaves these unannotated; give them the types we rely on.
display: Callable[..., None] = _display

_HIDDEN = re.compile(r"#\s?_%%liveimport(?=\s|$)")


def parse_options(line: str) -> bool:
    """The magic line's options; returns whether ``--clear`` was given."""
    words = line.split("#", 1)[0].split()
    clear = False
    for word in words:
        if word in ("-c", "--clear"):
            clear = True
        else:
            raise UsageError(f"%%liveimport: unexpected {word!r}\n{USAGE}")
    return clear


_VISIBLE = re.compile(r"%%liveimport(?=\s|$)")


def header(line: str) -> bool | None:
    """For a cell's first line: ``None`` if it does not make the cell a
    registration cell, else whether ``--clear`` was given. A header with bad
    options counts as none here: the magic itself then reports the usage error.
    Consults the setting on every call so ``hidden_cell_magic()`` takes effect
    at once."""
    if "%%liveimport" not in line:
        return None  # every cell passes here: the common case costs one search
    match = _VISIBLE.match(line)
    if match is None and SETTINGS.hidden_magic:
        match = _HIDDEN.match(line)
    if match is None:
        return None
    try:
        return parse_options(line[match.end() :])
    except UsageError:
        return None


def unhide(lines: list[str]) -> list[str]:
    """Input transformer for registration cells (N2, N3).

    A valid ``%%liveimport`` or ``#_%%liveimport`` header is blanked, so the
    cell runs as the ordinary cell it is (top-level ``await``, a trailing
    ``;``, display and tracebacks all behave natively); the integration
    registers its imports once it has succeeded. A hidden header with bad
    options becomes the visible magic, which reports the usage error.
    """
    first = lines[0] if lines else ""
    if "%%liveimport" not in first:
        return lines  # every cell passes here; both headers contain this
    if header(first) is not None:
        return ["\n", *lines[1:]]  # keep line numbers
    match = _HIDDEN.match(first) if SETTINGS.hidden_magic else None
    if match is None:
        return lines
    return ["%%liveimport" + lines[0][match.end() :], *lines[1:]]


def registration_header(raw_cell: str) -> bool | None:
    """``header()`` of a raw cell's first non-blank line, as IPython's own
    cleanup (leading blank lines, indentation) would present it."""
    if "%%liveimport" not in raw_cell:
        return None  # not even copy a long cell that cannot be one
    return header(raw_cell.lstrip().partition("\n")[0].rstrip())


_WRITEFILE = re.compile(r"%%(?:writefile|file)(?=\s|$)")


def is_writefile_cell(raw_cell: str) -> bool:
    """Whether a cell is a ``%%writefile`` (or ``%%file``) cell: one that writes
    a file, such as the corrected version of a module that failed to reload."""
    return _WRITEFILE.match(raw_cell.lstrip()) is not None


_EXTENSION_MAGICS = ("load_ext", "unload_ext", "reload_ext")


def is_control_cell(shell: InteractiveShell, raw_cell: str) -> bool:
    """Whether a cell does nothing but operate LiveImport: ``import
    liveimport``, ``liveimport.<function>(...)`` calls, ``%liveimport`` and
    ``%load_ext``/``%unload_ext``/``%reload_ext liveimport``."""
    transform_cell: Callable[[str], str] = shell.transform_cell
    try:
        body = ast.parse(transform_cell(raw_cell)).body
    except Exception:  # noqa: BLE001 - what does not parse controls nothing
        return False
    return bool(body) and all(_operates_liveimport(statement) for statement in body)


def _operates_liveimport(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Import):
        return all(alias.name == MAGIC_NAME for alias in statement.names)
    if isinstance(statement, ast.ImportFrom):
        return statement.module == MAGIC_NAME
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    func, args = statement.value.func, statement.value.args
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and func.value.id == MAGIC_NAME:
        return True  # liveimport.reset(), liveimport.auto_sync(...), ...
    if func.attr != "run_line_magic" or not args or not isinstance(args[0], ast.Constant):
        return False
    if args[0].value == MAGIC_NAME:
        return True  # %liveimport
    return (
        args[0].value in _EXTENSION_MAGICS
        and len(args) > 1
        and isinstance(args[1], ast.Constant)
        and str(args[1].value).strip() == MAGIC_NAME
    )


def _run_body(shell: InteractiveShell, source: str, raw: str) -> object:
    """Run ``source`` in the user namespace like a cell; return the value of a
    final expression statement (``None`` otherwise) so IPython displays it.

    Only a direct ``run_cell_magic("liveimport", ...)`` call gets here: cells
    that start with the magic run as ordinary cells (see ``unhide``)."""
    __tracebackhide__ = True
    # Name the code after the running cell so tracebacks say "Cell In[n]".
    running = getattr(shell.displayhook, "exec_result", None)
    number = getattr(running, "execution_count", None)
    if not isinstance(number, int):
        number = shell.execution_count
    filename = shell.compile.cache(source, number, raw_code=raw)
    parsed = shell.compile.ast_parse(source, filename=filename)
    transform_ast: Callable[[ast.AST], ast.AST] = shell.transform_ast
    tree = transform_ast(parsed)
    assert isinstance(tree, ast.Module)
    last: ast.expr | None = None
    final = tree.body[-1] if tree.body else None
    if isinstance(final, ast.Expr):
        tree.body.pop()
        last = final.value
    flags = shell.compile.flags
    code = compile(tree, filename, "exec", flags=flags)
    exec(code, shell.user_global_ns, shell.user_ns)  # noqa: S102 - running the cell is the point
    if last is None:
        return None
    expression = ast.Expression(body=last)
    code = compile(expression, filename, "eval", flags=flags)
    return eval(code, shell.user_global_ns, shell.user_ns)


def make_magic(shell: InteractiveShell) -> Any:
    """The function registered as both ``%liveimport`` and ``%%liveimport``."""

    def liveimport(line: str, cell: str | None = None) -> object:
        __tracebackhide__ = True
        if cell is None:
            words = line.split("#", 1)[0].split()
            if len(words) == 2 and words[0] == "why":
                print(_api.status().explain(words[1]))
            elif words:
                raise UsageError(f"%liveimport: unexpected {' '.join(words)!r}\n{USAGE}")
            else:
                show_status()
            return None
        clear = parse_options(line)
        transform_cell: Callable[[str], str] = shell.transform_cell
        source = transform_cell(cell)
        value = _run_body(shell, source, cell)
        _api.register(shell.user_ns, source, clear=clear, allow_other_statements=True)
        return value

    liveimport.__doc__ = USAGE
    # Keep IPython from expanding $names and {braces} inside the comment.
    liveimport._ipython_magic_no_var_expand = True  # type: ignore[attr-defined]
    return liveimport


def show_status() -> None:
    """N7: the status as a plain-text table, or HTML with the graph in a notebook."""
    status = _api.status()
    display({"text/plain": str(status), "text/html": render_html(status)}, raw=True)
