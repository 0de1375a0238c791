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
from ._imports import Step, import_steps
from ._scan import top_level_imports


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
    """A successfully read source file: its text (for linecache, A6), its
    top-level imports, and, when compiled, its code."""

    steps: tuple[Step, ...]
    text: str
    code: types.CodeType | None = None


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


def _read(
    name: str, file: str, package: str, *, compiled: bool, cached: str | None = None
) -> Analysis:
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        code = None
        if compiled or not _cached_bytecode_matches(file, data, cached):
            code = compile(data, file, "exec", dont_inherit=True)
        text = importlib.util.decode_source(data)
        steps = import_steps(top_level_imports(text), package)
    except SyntaxError as error:
        raise ModuleError(name, "analysis", error.filename or file, error.lineno) from error
    except _UNREADABLE as error:
        raise ModuleError(name, "analysis", file) from error
    if code is not None:
        _write_bytecode(file, code, data)
    return Analysis(steps, text, code if compiled else None)


def analyse(name: str, file: str, package: str) -> Analysis:
    """Read and compile ``file`` (so every syntax error surfaces before anything
    reloads, A1) and list its top-level imports. Raises ``ModuleError`` with
    phase ``"analysis"``.

    The compiled code is what the reload executes; it is also written to the
    bytecode cache, so a later fresh import need not compile it again."""
    return _read(name, file, package, compiled=True)


def scan(name: str, file: str, package: str, cached: str | None = None) -> Analysis:
    """Read ``file`` and list its top-level imports, for tracking. Raises
    ``ModuleError`` with phase ``"analysis"`` when it cannot be read or parsed
    (C1): a file with an up-to-date bytecode cache compiled when it was
    imported, so only a file without one is compiled to find out. ``cached``
    is the module's bytecode cache path when known."""
    return _read(name, file, package, compiled=False, cached=cached)


def _cached_bytecode_matches(file: str, source: bytes, cache: str | None = None) -> bool:
    """Whether the bytecode cache of ``file`` was compiled from ``source``
    (PEP 552 header: source mtime and size, or source hash)."""
    try:
        cache = cache or importlib.util.cache_from_source(file)
        with open(cache, "rb") as handle:
            header = handle.read(16)
        st = os.stat(file)
    except (OSError, NotImplementedError, ValueError):
        return False
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return False
    flags = int.from_bytes(header[4:8], "little")
    if flags & 0b1:
        return header[8:16] == importlib.util.source_hash(source)
    mtime = int.from_bytes(header[8:12], "little")
    size = int.from_bytes(header[12:16], "little")
    return mtime == (int(st.st_mtime) & 0xFFFFFFFF) and size == (len(source) & 0xFFFFFFFF)


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
