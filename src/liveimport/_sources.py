"""Source files: where a module's source lives, and what it imports."""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import tempfile
import types
from dataclasses import dataclass
from stat import S_ISREG

from ._errors import ModuleError
from ._scan import top_level_imports
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
        return origin if os.path.isabs(origin) else os.path.abspath(origin)
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


#: What reading and parsing a source file can raise besides ``SyntaxError``.
#: CPython's parser gives up on some deeply nested source with RecursionError
#: or MemoryError: that too is a file it cannot parse (A1, C7).
_UNREADABLE = (OSError, UnicodeDecodeError, ValueError, LookupError, RecursionError, MemoryError)


def read_stamp(file: str) -> tuple[int, int] | None:
    """``(st_mtime_ns, st_size)`` of a regular file, or None if there is none."""
    try:
        st = os.stat(file)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if S_ISREG(st.st_mode) else None


def _targets(data: bytes, package: str) -> tuple[str, ...]:
    return import_targets(top_level_imports(importlib.util.decode_source(data)), package)


def analyse(name: str, file: str, package: str) -> Analysis:
    """Read and compile ``file`` (so every syntax error surfaces before anything
    reloads, A1) and list its top-level import targets. Raises ``ModuleError``
    with phase ``"analysis"``.

    The compiled code is written to the bytecode cache, so the reload that
    follows loads it instead of compiling the file a second time."""
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        code = compile(data, file, "exec", dont_inherit=True)
        targets = _targets(data, package)
    except SyntaxError as error:
        raise ModuleError(name, "analysis", error.filename or file, error.lineno) from error
    except _UNREADABLE as error:
        raise ModuleError(name, "analysis", file) from error
    _write_bytecode(file, code, data)
    return Analysis(targets)


def _write_bytecode(file: str, code: types.CodeType, source: bytes) -> None:
    """Best-effort ``.pyc`` for ``file`` (PEP 552 layout), checked by source hash.

    A timestamp ``.pyc`` is validated by whole-second mtime and size, so a
    same-size edit within the same second would load stale code; a checked
    hash ``.pyc`` is validated against the file's content by the loader, so
    it is never used for any source but the one compiled here."""
    if sys.dont_write_bytecode:
        return
    try:
        cache = importlib.util.cache_from_source(file)
    except (NotImplementedError, ValueError):  # pragma: no cover - no cache tag
        return
    header = (
        importlib.util.MAGIC_NUMBER
        + (0b11).to_bytes(4, "little")  # hash-based, check the source
        + importlib.util.source_hash(source)
    )
    try:
        # Same permissions as the import system gives a cache file.
        mode = (os.stat(file).st_mode & 0o666) | 0o200
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(cache), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header + marshal.dumps(code))
            os.chmod(temp, mode)
            os.replace(temp, cache)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass  # an unwritable cache only costs the import system a recompile


def scan_targets(file: str, package: str) -> tuple[str, ...] | None:
    """Top-level import targets of ``file`` for tracking, or None when it cannot
    be read or parsed right now (the next sync then reports why)."""
    try:
        with open(file, "rb") as handle:
            return _targets(handle.read(), package)
    except (SyntaxError, *_UNREADABLE):
        return None
