"""A7: add ``liveimport`` to, or remove it from, an IPython config file's extensions.

Pure text editing: the file is parsed to find what it already says, and the
edit touches only what it must (one appended statement when enabling; the
``"liveimport"`` entries and LiveImport's own lines when disabling). Nothing
here imports IPython or runs the file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

EXTENSION = "liveimport"
MARKER = "# Added by `python -m liveimport enable` (`python -m liveimport disable` removes it):"
STATEMENT = f'c.InteractiveShellApp.extensions.append("{EXTENSION}")'
#: A config file that ``enable`` creates: IPython's own templates start so.
NEW_FILE = "c = get_config()  # noqa\n"

#: The applications whose ``extensions`` IPython shells and kernels read.
_APPS = ("InteractiveShellApp", "TerminalIPythonApp", "IPKernelApp")
_ADDERS = ("append", "extend", "insert", "prepend")


class ConfigEditError(ValueError):
    """The config file cannot be edited safely; the message says why."""


@dataclass(frozen=True)
class Edit:
    """The new text of a config file and what changed, line by line."""

    text: str
    changes: tuple[str, ...]


def _app(node: ast.expr) -> str | None:
    """``X`` when ``node`` is ``c.X.extensions``."""
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "extensions"
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "c"
        and node.value.attr in _APPS
    ):
        return node.value.attr
    return None


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def _parse(text: str, path: str) -> ast.Module:
    try:
        return ast.parse(text, filename=path)
    except (SyntaxError, ValueError) as error:
        raise ConfigEditError(
            f"{path} is not valid Python ({error}); fix it first, nothing was changed"
        ) from None


def enabling_line(text: str, path: str) -> int | None:
    """The line of the top-level statement after which the file's
    ``c.InteractiveShellApp.extensions`` includes ``liveimport`` (statically,
    statement by statement), or ``None`` if it ends up without it."""
    found: int | None = None
    for statement in _parse(text, path).body:
        if isinstance(statement, ast.Assign) and any(
            _app(t) == "InteractiveShellApp" for t in statement.targets
        ):
            found = statement.lineno if EXTENSION in _strings(statement.value) else None
        elif (
            isinstance(statement, ast.AugAssign)
            and _app(statement.target) == "InteractiveShellApp"
            and EXTENSION in _strings(statement.value)
        ):
            found = statement.lineno
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            func = call.func
            if not (isinstance(func, ast.Attribute) and _app(func.value) == "InteractiveShellApp"):
                continue
            args = [a.value for a in call.args if isinstance(a, ast.Constant)]
            listed = [s for a in call.args for s in _strings(a)]
            if func.attr in _ADDERS and EXTENSION in args + listed:
                found = statement.lineno
            elif func.attr == "remove" and EXTENSION in args:
                found = None
    return found


def enable(text: str | None, path: str) -> Edit | None:
    """The file with LiveImport appended to its extensions (``text`` ``None``:
    a new file), or ``None`` when it already loads LiveImport."""
    if text is None:
        text = NEW_FILE
    elif enabling_line(text, path) is not None:
        return None
    elif text and not text.endswith("\n"):
        text += "\n"
    line = text.count("\n") + 3
    return Edit(f"{text}\n{MARKER}\n{STATEMENT}\n", (f"line {line}: added {STATEMENT}",))


def _offsets(text: str) -> list[int]:
    """Byte offset of each line's start (ast columns count UTF-8 bytes)."""
    starts = [0]
    for line in text.encode().splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _adds_only_liveimport(call: ast.Call) -> bool:
    values: list[object] = []
    assert isinstance(call.func, ast.Attribute)
    for arg in call.args[1:] if call.func.attr == "insert" else call.args:
        if isinstance(arg, (ast.List, ast.Tuple)):
            values.extend(e.value if isinstance(e, ast.Constant) else e for e in arg.elts)
        else:
            values.append(arg.value if isinstance(arg, ast.Constant) else arg)
    return bool(values) and all(v == EXTENSION for v in values)


def _sequences(node: ast.AST) -> list[ast.expr]:
    """The literals whose entries go into some ``c.X.extensions`` at ``node``."""
    if isinstance(node, ast.Assign) and any(_app(t) for t in node.targets):
        return [node.value]
    if isinstance(node, ast.AugAssign) and _app(node.target):
        return [node.value]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _ADDERS
        and _app(node.func.value)
    ):
        return list(node.args)
    return []


Removal = tuple[int, int, str]  # byte range and what it removes


def _removals(text: str, path: str) -> list[Removal]:
    """Every edit that takes one ``liveimport`` out of the file."""
    starts = _offsets(text)
    lines = text.splitlines(keepends=True)

    def at(line: int | None, col: int | None) -> int:
        assert line is not None and col is not None
        return starts[line - 1] + col

    found: list[Removal] = []
    whole: set[int] = set()  # calls whose statement goes as a whole
    for node in ast.walk(_parse(text, path)):
        if id(node) in whole:
            continue
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and _sequences(node.value)
            and _adds_only_liveimport(node.value)
        ):
            # A statement that only adds LiveImport goes as a whole, with the
            # marker comment ``enable`` wrote above it and the blank line before.
            first, last = node.lineno, node.end_lineno or node.lineno
            what = "".join(lines[first - 1 : last]).strip()
            if first >= 2 and lines[first - 2].rstrip("\r\n") == MARKER:
                first -= 1
                if first >= 2 and not lines[first - 2].strip():
                    first -= 1
            found.append((starts[first - 1], starts[last], f"line {node.lineno}: removed {what}"))
            whole.add(id(node.value))
            continue
        for sequence in _sequences(node):
            if not isinstance(sequence, (ast.List, ast.Tuple)):
                continue
            elements = sequence.elts
            for index, element in enumerate(elements):
                if not (isinstance(element, ast.Constant) and element.value == EXTENSION):
                    continue
                start = at(element.lineno, element.col_offset)
                end = at(element.end_lineno, element.end_col_offset)
                if index + 1 < len(elements):
                    end = at(elements[index + 1].lineno, elements[index + 1].col_offset)
                elif index > 0:
                    start = at(elements[index - 1].end_lineno, elements[index - 1].end_col_offset)
                else:  # the only entry: keep the brackets
                    end = at(sequence.end_lineno, sequence.end_col_offset) - 1
                what = f'line {element.lineno}: removed "{EXTENSION}" from the extensions'
                found.append((start, end, what))
    return found


def disable(text: str, path: str) -> Edit | None:
    """The file without any ``liveimport`` extension entry, or ``None`` when
    it has none."""
    changes: list[str] = []
    while True:
        removals = _removals(text, path)
        if not removals:
            break
        # The last one first, so the line numbers of the others stay the file's.
        start, end, change = max(removals)
        data = text.encode()
        new = (data[:start] + data[end:]).decode()
        try:
            ast.parse(new)
        except SyntaxError:
            raise ConfigEditError(
                f"{path}, {change.partition(':')[0]}: removing liveimport there would "
                "leave invalid Python; remove it by hand (nothing was changed)"
            ) from None
        text = new
        changes.insert(0, change)
    return Edit(text, tuple(changes)) if changes else None
