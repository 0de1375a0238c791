"""File-system faults (C2, A1, C5): files that vanish, move, change type or
cannot be read, and changes that land while a sync is running."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import liveimport
from helpers import assert_unchanged, snapshot, states
from liveimport import ModuleError

# -- deleted, recreated, replaced ---------------------------------------------


def test_c2_deleted_file_is_skipped(modules, log, ab):
    before = snapshot(["a", "b"], ab)
    modules.path("b").unlink()
    assert liveimport.sync() == []
    assert log.events == []
    assert_unchanged(before)
    assert states() == {"a": "current", "b": "missing"}
    # Other changes still go through; the missing module is not reloaded.
    modules.write("a", "from b import fb\ndef fa(): return 'a2:' + fb()\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["a"]
    assert log.events == ["a"] and ab["fa"]() == "a2:b1"


def test_c2_deleted_and_recreated_identical_counts_as_changed(modules, log, ab):
    """Even with the very same content and mtime, a file that comes back counts
    as changed (C2)."""
    path = modules.path("b")
    content, st = path.read_bytes(), path.stat()
    path.unlink()
    assert liveimport.sync() == []
    path.write_bytes(content)
    os.utime(path, ns=(st.st_mtime_ns, st.st_mtime_ns))
    events = liveimport.sync()
    assert [(e.module, e.reason) for e in events] == [("b", "modified"), ("a", "dependent")]
    assert log.events == ["b", "a"]
    assert ab["fb"] is sys.modules["b"].fb and ab["fa"] is sys.modules["a"].fa
    assert states() == {"a": "current", "b": "current"}
    assert liveimport.sync() == []


def test_c2_deleted_between_polls_while_other_change_pending(modules, log, ab):
    modules.write("b", "def fb(): return 'b2'\n" + log.line)
    modules.path("b").unlink()
    assert liveimport.sync() == []  # the change was never readable: nothing lost yet
    modules.write("b", "def fb(): return 'b3'\n" + log.line)
    liveimport.sync()
    assert ab["fb"]() == "b3" and ab["fa"]() == "a1:b3"


def _atomic_replace(path: Path, text: str, mtime_ns: int) -> None:
    """What editors do: write a temporary file, then rename it over the original."""
    tmp = path.with_name(path.name + ".tmp~")
    tmp.write_text(text)
    os.utime(tmp, ns=(mtime_ns, mtime_ns))
    os.replace(tmp, path)


@pytest.mark.parametrize("when", ["older", "same"])
def test_c2_atomic_rename_new_inode(modules, log, ab, when):
    path = modules.path("b")
    st = path.stat()
    mtime = st.st_mtime_ns - 10**9 * 3600 if when == "older" else st.st_mtime_ns
    # Same mtime: the size differs (mtime and size equal would be invisible to
    # C2 -- and to CPython's own .pyc check).
    _atomic_replace(path, "def fb(): return 'b2, renamed'\n" + log.line, mtime)
    assert path.stat().st_ino != st.st_ino
    events = liveimport.sync()
    assert [e.module for e in events] == ["b", "a"]
    assert ab["fb"]() == "b2, renamed" and ab["fa"]() == "a1:b2, renamed"
    assert liveimport.sync() == []


def test_c2_reverted_file_reloads(modules, log, ab):
    path = modules.path("b")
    old_text, old = path.read_text(), path.stat().st_mtime_ns
    modules.write("b", "def fb(): return 'b2'\n" + log.line)
    liveimport.sync()
    path.write_text(old_text)
    os.utime(path, ns=(old, old))  # time went backwards: still a change
    liveimport.sync()
    assert ab["fb"]() == "b1"


# -- unreadable ---------------------------------------------------------------

_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _set_dac_capabilities(enabled: bool) -> bool:
    """Raise or lower CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH in this thread's
    effective set (they stay permitted, so this is reversible). Returns
    whether it worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        capget, capset = libc.capget, libc.capset
    except (OSError, AttributeError):
        return False
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (ctypes.c_uint32 * 6)()  # two {effective, permitted, inheritable}
    if capget(header, data) != 0:
        return False
    mask = (1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH)
    if enabled:
        data[0] |= mask & data[1]
    else:
        data[0] &= ~mask & 0xFFFFFFFF
    return capset(header, data) == 0


