"""A6: ``linecache`` serves the source each tracked module is running.

Tracebacks, ``inspect.getsource`` and debuggers read source through
``linecache``. Left alone, it reads the file on disk, which after an edit that
has not been reloaded yet is not the code that runs. A pinned entry (one whose
mtime is ``None``) is never revalidated by ``linecache.checkcache``, so it keeps
showing the loaded source until LiveImport replaces or releases it.
"""

from __future__ import annotations

import linecache

#: file -> the lines LiveImport pinned, so only our own entries are released.
_pinned: dict[str, list[str]] = {}


def pin(file: str, text: str) -> None:
    """Serve ``text`` as the source of ``file``."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[file] = (len(text), None, lines, file)
    _pinned[file] = lines


def release(file: str) -> None:
    """Stop serving a pinned source; ``linecache`` reads the file again."""
    lines = _pinned.pop(file, None)
    entry = linecache.cache.get(file)
    if lines is not None and entry is not None and len(entry) == 4 and entry[2] is lines:
        del linecache.cache[file]
