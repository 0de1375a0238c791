"""Import statements: parse source into single-binding records and evaluate them.

A registered ``from m import a, b as c`` becomes two ``Binding`` records; each
binds one namespace name (or, for ``*``, the module's public names). Only
top-level statements count: an import nested in ``if``/``try``/``def``/... is
not an import statement for LiveImport.
"""

from __future__ import annotations

import ast
import importlib
import sys
import textwrap
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal


class Unbindable(Exception):
    """A binding cannot be evaluated now (missing module or attribute)."""

    def __init__(self, message: str, module: str) -> None:
        super().__init__(message)
        self.module = module


@dataclass(frozen=True, slots=True)
class Binding:
    """One name-binding import: ``import m``, ``import m as x``,
    ``from m import n as x`` or ``from m import *``."""

    kind: Literal["import", "from"]
    module: str
    name: str = ""  # for "from": the imported attribute, or "*"
    asname: str = ""

    @property
    def target(self) -> str | None:
        """The namespace name this binds (None for ``from m import *``)."""
        if self.kind == "import":
            return self.asname or self.module.partition(".")[0]
        if self.name == "*":
            return None
        return self.asname or self.name

    def __str__(self) -> str:
        alias = f" as {self.asname}" if self.asname else ""
        if self.kind == "import":
            return f"import {self.module}{alias}"
        return f"from {self.module} import {self.name}{alias}"

    def referenced_modules(self, modules: Mapping[str, object]) -> tuple[str, ...]:
        """The modules this binding takes its value from (C3, C4): ``m``; for
        ``from p import sub`` also ``p.sub`` when that is a loaded module; for
        ``import a.b.c as x`` also ``a.b``."""
        if self.kind == "from" and self.name != "*":
            sub = f"{self.module}.{self.name}"
            if isinstance(modules.get(sub), types.ModuleType):
                return (self.module, sub)
        if self.kind == "import" and self.asname and "." in self.module:
            # ``import a.b.c as x`` binds an attribute of ``a.b`` (C3).
            return (self.module, self.module.rpartition(".")[0])
        return (self.module,)

    def values(self, *, import_submodules: bool = False) -> dict[str, object]:
        """What executing this statement now would bind. Raises ``Unbindable``.

        With ``import_submodules`` a package's submodule that a ``from``
        statement names is imported if need be, as Python does; without it
        (``register()``, C1) nothing is ever imported."""
        if self.kind == "import":
            if self.asname:
                return {self.asname: _import_as(self.module)}
            name = self.module.partition(".")[0]
            module = sys.modules.get(name)
            if module is None:
                raise Unbindable(f"module {name!r} is not imported", name)
            return {name: module}
        module = sys.modules.get(self.module)
        if module is None:
            raise Unbindable(f"module {self.module!r} is not imported", self.module)
        names = star_names(module) if self.name == "*" else [self.name]
        values = {n: _attribute(module, self.module, n, import_submodules) for n in names}
        if self.name != "*" and self.asname:
            return {self.asname: values[self.name]}
        return values


def _import_as(dotted: str) -> object:
    """What ``import a.b.c as x`` binds to ``x`` (C3): ``a``'s attribute ``b``'s
    attribute ``c``, each step falling back to the module in ``sys.modules``,
    as Python's ``IMPORT_FROM`` does; it differs from the module ``a.b.c`` when
    a package re-exports a function under a submodule's name."""
    parts = dotted.split(".")
    value = sys.modules.get(parts[0])
    if value is None:
        raise Unbindable(f"module {parts[0]!r} is not imported", parts[0])
    for index in range(1, len(parts)):
        try:
            value = getattr(value, parts[index])
        except AttributeError:
            name = ".".join(parts[: index + 1])
            value = sys.modules.get(name)
            if value is None:
                raise Unbindable(f"module {name!r} is not imported", name) from None
    return value


