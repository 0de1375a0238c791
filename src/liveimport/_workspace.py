"""C5: the workspace, the directories whose modules may be tracked indirectly."""

from __future__ import annotations

import os
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass, field

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


def _under(path: str, directory: str) -> bool:
    return path.startswith(directory if directory.endswith(os.sep) else directory + os.sep)


def _environments() -> tuple[str, ...]:
    """Directories that hold installed Python code rather than the user's:
    the interpreter's prefixes (a project's ``.venv`` among them) and every
    site-packages directory on ``sys.path``."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths = sysconfig.get_paths()
    found.update(paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))
    found.update(
        entry for entry in sys.path if os.path.basename(entry) in ("site-packages", "dist-packages")
    )
    return tuple(sorted({os.path.realpath(path) for path in found if path}))


@dataclass(frozen=True)
class Workspace:
    """An immutable set of normalised directories.

    A file inside a Python environment (a project's ``.venv``, site-packages)
    does not count as in the workspace even when the environment sits inside
    a workspace directory: installed libraries are not the user's modules, and
    reloading them (after a ``pip install``, say) would fail in ways no edit
    can fix. Naming a directory inside an environment explicitly opts in.
    """

    directories: tuple[str, ...]
    environments: tuple[str, ...] = field(default_factory=_environments)

    def contains(self, real_file: str) -> bool:
        """Whether a (realpath-normalised) file lies under one of the directories
        and not in an environment nested inside that directory."""
        for directory in self.directories:
            if _under(real_file, directory) and not any(
                _under(real_file, env) and not (directory == env or _under(directory, env))
                for env in self.environments
            ):
                return True
        return False
