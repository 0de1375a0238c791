"""A7: ``python -m liveimport enable`` / ``disable`` for the default IPython profile.

IPython finds its profiles (``IPYTHONDIR``, else ``~/.ipython``); this module
asks it where, so the file edited is the file every IPython shell and Jupyter
kernel of this user reads.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from ._ipyconfig import ConfigEditError, Edit, disable, enable, enabling_line

CONFIG_NAME = "ipython_config.py"


def config_path() -> str:
    """The default profile's ``ipython_config.py`` (which may not exist yet)."""
    from IPython.paths import get_ipython_dir

    return os.path.join(get_ipython_dir(), "profile_default", CONFIG_NAME)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return None


def _write(path: str, edit: Edit) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Write beside it, then replace: an interrupted write never leaves half a config.
    temporary = path + ".liveimport-tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(edit.text)
    os.replace(temporary, path)


def run(command: str, out: TextIO | None = None) -> int:
    """``enable`` or ``disable``; prints what changed and where; returns an exit status."""
    stream = out if out is not None else sys.stdout
    path = config_path()
    try:
        text = _read(path)
        if command == "enable":
            edit = enable(text, path)
            if edit is None:
                assert text is not None
                line = enabling_line(text, path)
                stream.write(
                    f"LiveImport is already enabled in {path} (line {line}); nothing changed.\n"
                )
                return 0
            _write(path, edit)
            verb = "Created" if text is None else "Changed"
            stream.write(f"{verb} {path}:\n")
            stream.write("".join(f"  {change}\n" for change in edit.changes))
            stream.write(
                "Every IPython shell and Jupyter kernel started from now on with the "
                "default profile loads LiveImport\n(kernels already running: restart them). "
                "Undo with: python -m liveimport disable\n"
            )
            return 0
        edit = disable(text, path) if text is not None else None
        if edit is None:
            where = path if text is not None else f"{path} (there is no such file)"
            stream.write(f"LiveImport is not enabled in {where}; nothing changed.\n")
            return 0
        _write(path, edit)
        stream.write(f"Changed {path}:\n")
        stream.write("".join(f"  {change}\n" for change in edit.changes))
        stream.write("IPython shells and Jupyter kernels started from now on do not load it.\n")
        return 0
    except (ConfigEditError, OSError, UnicodeDecodeError) as error:
        print(f"liveimport {command}: {error}", file=sys.stderr)
        return 1
