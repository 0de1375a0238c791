"""C2/C4 edge cases of tracking and change detection, through real files."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import types

import pytest

import liveimport
from liveimport import _api
from liveimport._status import Status
from liveimport._tracking import UNSEEN, Record


def track(ns, source):
    exec(source, ns)
    liveimport.register(ns, source)


def states():
    return {m.name: m.state for m in liveimport.status().modules}


def test_c2_observe_marks_vanished_or_non_file_sources_missing(modules):
    path = modules.write("obs_mod", "X = 1\n")
    import obs_mod

    record = Record("obs_mod", obs_mod)
    assert record.mtime_ns == os.stat(path).st_mtime_ns and not record.missing
    path.unlink()
    record.observe()
    assert record.missing and record.mtime_ns == record.size == UNSEEN
    path.mkdir()  # the name now holds a directory: still no source file
    record.observe()
    assert record.missing


def test_c4_a_root_that_left_sys_modules_stops_being_tracked(modules):
    modules.write("gone_root", "X = 1\n")
    ns = {}
    track(ns, "import gone_root")
    assert "gone_root" in states()
    del sys.modules["gone_root"]
    liveimport.workspace(modules.root)  # any retracking notices it
    assert "gone_root" not in states()
    assert liveimport.registered(ns) == ["import gone_root"]  # registration kept
    assert liveimport.sync() == []


def test_c4_missing_submodule_without_loaded_parent_stays_missing(modules):
    modules.write("rel_pkg", "", package=True)
    modules.write("rel_pkg.leaf", "X = 1\n")
    ns = {}
    track(ns, "import rel_pkg.leaf")
    modules.path("rel_pkg.leaf").unlink()
    del sys.modules["rel_pkg"]  # the parent package is no longer loaded
    assert liveimport.sync() == []
    assert states()["rel_pkg.leaf"] == "missing"


def test_c4_relocation_survives_a_failing_path_hook(modules, monkeypatch):
    """A broken import hook while looking for a moved file is not a sync failure."""
    path = modules.write("hooked", "X = 1\n")
    ns = {}
    track(ns, "import hooked")
    path.unlink()
    odd = str(modules.root / "odd-entry")

    def hook(entry):
        if entry == odd:
            raise ValueError("hook cannot handle this entry")
        raise ImportError

    monkeypatch.setattr(sys, "path", [odd, *sys.path])
    monkeypatch.setattr(sys, "path_hooks", [hook, *sys.path_hooks])
    sys.path_importer_cache.pop(odd, None)
    try:
        assert liveimport.sync() == []
        assert states()["hooked"] == "missing"
    finally:
        sys.path_importer_cache.pop(odd, None)


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


def test_c1_clearing_with_nothing_new_forgets_the_namespace(modules):
    modules.write("clr_mod", "X = 1\n")
    ns = {"__name__": "clearme"}
    track(ns, "from clr_mod import X")
    assert [n.name for n in liveimport.status().namespaces] == ["clearme"]
    liveimport.register(ns, "", clear=True)
    assert liveimport.registered(ns) == []
    assert liveimport.status().namespaces == ()
    assert "clr_mod" not in states()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ns: liveimport.register(ns, "import os", clear="no"), "clear must be True"),
        (
            lambda ns: liveimport.register(ns, "import os", allow_other_statements=1),
            "allow_other_statements must be True",
        ),
        (lambda ns: liveimport.workspace(".", extend="yes"), "extend must be True"),
    ],
)
def test_s5_flags_must_be_booleans_and_errors_change_nothing(modules, call, message):
    import os as os_module

    ns = {"os": os_module}
    liveimport.register(ns, "import os")
    before = (liveimport.registered(ns), liveimport.status())
    with pytest.raises(TypeError, match=message):
        call(ns)
    assert (liveimport.registered(ns), liveimport.status()) == before


def test_c3_from_import_falls_back_to_a_loaded_submodule():
    from liveimport._statements import Binding

    parent = types.ModuleType("fb_parent")
    child = types.ModuleType("fb_parent.child")
    sys.modules.update({"fb_parent": parent, "fb_parent.child": child})
    try:  # the attribute is missing, as after `del parent.child`
        assert Binding("from", "fb_parent", "child").values() == {"child": child}
    finally:
        del sys.modules["fb_parent"], sys.modules["fb_parent.child"]


def test_a3_status_pretty_prints_as_its_text_table(modules):
    class Printer:
        def __init__(self):
            self.parts = []

        def text(self, value):
            self.parts.append(value)

    status = liveimport.status()
    assert isinstance(status, Status)
    printer = Printer()
    status._repr_pretty_(printer, False)
    assert printer.parts == [str(status)]


def test_reset_keeps_the_same_engine_object(modules):
    engine = _api.engine()
    liveimport.reset()
    assert _api.engine() is engine  # in-place: concurrent callers never lose work


def test_c2_a_file_deleted_between_poll_and_analysis_is_skipped(modules):
    from liveimport._transaction import Transaction

    path = modules.write("racy", "X = 1\n")
    track({}, "import racy")
    modules.write("racy", "X = 2\n")
    engine = _api.engine()
    changed = engine.tracker.poll()
    assert [r.name for r in changed] == ["racy"]
    path.unlink()  # the user deletes it while the sync is starting
    assert Transaction(engine.tracker, engine.journals.values(), changed).run() == []
    assert states()["racy"] == "missing"
    assert sys.modules["racy"].X == 1


def test_c7_syntax_error_raised_by_module_code_is_located_where_it_points(modules):
    modules.write("compiles", "X = 1\n")
    track({}, "import compiles")
    modules.write("compiles", "X = 2\ncompile('1 +', 'generated.py', 'exec')\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.phase, error.file, error.line) == ("reload", "generated.py", 1)
    assert sys.modules["compiles"].X == 1
