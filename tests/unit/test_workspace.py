"""C5: workspace normalisation and containment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
