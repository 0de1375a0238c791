"""A1/C2: reading, compiling and caching changed sources."""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
import sys

import pytest

import liveimport
from liveimport import ModuleError
from liveimport._imports import Step
from liveimport._sources import analyse, package_of, scan, source_file


@pytest.mark.parametrize("write_bytecode", [True, False])
def test_c2_same_second_same_size_edit_never_loads_stale_code(modules, monkeypatch, write_bytecode):
    """Timestamp .pyc files are checked by whole-second mtime and size, so a plain
    reload can pick stale bytecode here; LiveImport must not."""
    monkeypatch.setattr(sys, "dont_write_bytecode", not write_bytecode)
    base = 1_800_000_000 * 10**9
    path = modules.write("samesize", "X = 1\n", mtime_ns=base)
    import samesize

    ns = {"samesize": samesize}
    liveimport.register(ns, "import samesize")
    for value, offset in ((2, 1000), (3, 2000), (4, 3000)):
        path.write_text(f"X = {value}\n")
        os.utime(path, ns=(base + offset, base + offset))
        assert [e.module for e in liveimport.sync()] == ["samesize"]
        seen = samesize.X
        assert seen == value
    cache = importlib.util.cache_from_source(str(path))
    assert os.path.exists(cache) == write_bytecode


def test_a1_analysis_reports_syntax_errors_with_location(modules):
    path = modules.write("broken_src", "x = 1\ndef f(:\n")
    with pytest.raises(ModuleError) as info:
        analyse("broken_src", str(path), "")
    error = info.value
    assert (error.phase, error.module, error.file, error.line) == (
        "analysis",
        "broken_src",
        str(path),
        2,
    )
    assert isinstance(error.__cause__, SyntaxError)


def test_a1_analysis_reports_unreadable_and_undecodable_files(modules, tmp_path):
    with pytest.raises(ModuleError) as info:
        analyse("gone", str(tmp_path / "gone.py"), "")
    assert info.value.phase == "analysis" and isinstance(info.value.__cause__, OSError)
    bad = tmp_path / "bad_utf8.py"
    bad.write_bytes(b"x = '\xff'\n")
    with pytest.raises(ModuleError) as info:
        analyse("bad_utf8", str(bad), "")
    assert info.value.phase == "analysis"


def test_c4_analysis_and_scan_list_import_targets(modules):
    path = modules.write("pkg_s.mod", "from . import sib\nimport os\n'''\nimport fake\n'''\n")
    steps = (Step("pkg_s", ("sib",)), Step("os"))
    assert analyse("pkg_s.mod", str(path), "pkg_s").steps == steps
    assert scan("pkg_s.mod", str(path), "pkg_s").steps == steps
    broken = modules.write("broken_scan", "import\n")
    with pytest.raises(ModuleError, match="broken_scan"):
        scan("broken_scan", str(broken), "")
    with pytest.raises(ModuleError):
        scan("missing", str(modules.root / "missing.py"), "")
    late = modules.write("late_error", "import os\nx = (\n")
    with pytest.raises(ModuleError):  # the error is past the imports: C1 still sees it
        scan("late_error", str(late), "")


def test_c1_source_file_of_modules_without_source(modules):
    assert source_file(sys) is None  # built-in
    assert source_file(math) is None or not source_file(math).endswith(".py")
    assert source_file("not a module") is None
    (modules.root / "nspkg_s").mkdir()
    import nspkg_s  # namespace package: no file

    assert source_file(nspkg_s) is None
    assert package_of("nspkg_s", nspkg_s) == "nspkg_s"
    assert package_of("a.b", math) == "a"
    assert source_file(os).endswith("os.py")


def test_c1_a_bytecode_cache_that_does_not_match_means_the_file_is_compiled(modules, monkeypatch):
    import importlib.util as iu

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = modules.write("cache_hdr", "import os\nX = (\n")  # broken past the imports
    cache = iu.cache_from_source(str(path))
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "wb") as handle:
        handle.write(b"short")  # not a header: no evidence the file compiled
    with pytest.raises(ModuleError):
        scan("cache_hdr", str(path), "")
    good = modules.write("cache_hash", "import os\nX = 1\n")
    analyse("cache_hash", str(good), "")  # writes a checked-hash cache file
    assert scan("cache_hash", str(good), "").steps == (Step("os"),)


def test_a6_pinned_source_without_a_final_newline_reads_as_lines():
    import linecache

    from liveimport import _linecache

    _linecache.pin("/nonexistent/pinned.py", "a = 1\nb = 2")
    try:
        assert linecache.getlines("/nonexistent/pinned.py") == ["a = 1\n", "b = 2\n"]
    finally:
        _linecache.release("/nonexistent/pinned.py")
    assert "/nonexistent/pinned.py" not in linecache.cache


def test_c2_an_unwritable_bytecode_cache_does_not_fail_the_sync(modules, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = modules.write("cachedir", "X = 1\n")
    import cachedir

    liveimport.register({"cachedir": cachedir}, "import cachedir")
    cache = importlib.util.cache_from_source(str(path))
    if os.path.exists(cache):
        os.unlink(cache)
    os.makedirs(cache)  # a directory where the .pyc would go: the write fails
    modules.write("cachedir", "X = 2\n")
    assert [e.module for e in liveimport.sync()] == ["cachedir"]
    assert cachedir.X == 2
    assert os.listdir(os.path.dirname(cache)) == [os.path.basename(cache)]  # no temp left
    shutil.rmtree(cache)


def test_c2_bytecode_cache_gets_the_source_permissions(modules, monkeypatch, imp):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = modules.write("permmod", "X = 1\n")
    os.chmod(path, 0o640)
    imp("import permmod")
    modules.write("permmod", "X = 2\n")
    os.chmod(path, 0o640)
    liveimport.sync()
    cache = importlib.util.cache_from_source(str(path))
    assert os.stat(cache).st_mode & 0o777 == 0o640 | 0o200


def test_c2_a_changed_file_is_compiled_once(modules, monkeypatch, imp):
    """C2: a changed file is compiled once per change: the reload loads the
    bytecode the analysis wrote instead of compiling the source again."""
    import builtins

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = modules.write("once", "X = 1\n")
    imp("import once")
    modules.write("once", "X = 2\n")
    compiled = []
    real_compile = builtins.compile

    def counting(source, filename, *args, **kwargs):
        compiled.append(str(filename))
        return real_compile(source, filename, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    assert [e.module for e in liveimport.sync()] == ["once"]
    assert compiled.count(str(path)) == 1
    assert sys.modules["once"].X == 2


def test_c2_bytecode_written_after_analysis_is_checked_against_the_source(
    modules, monkeypatch, imp
):
    """C2: the bytecode written after analysis is hash-based and checked against
    the source (PEP 552 flags 0b11), so a fresh interpreter never loads stale
    code after a same-size edit that kept the mtime."""
    import subprocess

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = modules.write("pycflags", "X = 1\n")
    imp("import pycflags")
    modules.write("pycflags", "X = 2\n")
    liveimport.sync()
    cache = importlib.util.cache_from_source(str(path))
    with open(cache, "rb") as handle:
        head = handle.read(16)
    assert head[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(head[4:8], "little") == 0b11
    # A same-size edit with the mtime unchanged: a fresh interpreter still sees it.
    stamp = os.stat(path).st_mtime_ns
    path.write_text("X = 3\n")
    os.utime(path, ns=(stamp, stamp))
    env = {**os.environ, "PYTHONPATH": str(modules.root)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", "import pycflags; print(pycflags.X)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert out.stdout.strip() == "3"