@pytest.fixture
def unreadable() -> Iterator:
    """``make(path)``: make ``path`` unreadable for real. As root, chmod alone
    does not deny reads, so the DAC-override capabilities are dropped from
    this thread's effective set for the test's duration."""
    made: list[Path] = []
    dropped = os.geteuid() == 0 and sys.platform == "linux" and _set_dac_capabilities(False)

    def make(path: Path) -> None:
        os.chmod(path, 0)
        made.append(path)
        try:
            with open(path, "rb"):
                pass
        except PermissionError:
            return
        pytest.skip("cannot make a file unreadable here (root without capset)")

    try:
        yield make
    finally:
        for path in made:
            if path.exists():
                os.chmod(path, 0o644)
        if dropped:
            _set_dac_capabilities(True)


def test_c7_permission_denied_fails_cleanly_then_retries(modules, log, ab, unreadable):
    path = modules.write("b", "def fb(): return 'b2'\n" + log.line)
    unreadable(path)
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("b", "analysis")
    assert isinstance(info.value.__cause__, PermissionError)
    assert str(path) in str(info.value) and "PermissionError" in str(info.value)
    assert log.events == []
    assert_unchanged(before)
    os.chmod(path, 0o644)  # chmod does not change the mtime: the retry must come anyway
    events = liveimport.sync()
    assert [e.module for e in events] == ["b", "a"]
    assert ab["fb"]() == "b2"


def test_c1_permission_denied_dependency_at_register(modules, log, ns, unreadable, imp):
    modules.write("dep", "X = 1\n")
    modules.write("top", "import dep\ndef f(): return dep.X\n")
    imp("from top import f")
    liveimport.reset()
    liveimport.workspace(modules.root)
    unreadable(modules.path("dep"))
    # C1 (r2): a module it would track cannot be read: nothing is registered.
    with pytest.raises(ModuleError) as info:
        liveimport.register(ns, "from top import f")
    assert (info.value.module, info.value.phase) == ("dep", "analysis")
    assert liveimport.registered(ns) == []
    os.chmod(modules.path("dep"), 0o644)
    liveimport.register(ns, "from top import f")
    assert liveimport.sync() == [] and ns["f"]() == 1


# -- changes of type ----------------------------------------------------------


