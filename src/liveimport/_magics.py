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

MAGIC_NAME = "liveimport"

USAGE = (
    "usage: %%liveimport [-c|--clear] [# comment]  (a cell magic: the cell's code runs, "
    "then its top-level imports are registered)\n"
    "       %liveimport  (a line magic without arguments: show LiveImport's status)"
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


def unhide(lines: list[str]) -> list[str]:
    """Input transformer: ``#_%%liveimport ...`` as first line becomes ``%%liveimport ...``.

    Consults the setting on every call so ``hidden_cell_magic()`` takes effect at once.
    """
    if not lines or not SETTINGS.hidden_magic:
        return lines
    match = _HIDDEN.match(lines[0])
    if match is None:
        return lines
    return ["%%liveimport" + lines[0][match.end() :], *lines[1:]]


def _run_body(shell: InteractiveShell, source: str, raw: str) -> object:
    """Run ``source`` in the user namespace like a cell; return the value of a
    final expression statement (``None`` otherwise) so IPython displays it."""
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
            if line.split("#", 1)[0].strip():
                raise UsageError(f"%liveimport takes no arguments\n{USAGE}")
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
    display({"text/plain": str(status), "text/html": status._repr_html_()}, raw=True)
