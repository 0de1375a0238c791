"""C4 (r2) re-execution through the import system, A1 (r2) removal of modules a
failed sync imported first, A6 running source in linecache, C3 (r2) aliased
dotted imports, and the thread and depth guarantees of a sync."""

from __future__ import annotations

import inspect
import linecache
import sys
import threading
import traceback

import pytest

import liveimport
from helpers import names, tracked


def test_a6_tracebacks_and_getsource_show_the_loaded_code_until_it_reloads(modules, imp):
    path = modules.write("shown", "def f():\n    return 1 / 0  # old line\n")
    imp("import shown")
    modules.write("shown", "def f():\n    return 2  # new line\n")
    with pytest.raises(ZeroDivisionError) as info:
        sys.modules["shown"].f()
    text = "".join(traceback.format_exception(info.value))
    assert "old line" in text and "new line" not in text
    assert "old line" in inspect.getsource(sys.modules["shown"].f)
    linecache.checkcache()  # what IPython does before each traceback: the pin stays
    assert "old line" in linecache.getline(str(path), 2)
    assert names(liveimport.sync()) == ["shown"]
    assert "new line" in inspect.getsource(sys.modules["shown"].f)
    liveimport.reset()  # untracked: linecache reads the file again
    assert str(path) not in linecache.cache or linecache.cache[str(path)][1] is not None


def test_a6_a_failed_sync_keeps_showing_what_runs(modules, imp):
    path = modules.write("keeps", "X = 1  # running\n")
    imp("import keeps")
    modules.write("keeps", "X = 2  # broken\nraise ValueError\n")
    with pytest.raises(liveimport.ModuleError):
        liveimport.sync()
    assert "running" in linecache.getline(str(path), 1)


def test_a1_a_failed_sync_removes_workspace_modules_it_imported_first(
    modules, outside_modules, imp
):
    modules.write("npkg", "", package=True)
    modules.write("npkg.user", "X = 1\n")
    modules.write("npkg.fresh", "F = 1\n")
    modules.write("freshtop", "T = 1\n")
    outside_modules.write("libfresh", "L = 1\n")
    imp("import npkg.user")
    modules.write(
        "npkg.user",
        "from . import fresh\nimport freshtop, libfresh\nX = 2\nraise RuntimeError\n",
    )
    with pytest.raises(liveimport.ModuleError):
        liveimport.sync()
    assert "npkg.fresh" not in sys.modules and not hasattr(sys.modules["npkg"], "fresh")
    assert "freshtop" not in sys.modules
    assert "libfresh" in sys.modules  # outside the workspace: it stays (A1)
    modules.write("npkg.user", "from . import fresh\nX = 2\n")
    assert names(liveimport.sync()) == ["npkg.user"]
    assert sys.modules["npkg.user"].fresh is sys.modules["npkg.fresh"]
    assert "npkg.fresh" in tracked()


def test_c3_import_as_binds_what_python_binds_when_a_package_shadows_a_submodule(modules, imp, ns):
    modules.write("rex", "from .latex import latex\n", package=True)
    modules.write("rex.latex", "def latex():\n    return 1\n")
    imp("import rex.latex as lm")
    assert ns["lm"] is sys.modules["rex"].latex and callable(ns["lm"])
    modules.write("rex.latex", "def latex():\n    return 2\n")
    assert names(liveimport.sync()) == ["rex.latex", "rex"]
    assert callable(ns["lm"]) and ns["lm"]() == 2


def test_c1_register_never_imports_a_submodule(modules, ns):
    modules.write("lazyp", "", package=True)
    modules.write("lazyp.sub", "import lilog\n")
    exec("import lazyp", ns)
    ns["sub"] = object()
    with pytest.raises(ValueError, match=r"^No name sub in lazyp"):
        liveimport.register(ns, "from lazyp import sub")
    assert "lazyp.sub" not in sys.modules