def test_c2_file_turned_into_directory_is_skipped_like_missing(modules, log, ab):
    """Where the source file was there is now a directory: there is no source
    file, so the module is skipped (C2) -- a sync that fails every time would
    block every notebook cell (N6)."""
    before = snapshot(["a", "b"], ab)
    path = modules.path("b")
    path.unlink()
    path.mkdir()
    (path / "junk.txt").write_text("x")
    assert liveimport.sync() == []
    assert_unchanged(before)
    assert states()["b"] == "missing"
    # Other modules still sync, and the file coming back counts as changed.
    modules.write("a", "from b import fb\ndef fa(): return 'a2:' + fb()\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["a"]
    shutil.rmtree(path)
    modules.write("b", "def fb(): return 'b3'\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["b", "a"]
    assert ab["fa"]() == "a2:b3"


def test_c2_symlink_whose_target_changes(modules, log, ns, imp):
    v1 = modules.root / "v1.txt"
    v2 = modules.root / "v2.txt"
    v1.write_text("def f(): return 'v1'\n")
    v2.write_text("def f(): return 'v2'\n")
    modules.set_mtime(v1)
    modules.set_mtime(v2)
    link = modules.path("lnk")
    link.symlink_to(v1)
    imp("from lnk import f")
    assert ns["f"]() == "v1"
    link.unlink()
    link.symlink_to(v2)
    [event] = liveimport.sync()
    assert event.module == "lnk" and ns["f"]() == "v2"
    # Editing the target through the link is a change too.
    v2.write_text("def f(): return 'v2b'\n")
    modules.set_mtime(v2)
    liveimport.sync()
    assert ns["f"]() == "v2b"
    # A dangling link is a missing file: skipped, then picked up again.
    v2.unlink()
    assert liveimport.sync() == []
    assert states()["lnk"] == "missing"
    v2.write_text("def f(): return 'v2c'\n")
    liveimport.sync()
    assert ns["f"]() == "v2c"


def test_c5_workspace_directory_removed(modules, log, ab, tmp_path):
    before = snapshot(["a", "b"], ab)
    shutil.rmtree(modules.root)
    assert liveimport.sync() == []
    assert_unchanged(before)
    assert states() == {"a": "missing", "b": "missing"}
    assert str(liveimport.status())  # still renders
    # The workspace can still be changed; a missing directory is refused.
    with pytest.raises(ValueError, match="does not exist"):
        liveimport.workspace(modules.root)
    other = tmp_path / "other"
    other.mkdir()
    liveimport.workspace(other, extend=True)
    assert str(other) in liveimport.status().workspace
    # The directory comes back: its files count as changed.
    modules.root.mkdir()
    modules.write("b", "def fb(): return 'b9'\n" + log.line)
    modules.write("a", "from b import fb\ndef fa(): return 'a9:' + fb()\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["b", "a"]
    assert ab["fa"]() == "a9:b9"


# -- a change that lands while a sync is running ------------------------------


def _writer_source(target: Path, text: str, mtime_ns: int) -> str:
    """Module code that, when it runs, rewrites ``target`` (as an editor saving
    while the sync is running)."""
    return (
        "import os as _os\n"
        f"_p = {str(target)!r}\n"
        f"with open(_p, 'w') as _f: _f.write({text!r})\n"
        f"_os.utime(_p, ns=({mtime_ns}, {mtime_ns}))\n"
    )


@pytest.fixture
def bw(modules, log, imp):
    """``b`` and a writer module ``w``, both logged; ``fb`` and ``fw`` registered."""
    modules.write("b", "def fb(): return 'b1'\n" + log.line)
    modules.write("w", "def fw(): return 'w1'\n" + log.line)
    imp("from b import fb\nfrom w import fw")
    log.clear()


def test_c2_change_landing_during_sync_is_picked_up_next(modules, log, ns, bw):
    # w's new version edits b while w reloads (b was already polled: unchanged).
    modules.write(
        "w",
        "def fw(): return 'w2'\n"
        + _writer_source(modules.path("b"), "def fb(): return 'b2'\n" + log.line, modules.tick())
        + log.line,
    )
    assert [e.module for e in liveimport.sync()] == ["w"]
    assert ns["fb"]() == "b1"
    assert [e.module for e in liveimport.sync()] == ["b"]  # never lost
    assert ns["fb"]() == "b2" and log.events == ["w", "b"]


def test_c2_module_editing_its_own_file_during_sync(modules, log, ns, imp):
    path = modules.path("s")
    modules.write("s", "def f(): return 1\n")
    imp("from s import f")
    modules.write("s", "def f(): return 2\n" + _writer_source(path, "def f(): return 3\n", 1))
    liveimport.sync()
    assert ns["f"]() == 2
    liveimport.sync()  # the file changed after it was read: reload again
    assert ns["f"]() == 3
    assert liveimport.sync() == []


def test_a1_change_landing_during_failed_sync_is_not_lost(modules, log, ns, bw):
    modules.write(
        "w",
        _writer_source(modules.path("b"), "def fb(): return 'b2'\n" + log.line, modules.tick())
        + "raise RuntimeError('w is broken')\n",
    )
    before = snapshot(["b", "w"], ns)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "w" and "w is broken" in str(info.value)
    assert_unchanged(before)
    modules.write("w", "def fw(): return 'w3'\n" + log.line)
    assert sorted(e.module for e in liveimport.sync()) == ["b", "w"]
    assert ns["fb"]() == "b2" and ns["fw"]() == "w3"
