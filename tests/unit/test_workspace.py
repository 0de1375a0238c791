"""C5: workspace normalisation and containment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import liveimport
from helpers import states
from liveimport._workspace import Workspace, normalise_directories


def test_c5_normalises_relative_dotdot_and_symlinks(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.chdir(tmp_path)
    dirs = normalise_directories(["real/sub/..", link, Path("real")])
    assert dirs == (os.path.realpath(real),)


def test_c5_rejects_missing_and_files(tmp_path):
    file = tmp_path / "f.py"
    file.write_text("")
    with pytest.raises(ValueError, match="does not exist"):
        normalise_directories([tmp_path / "nope"])
    with pytest.raises(ValueError, match="is not a directory"):
        normalise_directories([file])
    with pytest.raises(ValueError, match="empty path"):
        normalise_directories([""])
    with pytest.raises(TypeError, match=r"str or os\.PathLike"):
        normalise_directories([3])

    class BytesPath:
        def __fspath__(self):
            return b"/tmp"

    with pytest.raises(TypeError, match="must be text"):
        normalise_directories([BytesPath()])


def test_c5_contains_is_prefix_by_directory_not_by_string(tmp_path):
    ws = Workspace((str(tmp_path / "proj"),))
    assert ws.contains(str(tmp_path / "proj" / "a.py"))
    assert not ws.contains(str(tmp_path / "project2" / "a.py"))
    assert Workspace(("/",)).contains("/x.py")
    assert not Workspace(()).contains("/x.py")


def test_c5_a_virtualenv_inside_the_workspace_is_not_the_users_code(modules, monkeypatch, imp):
    """C5: a Python environment inside the workspace (a project's .venv) is not
    the user's code: its libraries are not tracked indirectly, unless a
    workspace directory inside the environment is named."""
    site = modules.root / ".venv" / "lib" / "python3" / "site-packages"
    site.mkdir(parents=True)
    (site / "venvlib.py").write_text("V = 1\n")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    liveimport.workspace(modules.root)  # environments are read when it is set
    modules.write("uses_lib", "import venvlib\n")
    try:
        imp("import uses_lib")
        assert set(states()) == {"uses_lib"}
        liveimport.workspace(site)  # naming a directory inside it opts in
        assert set(states()) == {"uses_lib", "venvlib"}
    finally:
        sys.modules.pop("venvlib", None)


def test_c5_environment_rule_on_paths():
    from liveimport._workspace import Workspace

    ws = Workspace(("/proj",), environments=("/proj/.venv", "/usr"))
    assert ws.contains("/proj/model.py")
    assert not ws.contains("/proj/.venv/lib/site-packages/numpy/__init__.py")
    assert Workspace(("/proj/.venv/lib",), environments=("/proj/.venv",)).contains(
        "/proj/.venv/lib/x.py"
    )
    assert Workspace(("/",), environments=("/usr",)).contains("/home/me/a.py")
    assert not Workspace(("/",), environments=("/usr",)).contains("/usr/lib/b.py")
