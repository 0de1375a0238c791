"""C5: workspace() — accepted forms, normalisation, validation and immediate effect."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import liveimport
from helpers import tracked


def ws() -> tuple[str, ...]:
    return liveimport.status().workspace


def real(path: Path | str) -> str:
    return os.path.realpath(path)


def test_c5_accepts_str_and_pathlike(modules, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    liveimport.workspace(str(modules.root))
    assert ws() == (real(modules.root),)
    liveimport.workspace(other)
    assert ws() == (real(other),)
    liveimport.workspace(modules.root, str(other))
    assert set(ws()) == {real(modules.root), real(other)}


def test_c5_workspace_paths_are_absolute(modules):
    assert all(os.path.isabs(p) for p in ws())
    assert ws() == (real(modules.root),)


def test_c5_relative_path_resolves_against_current_directory(modules, tmp_path):
    os.chdir(tmp_path)  # the modules fixture restores the directory
    liveimport.workspace("src")
    assert ws() == (real(modules.root),)
    os.chdir(modules.root)
    liveimport.workspace(".")
    assert ws() == (real(modules.root),)


def test_c5_dotdot_and_symlinks_are_normalised(modules, tmp_path):
    sub = modules.root / "sub"
    sub.mkdir()
    liveimport.workspace(sub / ".." / "sub" / "..")
    assert ws() == (real(modules.root),)
    link = tmp_path / "link"
    link.symlink_to(modules.root, target_is_directory=True)
    liveimport.workspace(link)
    assert ws() == (real(modules.root),)


def test_c5_symlinked_workspace_tracks_modules_under_the_real_path(modules, tmp_path, ns, imp):
    link = tmp_path / "link"
    link.symlink_to(modules.root, target_is_directory=True)
    modules.write("wb", "V = 1\n")
    modules.write("wa", "import wb\n")
    liveimport.workspace(link)
    imp("import wa")
    assert "wb" in tracked()


def test_c5_missing_path_raises_and_changes_nothing(modules, tmp_path):
    before = ws()
    with pytest.raises(ValueError) as info:
        liveimport.workspace(tmp_path / "does-not-exist")
    assert "does-not-exist" in str(info.value)
    assert ws() == before
    with pytest.raises(ValueError):
        liveimport.workspace(tmp_path, tmp_path / "does-not-exist")
    assert ws() == before
    with pytest.raises(ValueError):
        liveimport.workspace(tmp_path / "does-not-exist", extend=True)
    assert ws() == before


def test_c5_file_raises_and_changes_nothing(modules, tmp_path):
    path = modules.write("wa", "V = 1\n")
    before = ws()
    with pytest.raises(ValueError) as info:
        liveimport.workspace(path)
    assert "wa.py" in str(info.value)
    assert ws() == before


def test_c5_bad_type_raises_and_changes_nothing(modules):
    before = ws()
    with pytest.raises((TypeError, ValueError)):
        liveimport.workspace(123)
    with pytest.raises((TypeError, ValueError)):
        liveimport.workspace(None)
    with pytest.raises((TypeError, ValueError)):
        liveimport.workspace([str(modules.root)])
    assert ws() == before


def test_c5_extend_adds(modules, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    liveimport.workspace(other, extend=True)
    assert set(ws()) == {real(modules.root), real(other)}
    liveimport.workspace(other, extend=True)
    assert sorted(ws()) == sorted({real(modules.root), real(other)})


def test_c5_no_directories_means_empty(modules):
    liveimport.workspace()
    assert ws() == ()


def test_c5_takes_effect_at_once(modules, ns, imp, log):
    modules.write("wb", "V = 1\n" + log.line)
    modules.write("wa", "import wb\n" + log.line)
    imp("import wa")
    assert "wb" in tracked()
    liveimport.workspace()
    assert tracked() == {"wa"}
    log.clear()
    modules.write("wb", "V = 2\n" + log.line)
    assert liveimport.sync() == []
    assert log.events == []
    liveimport.workspace(modules.root)
    assert "wb" in tracked()
    # wb changed while it was not tracked; from now on changes are seen
    modules.write("wb", "V = 3\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["wb", "wa"]
    assert ns["wa"].wb.V == 3


def test_c5_workspace_change_keeps_registered_modules(modules, tmp_path, ns, imp):
    modules.write("wa", "V = 1\n")
    imp("from wa import V")
    other = tmp_path / "other"
    other.mkdir()
    liveimport.workspace(other)
    assert "wa" in tracked()
    modules.write("wa", "V = 2\n")
    assert [e.module for e in liveimport.sync()] == ["wa"]
    assert ns["V"] == 2


def test_c5_extending_workspace_starts_tracking_new_indirect_modules(
    modules, outside_modules, ns, imp
):
    outside_modules.write("extmod", "V = 1\n")
    modules.write("wa", "import extmod\n")
    imp("import wa")
    assert "extmod" not in tracked()
    liveimport.workspace(outside_modules.root, extend=True)
    assert "extmod" in tracked()
    outside_modules.write("extmod", "V = 2\n")
    assert [e.module for e in liveimport.sync()] == ["extmod", "wa"]
