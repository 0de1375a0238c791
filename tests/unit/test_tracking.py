"""C2/C4 edge cases of tracking and change detection, through real files."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import types

import pytest

import liveimport
from helpers import states
from liveimport import _api
from liveimport._status import Status
from liveimport._tracking import UNSEEN, Record


def test_c2_a_vanished_or_non_file_source_is_missing(modules):
    path = modules.write("obs_mod", "X = 1\n")
    import obs_mod

    record = Record("obs_mod", obs_mod)
    assert record.mtime_ns == os.stat(path).st_mtime_ns and not record.missing
    assert record.state() == "current"
    path.unlink()
    assert record.stamp() is None and record.missing and record.state() == "missing"
    record.mark_missing()
    assert record.mtime_ns == record.size == UNSEEN
    path.mkdir()  # the name now holds a directory: still no source file
    assert record.stamp() is None and record.missing


def test_c2_a_root_that_left_sys_modules_stays_tracked_and_is_skipped(modules, imp):
    """C2 (r2): no registration is lost when a module leaves sys.modules."""
    modules.write("gone_root", "X = 1\n")
    ns = {}
    imp("import gone_root", namespace=ns)
    del sys.modules["gone_root"]
    liveimport.workspace(modules.root)  # any retracking keeps it
    assert "gone_root" in states()
    modules.write("gone_root", "X = 2\n")
    assert liveimport.sync() == []  # skipped while out
    sys.modules["gone_root"] = ns["gone_root"]
    assert [e.module for e in liveimport.sync()] == ["gone_root"]
    assert ns["gone_root"].X == 2


def test_c4_missing_submodule_without_loaded_parent_stays_missing(modules, imp):
    modules.write("rel_pkg", "", package=True)
    modules.write("rel_pkg.leaf", "X = 1\n")
    ns = {}
    imp("import rel_pkg.leaf", namespace=ns)
    modules.path("rel_pkg.leaf").unlink()
    del sys.modules["rel_pkg"]  # the parent package is no longer loaded
    assert liveimport.sync() == []
    assert states()["rel_pkg.leaf"] == "missing"


def test_c4_a_deleted_file_is_not_replaced_by_a_namesake_elsewhere(modules, outside_modules, imp):
    """Only a move between ``m.py`` and ``m/__init__.py`` is followed: another
    ``m.py`` later on sys.path is a different module and must never run."""
    path = modules.write("shadowed", "WHO = 'mine'\n")
    outside_modules.write("shadowed", "WHO = 'elsewhere'\nraise SystemExit('must not run')\n")
    ns = {}
    imp("from shadowed import WHO", namespace=ns)
    path.unlink()
    assert liveimport.sync() == []
    assert ns["WHO"] == "mine"
    assert states()["shadowed"] == "missing"


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


def test_c1_clearing_with_nothing_new_forgets_the_namespace(modules, imp):
    modules.write("clr_mod", "X = 1\n")
    ns = {"__name__": "clearme"}
    imp("from clr_mod import X", namespace=ns)
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


def test_c2_a_file_deleted_between_poll_and_analysis_is_skipped(modules, imp):
    from liveimport._transaction import Transaction

    path = modules.write("racy", "X = 1\n")
    imp("import racy")
    modules.write("racy", "X = 2\n")
    engine = _api.engine()
    changed = engine.tracker.poll()
    assert [r.name for r in changed] == ["racy"]
    path.unlink()  # the user deletes it while the sync is starting
    assert Transaction(engine.tracker, engine.journals.values(), changed).run() == []
    assert states()["racy"] == "missing"
    assert sys.modules["racy"].X == 1


def test_c7_syntax_error_raised_by_module_code_is_located_where_it_points(modules, imp):
    modules.write("compiles", "X = 1\n")
    imp("import compiles")
    modules.write("compiles", "X = 2\ncompile('1 +', 'generated.py', 'exec')\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.phase, error.file, error.line) == ("reload", "generated.py", 1)
    assert sys.modules["compiles"].X == 1


def test_c4_cycle_members_reexecute_as_a_fresh_import_nests_them(modules, imp):
    """C4 (r2): cyc_c takes ``B`` through the cycle edge cyc_c -> cyc_b and sees
    the partially re-executed cyc_b with its new ``B``; events come in the
    order re-executions finish, naming the module still re-executing (C6)."""
    modules.write("cyc_a", "import cyc_b\nA = 1\n")
    modules.write("cyc_b", "B = 1\nimport cyc_c\n")
    modules.write("cyc_c", "import cyc_a\nfrom cyc_b import B as C\n")
    imp("import cyc_a")
    modules.write("cyc_b", "B = 2\nimport cyc_c\n")
    events = liveimport.sync()
    assert [(e.module, e.reason) for e in events] == [
        ("cyc_c", "dependent"),
        ("cyc_b", "modified"),
        ("cyc_a", "dependent"),
    ]
    assert sys.modules["cyc_c"].C == 2  # re-imported from the new cyc_b
    texts = [str(e) for e in events]
    assert events[0].after == []
    assert texts[0] == "Reloaded cyc_c because cyc_b reloaded"
    assert texts[2] == "Reloaded cyc_a because cyc_b reloaded"


def test_c6_a_dependent_with_nothing_reloaded_before_it_reads_as_a_cycle_member():
    from liveimport import ReloadEvent

    assert str(ReloadEvent("ring", "dependent", 0.0, [])) == "Reloaded ring with its import cycle"


def test_c7_reload_error_points_at_the_module_not_the_library(modules, imp):
    """Review finding: the innermost frame was json's decoder, not the user's line."""
    path = modules.write("usesjson", "import json\nX = 1\n")
    imp("import usesjson")
    modules.write("usesjson", "import json\nX = 2\njson.loads('{bad')\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    assert (info.value.file, info.value.line) == (str(path), 3)
    assert "JSONDecodeError" in str(info.value)


def test_c7_reload_error_falls_back_to_the_innermost_user_frame(modules, outside_modules, imp):
    helper = outside_modules.write("untracked_helper", "def boom():\n    raise KeyError('x')\n")
    modules.write("callsboom", "X = 1\n")
    imp("import callsboom")
    modules.write("callsboom", "import untracked_helper\nuntracked_helper.boom()\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    # The module's own line is preferred; the helper is outside the workspace.
    assert info.value.line == 2 and info.value.file.endswith("callsboom.py")
    assert str(helper).endswith("untracked_helper.py")


def test_c1_register_is_all_or_nothing_when_tracking_fails(modules, monkeypatch, imp):
    modules.write("aon_a", "X = 1\n")
    modules.write("aon_b", "Y = 1\n")
    ns = {}
    imp("from aon_a import X", namespace=ns)
    before = (liveimport.registered(ns), liveimport.status())
    engine = _api.engine()

    def broken_rebuild(roots=None, strict=False):
        raise MemoryError

    monkeypatch.setattr(engine.tracker, "rebuild", broken_rebuild)
    exec("from aon_b import Y", ns)
    with pytest.raises(MemoryError):
        liveimport.register(ns, "from aon_b import Y", clear=True)
    monkeypatch.undo()
    assert (liveimport.registered(ns), liveimport.status()) == before


def test_c1_register_refuses_a_dependency_the_parser_gives_up_on(modules):
    """C1 (r2): a module register() would start tracking whose source makes the
    parser give up (MemoryError/RecursionError) raises ModuleError (analysis)
    and registers nothing; once the file is fixed, registering succeeds."""
    modules.write("deep_dep", "X = 1\n")
    modules.write("deep_top", "import deep_dep\n")
    ns = {}
    exec("import deep_top", ns)
    modules.write("deep_dep", "X = " + "-" * 100_000 + "1\nimport os\nimport 1\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.register(ns, "import deep_top")
    assert (info.value.module, info.value.phase) == ("deep_dep", "analysis")
    assert liveimport.registered(ns) == [] and states() == {}
    modules.write("deep_dep", "X = 1\n")
    liveimport.register(ns, "import deep_top")
    assert set(states()) == {"deep_top", "deep_dep"}


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


def test_c1_star_import_evidence_is_that_the_module_is_loaded():
    """C1 (r2): a namespace lacking the module's public names still registers
    ``from m import *``; which names it binds depends on the module now."""
    ns: dict[str, object] = {}
    liveimport.register(ns, "from os import *")
    assert liveimport.registered(ns) == ["from os import *"]
    with pytest.raises(ValueError, match=r"^Module no_such_star_xyz not loaded: run `from"):
        liveimport.register(ns, "from no_such_star_xyz import *")


def test_c2_a_sync_with_nothing_changed_is_one_stat_per_tracked_file(modules, monkeypatch, imp):
    """Issue 2's hot path: no reads, no parsing, nothing but the stat loop."""
    import ast as ast_module
    import builtins

    for i in range(12):
        modules.write(f"hot{i}", f"import hot{i - 1}\n" if i else "X = 1\n")
    ns = {}
    imp("import hot11", namespace=ns)
    assert len(liveimport.status().modules) == 12
    calls = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: calls.append(path) or real_stat(path))

    def forbidden(*args, **kwargs):
        raise AssertionError("the no-change path must not read or parse anything")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(ast_module, "parse", forbidden)
    monkeypatch.setattr(builtins, "compile", forbidden)
    assert liveimport.sync() == []
    assert sorted(calls) == sorted(str(modules.path(f"hot{i}")) for i in range(12))


