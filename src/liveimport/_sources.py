"""Source files: where a module's source lives, its stamp, and what it imports."""

from __future__ import annotations

import ast
import importlib.util
import os
import types
from dataclasses import dataclass

from ._errors import ModuleError
from ._statements import import_targets


def source_file(module: object) -> str | None:
    """The module's ``.py`` source file, or None (built-in, extension, frozen,
    namespace package, or something that is not a module)."""
    if not isinstance(module, types.ModuleType):
        return None
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) if spec is not None else None
    if not (isinstance(origin, str) and origin.endswith(".py")):
        origin = getattr(module, "__file__", None)
    if isinstance(origin, str) and origin.endswith(".py"):
        return os.path.abspath(origin)
    return None


def package_of(name: str, module: object) -> str:
    """The package a module's relative imports resolve against."""
    if hasattr(module, "__path__"):
        return name
    return name.rpartition(".")[0]


@dataclass(frozen=True, slots=True)
class Analysis:
    """A successfully read and compiled source file."""

    targets: tuple[str, ...]


def analyse(name: str, file: str, package: str) -> Analysis:
    """Read ``file``, compile it (so every syntax error surfaces before anything
    reloads, A1) and list its top-level import targets. Raises ``ModuleError``
    with phase ``"analysis"``."""
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        text = importlib.util.decode_source(data)
        tree = ast.parse(text, file)
        compile(tree, file, "exec", dont_inherit=True)
    except SyntaxError as error:
        raise ModuleError(name, "analysis", error.filename or file, error.lineno) from error
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError) as error:
        # CPython's parser gives up on some deeply nested source with
        # RecursionError or MemoryError: a file it cannot parse (A1, C7).
        raise ModuleError(name, "analysis", file) from error
    return Analysis(import_targets(tree, package))


def scan_targets(file: str, package: str) -> tuple[str, ...] | None:
    """Top-level import targets of ``file`` for tracking, or None when it cannot
    be read or parsed right now (the next sync then reports why)."""
    try:
        return analyse_imports_only(file, package)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        return None


def analyse_imports_only(file: str, package: str) -> tuple[str, ...]:
    with open(file, "rb") as handle:
        data = handle.read()
    return import_targets(ast.parse(importlib.util.decode_source(data), file), package)
