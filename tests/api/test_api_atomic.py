"""A1: a sync completes entirely or changes nothing the user can see."""

from __future__ import annotations

import sys

import pytest

import liveimport
from helpers import assert_unchanged, names, snapshot
from liveimport import ModuleError


def test_a1_failure_in_unchanged_dependent_is_retried(modules, ns, imp, outside_modules):
    # at_b fails on reload only while the flag module says so: its file never changes
    outside_modules.write("at_flag", "FAIL = False\n")
    modules.write("at_a", "X = 1\n")
    modules.write("at_b", "import at_a\nif __import__('at_flag').FAIL:\n    raise OSError('x')\n")
    imp("from at_a import X\nimport at_b")
    modules.write("at_a", "X = 2\n")
    sys.modules["at_flag"].FAIL = True
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "at_b"
    assert ns["X"] == 1
    assert sys.modules["at_a"].X == 1
    sys.modules["at_flag"].FAIL = False
    events = liveimport.sync()
    assert [(e.module, e.reason) for e in events] == [("at_a", "modified"), ("at_b", "dependent")]
    assert ns["X"] == 2


def test_a1_rebind_failure_restores_everything(modules, ns, imp):
    modules.write("at_a", "X = 1\nY = 1\n")
    modules.write("at_b", "Z = 1\n")
    imp("from at_b import Z\nfrom at_a import X, Y")
    before = snapshot(["at_a", "at_b"], ns)
    modules.write("at_b", "Z = 2\n")
    # reload keeps old names, so the new version removes X explicitly
    modules.write("at_a", "Y = 2\nglobals().pop('X', None)\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "at_a"
    assert info.value.phase == "rebind"
    assert "X" in str(info.value)
    assert_unchanged(before)
    assert sys.modules["at_a"].X == 1
    modules.write("at_a", "X = 3\nY = 3\n")
    assert sorted(names(liveimport.sync())) == ["at_a", "at_b"]
    assert (ns["X"], ns["Y"], ns["Z"]) == (3, 3, 2)


def test_a1_failed_sync_sends_no_events_to_the_observer(modules, ns, imp):
    modules.write("at_a", "X = 1\n")
    modules.write("at_b", "import at_a\n")
    imp("import at_b")
    modules.write("at_a", "X = 2\n")
    modules.write("at_b", "import at_a\nraise ValueError('no')\n")
    seen: list = []
    with pytest.raises(ModuleError):
        liveimport.sync(observer=seen.append)
    assert seen == []  # the observer only ever sees committed reloads
    modules.write("at_b", "import at_a\n")
    events = liveimport.sync(observer=seen.append)
    assert names(events) == ["at_a", "at_b"]
    assert seen == events


def test_a1_sys_modules_entry_kept_when_module_replaces_itself(modules, ns, imp):
    modules.write("at_a", "X = 1\n")
    imp("import at_a")
    original = sys.modules["at_a"]
    modules.write(
        "at_a",
        "import sys, types\nX = 2\nsys.modules[__name__] = types.ModuleType(__name__)\n"
        "raise RuntimeError('after replacing')\n",
    )
    with pytest.raises(ModuleError):
        liveimport.sync()
    assert sys.modules["at_a"] is original
    assert ns["at_a"] is original
    assert original.X == 1


def test_a1_rebind_failure_in_second_namespace_leaves_first_untouched(modules, imp):
    modules.write("at_a", "X = 1\nY = 1\n")
    first = {"__name__": "first"}
    second = {"__name__": "second"}
    imp("from at_a import Y", first)
    imp("from at_a import X", second)
    before = snapshot(["at_a"], first, second)
    modules.write("at_a", "Y = 2\nglobals().pop('X', None)\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.phase == "rebind"
    assert_unchanged(before)


def test_a1_module_removed_from_sys_modules_does_not_leak_raw_errors(modules, ns, imp):
    modules.write("at_a", "X = 1\n")
    modules.write("at_b", "Y = 1\n")
    imp("import at_a\nimport at_b")
    del sys.modules["at_a"]
    modules.write("at_a", "X = 2\n")
    modules.write("at_b", "Y = 2\n")
    # C2 (r2): at_a is skipped while it is out of sys.modules, and stays
    # tracked; at_b's change reloads as usual; no raw error.
    assert names(liveimport.sync()) == ["at_b"]
    assert sys.modules["at_b"].Y == 2
    assert "at_a" in {m.name for m in liveimport.status().modules}
    assert liveimport.registered(ns) == ["import at_a", "import at_b"]
    sys.modules["at_a"] = ns["at_a"]  # back: tracked as before, its change reloads
    assert names(liveimport.sync()) == ["at_a"]
    assert ns["at_a"].X == 2