def test_c2_a_changed_file_is_compiled_once(modules, monkeypatch, imp):
    """Issue 2: each source file is parsed once per change; the reload loads the
    bytecode the analysis wrote instead of compiling the file again."""
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


def test_c5_a_virtualenv_inside_the_workspace_is_not_the_users_code(modules, monkeypatch, imp):
    """Review finding: a project's .venv under the notebook folder made installed
    libraries tracked, so a pip install reloaded (and broke) them."""
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


def test_c3_star_import_binds_a_submodule_named_in_all(modules, imp):
    """Review finding: ``__all__`` naming a not-yet-imported submodule failed the
    sync, although ``from pkg import *`` imports it."""
    modules.write("allpkg", "__all__ = ['alpha']\nalpha = 1\n", package=True)
    modules.write("allpkg.extra", "E = 'extra'\n")
    ns = {}
    imp("from allpkg import *", namespace=ns)
    modules.write("allpkg", "__all__ = ['alpha', 'extra']\nalpha = 2\n", package=True)
    assert [e.module for e in liveimport.sync()] == ["allpkg"]
    assert ns["alpha"] == 2 and ns["extra"] is sys.modules["allpkg.extra"]


def test_c7_a_submodule_that_fails_to_import_during_rebinding_is_a_module_error(modules, imp):
    modules.write("failpkg", "__all__ = ['a']\na = 1\n", package=True)
    modules.write("failpkg.bad", "raise SystemExit('no')\n")
    ns = {}
    imp("from failpkg import *", namespace=ns)
    modules.write("failpkg", "__all__ = ['a', 'bad']\na = 2\n", package=True)
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    assert info.value.phase == "rebind" and "importing failpkg.bad failed" in str(info.value)
    assert ns["a"] == 1 and sys.modules["failpkg"].a == 1