def test_c2_another_thread_importing_a_reloading_module_waits_and_gets_it(modules, imp):
    """The module is out of sys.modules while it re-executes; a thread that
    imports it meanwhile waits for the sync and is handed the module."""
    modules.write("slowmod", "X = 1\n")
    imp("import slowmod")
    started, release = threading.Event(), threading.Event()
    got: list[object] = []
    sys.modules["lilog_sync"] = type(sys)("lilog_sync")
    sys.modules["lilog_sync"].started, sys.modules["lilog_sync"].release = started, release
    modules.write(
        "slowmod",
        "import lilog_sync\nlilog_sync.started.set()\nlilog_sync.release.wait(10)\nX = 2\n",
    )

    def importer() -> None:
        started.wait(10)
        import slowmod

        got.append(slowmod)

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        syncer = threading.Thread(target=liveimport.sync)
        syncer.start()
        started.wait(10)
        thread.join(0.3)
        assert thread.is_alive()  # waiting for the sync, not re-executing slowmod
        release.set()
        syncer.join(10)
        thread.join(10)
    finally:
        release.set()
        del sys.modules["lilog_sync"]
    assert got == [sys.modules["slowmod"]] and sys.modules["slowmod"].X == 2


def test_c4_a_deep_import_chain_reloads_without_deep_nesting(modules, imp):
    depth = 1200
    for i in range(depth):
        modules.write(f"ch{i}", f"import ch{i + 1}\nV = ch{i + 1}.V\n")
    modules.write(f"ch{depth}", "V = 1\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)  # the first, ordinary import nests 1200 deep
    try:
        for i in range(depth, -1, -1):
            __import__(f"ch{i}")
    finally:
        sys.setrecursionlimit(limit)
    imp("import ch0")
    modules.write(f"ch{depth}", "V = 2\n")
    events = liveimport.sync()
    assert len(events) == depth + 1 and events[0].module == f"ch{depth}"
    assert sys.modules["ch0"].V == 2


def test_c2_an_indirect_module_out_of_sys_modules_stays_tracked(modules, imp):
    modules.write("ind_leaf", "X = 1\n")
    modules.write("ind_top", "import ind_leaf\n")
    imp("import ind_top")
    leaf = sys.modules.pop("ind_leaf")
    liveimport.workspace(modules.root)  # retracking keeps it
    assert "ind_leaf" in tracked()
    sys.modules["ind_leaf"] = leaf


def test_a3_a_package_tracked_as_a_parent_says_so(modules, imp):
    modules.write("ppk", "", package=True)
    modules.write("ppk.core", "X = 1\n")
    imp("from ppk.core import X")
    rows = {line.split()[0]: line for line in str(liveimport.status()).splitlines() if line}
    assert "package of a tracked module" in rows["ppk"]
    assert "registered" in rows["ppk.core"]


def test_a1_a_module_looked_up_but_not_run_keeps_its_own_loader(modules, imp):
    """Module code that asks ``importlib.util.find_spec`` about a module still
    waiting to re-execute, then fails: the restored module's spec is its own."""
    modules.write("probe_a", "A = 1\n")
    modules.write("probe_b", "import probe_a\n")
    imp("import probe_b")
    loader = sys.modules["probe_b"].__spec__.loader
    modules.write(
        "probe_a",
        "import importlib.util\nassert importlib.util.find_spec('probe_b')\nraise ValueError\n",
    )
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "probe_a"
    assert sys.modules["probe_b"].__spec__.loader is loader
    modules.write("probe_a", "A = 2\n")
    assert names(liveimport.sync()) == ["probe_a", "probe_b"]
    assert sys.modules["probe_b"].probe_a.A == 2


def test_c4_module_code_reads_its_package_data_through_its_spec_while_reloading(modules, imp):
    """C4 (r2) like a fresh import: ``pkgutil.get_data`` and
    ``importlib.resources`` reach the package's own loader through
    ``__spec__.loader`` while the package re-executes."""
    source = (
        "import importlib.resources, pkgutil\n"
        "RAW = pkgutil.get_data(__name__, 'data.txt')\n"
        "TEXT = importlib.resources.files(__name__).joinpath('data.txt').read_text()\n"
        "VERSION = {}\n"
    )
    modules.write("datapkg", source.format(1), package=True)
    (modules.root / "datapkg" / "data.txt").write_text("payload")
    imp("import datapkg")
    modules.write("datapkg", source.format(2), package=True)
    assert names(liveimport.sync()) == ["datapkg"]
    package = sys.modules["datapkg"]
    assert (package.RAW, package.TEXT, package.VERSION) == (b"payload", "payload", 2)


def test_c4_a_package_keeps_what_it_binds_under_a_submodule_name_after_the_submodule_reloads(
    modules, imp
):
    """C4 (r2) like a fresh import: a package whose code deleted or replaced
    the attribute of a submodule's name does not get the submodule there when
    only the submodule reloads."""
    modules.write(
        "shadowing",
        "import importlib\n"
        "importlib.import_module('shadowing.gone')\n"
        "importlib.import_module('shadowing.hidden')\n"
        "del gone\n"
        "hidden = 'mine'\n",
        package=True,
    )
    modules.write("shadowing.gone", "V = 1\n")
    modules.write("shadowing.hidden", "V = 1\n")
    imp("import shadowing.gone\nimport shadowing.hidden")
    package = sys.modules["shadowing"]
    modules.write("shadowing.gone", "V = 2\n")
    modules.write("shadowing.hidden", "V = 2\n")
    assert names(liveimport.sync()) == ["shadowing.gone", "shadowing.hidden"]
    assert "gone" not in vars(package) and package.hidden == "mine"
    assert sys.modules["shadowing.gone"].V == sys.modules["shadowing.hidden"].V == 2


def test_a1_a_failed_sync_leaves_no_submodule_attribute_on_a_package_that_had_none(modules, imp):
    """A1: a submodule that re-executed before a later module failed is not
    left bound on a package that did not hold it."""
    modules.write(
        "nobind", "import importlib\nimportlib.import_module('nobind.sub')\ndel sub\n", package=True
    )
    modules.write("nobind.sub", "V = 1\n")
    modules.write("nobind_user", "from nobind.sub import V\n")
    imp("import nobind_user")
    package = sys.modules["nobind"]
    before = dict(vars(package))
    modules.write("nobind.sub", "V = 2\n")
    modules.write("nobind_user", "from nobind.sub import V\nraise RuntimeError\n")
    with pytest.raises(liveimport.ModuleError):
        liveimport.sync()
    assert vars(package) == before and "sub" not in vars(package)


def test_c4_a_package_reloads_after_its_submodule_when_the_registration_names_the_submodule(
    modules, imp
):
    """C4 (r2): ``import p.core`` runs ``p`` first, and ``p`` imports ``core``
    fully before it reads from it: no cycle edge, so ``p`` reloads after
    ``core`` as a fresh import of the edited file gives."""
    modules.write("subfirst", "from . import core\nX = core.V\n", package=True)
    modules.write("subfirst.core", "V = 1\n")
    imp("import subfirst.core")
    modules.write("subfirst.core", "V = 2\n")
    assert names(liveimport.sync()) == ["subfirst.core", "subfirst"]
    assert sys.modules["subfirst"].X == 2


def test_c4_a_module_still_re_executing_up_a_cycle_shows_only_what_its_new_code_defined(
    modules, imp
):
    """C4 (r2): a module still re-executing further up an import cycle is seen
    as Python shows a partially initialised module, with the names its new
    code has defined so far: a name it defines only later cannot be imported
    (the sync fails as a fresh import does, and changes nothing); once the
    order is right the sync matches a fresh import, and names the new version
    stops defining stay (C2)."""
    modules.write(
        "partial", "OLD = 1\ndef show():\n    return 1\nfrom .core import f\n", package=True
    )
    modules.write("partial.core", "from . import show\ndef f():\n    return show()\n")
    imp("import partial")
    package, core = sys.modules["partial"], sys.modules["partial.core"]
    before = (dict(vars(package)), dict(vars(core)))
    modules.write("partial", "from .core import f\ndef show():\n    return 2\n", package=True)
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "partial.core"
    assert isinstance(info.value.__cause__, ImportError)
    assert (vars(package), vars(core)) == before
    modules.write("partial", "def show():\n    return 3\nfrom .core import f\n", package=True)
    assert names(liveimport.sync()) == ["partial.core", "partial"]
    assert package.f() == 3 and core.show is package.show and package.OLD == 1
