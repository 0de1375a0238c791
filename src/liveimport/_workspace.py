"""C5: the workspace, the directories whose modules may be tracked indirectly."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

#: The workspace default: the current directory when liveimport was first imported.
INITIAL_CWD = os.path.realpath(os.getcwd())


def normalise_directories(directories: Iterable[object]) -> tuple[str, ...]:
    """Absolute, symlink-free, de-duplicated directory paths, in the given order.

    Raises ``TypeError`` for something that is not a path and ``ValueError``
    for a path that does not exist or is not a directory.
    """
    result: list[str] = []
    for entry in directories:
        if not isinstance(entry, (str, os.PathLike)):
            raise TypeError(
                f"workspace: directories must be str or os.PathLike, not {type(entry).__name__}"
            )
        raw = os.fspath(entry)
        if not isinstance(raw, str):
            raise TypeError(f"workspace: directory paths must be text, not {raw!r}")
        if not raw:
            raise ValueError("workspace: an empty path names no directory (use '.' for this one)")
        try:
            path = os.path.realpath(os.path.abspath(raw))
        except ValueError as error:  # e.g. an embedded null byte
            raise ValueError(f"workspace: {raw!r} is not a valid path: {error}") from None
        if not os.path.exists(path):
            raise ValueError(f"workspace: {raw!r} does not exist")
        if not os.path.isdir(path):
            raise ValueError(f"workspace: {raw!r} is not a directory")
        if path not in result:
            result.append(path)
    return tuple(result)


@dataclass(frozen=True)
class Workspace:
    """An immutable set of normalised directories."""

    directories: tuple[str, ...]

    def contains(self, real_file: str) -> bool:
        """Whether a (realpath-normalised) file lies under one of the directories."""
        for directory in self.directories:
            prefix = directory if directory.endswith(os.sep) else directory + os.sep
            if real_file.startswith(prefix):
                return True
        return False