def test_c3_all_naming_a_missing_submodule_fails_cleanly(modules, imp):
    modules.write("ghostpkg", "__all__ = ['a']\na = 1\n", package=True)
    ns = {}
    imp("from ghostpkg import *", namespace=ns)
    modules.write("ghostpkg", "__all__ = ['a', 'ghost']\na = 2\n", package=True)
    with pytest.raises(liveimport.ModuleError, match="name 'ghost' has disappeared from ghostpkg"):
        liveimport.sync()
    assert ns["a"] == 1


def test_a1_interrupt_while_importing_a_submodule_for_rebinding_restores(modules, imp):
    modules.write("intpkg", "__all__ = ['a']\na = 1\n", package=True)
    modules.write("intpkg.stop", "raise KeyboardInterrupt\n")
    ns = {}
    imp("from intpkg import *", namespace=ns)
    modules.write("intpkg", "__all__ = ['a', 'stop']\na = 2\n", package=True)
    with pytest.raises(KeyboardInterrupt):
        liveimport.sync()
    assert ns["a"] == 1 and sys.modules["intpkg"].a == 1


def test_c2_bytecode_written_after_analysis_is_checked_against_the_source(
    modules, monkeypatch, imp
):
    """Third review: with unchecked-hash flags a fresh process would load stale
    code; the flags word must say 'hash-based, check the source' (PEP 552)."""
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


def test_a3_reset_returns_the_workspace_to_its_default_and_keeps_settings(modules):
    from liveimport._settings import SETTINGS
    from liveimport._workspace import INITIAL_CWD

    liveimport.workspace(modules.root)
    liveimport.auto_sync(enabled=False, grace=2.5, report=False, on_error="warn")
    liveimport.hidden_cell_magic(False)
    liveimport.reset()
    assert liveimport.status().workspace == (INITIAL_CWD,)
    assert (SETTINGS.enabled, SETTINGS.grace, SETTINGS.report, SETTINGS.on_error) == (
        False,
        2.5,
        False,
        "warn",
    )
    assert SETTINGS.hidden_magic is False


def test_c1_import_of_a_submodule_that_was_never_imported_is_refused(modules):
    """Third review: ``import os.nothere`` with ``os`` bound passed the evidence check."""
    import os as os_module

    ns = {"os": os_module}
    with pytest.raises(ValueError, match=r"^Module os\.nothere not loaded"):
        liveimport.register(ns, "import os.nothere")
    assert liveimport.registered(ns) == []


def test_a3_a_dependent_that_failed_is_current_once_it_reloads(modules, imp):
    """Third review: a dependent's 'failed' state must clear when it reloads
    because only its dependency was fixed."""
    modules.write("fx_a", "X = 1\n")
    modules.write("fx_b", "from fx_a import X\nY = 1 / X\n")
    imp("import fx_b")
    modules.write("fx_a", "X = 0\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "fx_b"
    assert states()["fx_b"] == "failed"
    modules.write("fx_a", "X = 2\n")
    assert [e.module for e in liveimport.sync()] == ["fx_a", "fx_b"]
    assert states() == {"fx_a": "current", "fx_b": "current"}