def _attribute(module: object, module_name: str, name: str, import_submodules: bool) -> object:
    """``module.name`` as ``from module import name`` finds it: an attribute, or
    else a submodule, which for a package is imported if need be and allowed
    (so a package's ``__all__`` may name submodules nobody imported yet)."""
    try:
        return getattr(module, name)
    except AttributeError:
        pass
    submodule = sys.modules.get(f"{module_name}.{name}")
    if submodule is None and import_submodules and hasattr(module, "__path__"):
        try:
            submodule = importlib.import_module(f"{module_name}.{name}")
        except ImportError:
            submodule = None
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # its code failed: A1 wants a ModuleError
            message = f"importing {module_name}.{name} failed: {type(error).__name__}: {error}"
            raise Unbindable(message, module_name) from error
    if submodule is None:
        # Registration checked that the name existed (C1), so at rebinding time
        # a missing name has gone from the module (C7's "disappeared" form).
        raise Unbindable(
            f"name {name!r} has disappeared from {module_name}: a registered import "
            f"binds it, but {module_name} no longer defines it",
            module_name,
        )
    return submodule


_NO_ALL = object()


def star_names(module: object) -> list[str]:
    """The names ``from module import *`` binds: ``__all__``, else the public names."""
    names: Any = getattr(module, "__all__", _NO_ALL)
    if names is _NO_ALL:
        return [name for name in vars(module) if not name.startswith("_")]
    # As ``from m import *`` itself: __all__ must be an iterable of strings.
    module_name = str(getattr(module, "__name__", "module"))
    try:
        items: list[object] = list(names)
    except TypeError:
        raise Unbindable(
            f"{module_name}.__all__ must be a list of names, not {type(names).__name__}",
            module_name,
        ) from None
    result: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise Unbindable(
                f"{module_name}.__all__ must contain only strings, not {item!r}", module_name
            )
        result.append(item)
    return result


def resolve(module: str | None, level: int, package: str) -> str:
    """Absolute module name of ``from <level dots><module> import ...``.
    Raises ``ImportError`` when it cannot be resolved against ``package``: its
    message completes a sentence about the statement (``is outside any
    package``, ``would escape package <package>``)."""
    if level == 0:
        return module or ""
    if not package:
        raise ImportError(
            "is outside any package: a relative import resolves against package=, "
            "so pass the name of the package it is relative to"
        )
    parts = package.split(".")
    if level > len(parts):
        raise ImportError(
            f"would escape package {package}: {level} dots go above its top-level "
            f"package {parts[0]}; use fewer dots, or pass the package it is relative to"
        )
    base = ".".join(parts[: len(parts) - level + 1])
    return f"{base}.{module}" if module else base


def top_level_statements(source: str) -> Iterator[ast.stmt]:
    """Dedent and parse ``source``; yield its top-level statements. Raises
    ``SyntaxError`` for source Python would not compile (C1)."""
    if "\0" in source:
        # Python 3.10's parser raises ValueError here, later ones SyntaxError.
        raise SyntaxError("source code string cannot contain null bytes")
    try:
        tree = ast.parse(textwrap.dedent(source))
        # Python 3.10 parses some deeply nested source that its compiler then
        # rejects (3.11 rejects it while parsing): compile so both agree. Cells
        # may use top-level await, so the compiler must accept it.
        compile(tree, "<register>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except (RecursionError, MemoryError):
        # CPython's parser gives up on some deeply nested source this way;
        # for register() that is invalid source (C1), not a crash.
        raise SyntaxError("the import source is too deeply nested to parse") from None
    yield from tree.body


def parse(source: str, *, package: str = "", allow_other_statements: bool = False) -> list[Binding]:
    """Single-binding records for the top-level imports of ``source`` (C1)."""
    bindings: list[Binding] = []
    lines = textwrap.dedent(source).splitlines()
    for statement in top_level_statements(source):
        text = _statement_text(statement, lines)
        if isinstance(statement, ast.Import):
            bindings += [Binding("import", a.name, "", a.asname or "") for a in statement.names]
        elif isinstance(statement, ast.ImportFrom):
            if statement.module == "__future__":
                continue  # a compiler directive, not an import that binds a name
            try:
                module = resolve(statement.module, statement.level, package)
            except ImportError as error:
                raise ImportError(f"`{text}` {error}") from None
            bindings += [Binding("from", module, a.name, a.asname or "") for a in statement.names]
        elif not allow_other_statements:
            raise ValueError(
                f"`{text}` (line {statement.lineno}) is not an import statement; "
                "register() takes only top-level import statements "
                "(pass allow_other_statements=True to ignore other code)"
            )
    return bindings


def _statement_text(statement: ast.stmt, lines: list[str]) -> str:
    first = lines[statement.lineno - 1].strip() if statement.lineno <= len(lines) else ""
    return first if len(first) <= 80 else first[:77] + "..."
