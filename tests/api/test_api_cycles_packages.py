"""C4 (r2) worked examples, verbatim, and the (r2) paragraphs of C1, C2, C3,
C6, C7, A1 and A3 that concern import-faithful reloading.

Every module appends its name to the execution log when its code finishes, so
``log.events`` is the order in which (re-)executions finished; C4 (r2) says
events come in that order.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

import liveimport
from helpers import oracle, run_python, states, triples
from helpers.c4model import SEVEN
from liveimport import ModuleError


def write_seven(modules, log, version: int = 1) -> None:
    for name, imports in SEVEN.items():
        modules.write(name, f"{imports}VERSION = {version}\n{log.line}")


# ---------------------------------------------------------------- the seven-module cycle

SEVEN_ALL = {
    "A": [("A", "modified", set())],
    "C": [("C", "modified", set()), ("A", "dependent", {"C"}), ("B", "dependent", {"C"})],
    "F": [
        ("F", "modified", set()),
        ("C", "dependent", {"F"}),
        ("A", "dependent", {"C"}),
        ("D", "dependent", {"F"}),
        ("B", "dependent", {"C", "D"}),
    ],
}


@pytest.mark.parametrize("edited", sorted(SEVEN_ALL))
def test_c4_seven_module_cycle_registered_import_all(modules, ns, imp, log, edited):
    """C4 (r2) example 1, registered ``import A, B, C, D, E, F, G``: E→A is the
    cycle edge (finish order E F C A D G B). Edit A: only A (E holds only the
    module A). Edit C: C, A, B. Edit F: F, C, A, D, B. C6 (r2): reasons are
    ``modified``/``dependent`` and ``after`` lists the dependencies that finished
    reloading first."""
    write_seven(modules, log)
    imp("import A, B, C, D, E, F, G")
    log.clear()
    modules.write(edited, f"{SEVEN[edited]}VERSION = 2\n{log.line}")
    events = liveimport.sync()
    assert triples(events) == SEVEN_ALL[edited]
    assert log.events == [e.module for e in events]
    assert ns[edited].VERSION == 2
    for name in SEVEN:
        assert ns[name] is sys.modules[name]


def test_c4_seven_module_cycle_registered_import_b_only(modules, ns, imp, log):
    """C4 (r2) example 1, registered only ``import B``: B → C → E → A, and A's
    import of C is the cycle edge; edit A: A, E, C, B. A depends on C, whose
    reload finishes after A's, so A's ``after`` is empty (C6 (r2))."""
    write_seven(modules, log)
    imp("import B")
    log.clear()
    modules.write("A", f"{SEVEN['A']}VERSION = 2\n{log.line}")
    events = liveimport.sync()
    assert triples(events) == [
        ("A", "modified", set()),
        ("E", "dependent", {"A"}),
        ("C", "dependent", {"E"}),
        ("B", "dependent", {"C"}),
    ]
    assert log.events == ["A", "E", "C", "B"]
    assert sys.modules["E"].A.VERSION == 2
    assert str(events[1]) == "Reloaded E because A reloaded"


PKG_INIT = "from .core import Thing, make\n"
PKG_CORE = (
    "from . import util\nclass Thing:\n    width = util.WIDTH\ndef make():\n    return Thing()\n"
)


_SEED_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    root, plan = sys.argv[1], json.loads(sys.argv[2])
    sys.path.insert(0, root)
    import liveimport
    liveimport.workspace(root)
    t = 1_700_000_000 * 10**9
    def write(rel, text):
        global t
        t += 10**9
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.utime(path, ns=(t, t))
    for rel, text in plan["files"].items():
        write(rel, text)
    ns = {"__name__": "notebook"}
    exec(plan["statement"], ns)
    liveimport.register(ns, plan["statement"])
    out = []
    for rel, text in plan["edits"]:
        write(rel, text)
        out.append([[e.module, e.reason, sorted(e.after)] for e in liveimport.sync()])
    print(json.dumps(out))
    """
)

SEED_PLANS = {
    "seven": (
        {
            "files": {f"{n}.py": f"{src}VERSION = 1\n" for n, src in SEVEN.items()},
            "statement": "import A, B, C, D, E, F, G",
            "edits": [
                [f"{n}.py", f"{SEVEN[n]}VERSION = {v}\n"] for n, v in (("C", 2), ("F", 3), ("A", 4))
            ],
        },
        [SEVEN_ALL["C"], SEVEN_ALL["F"], SEVEN_ALL["A"]],
    ),
    "package": (
        {
            "files": {
                "pkg/__init__.py": "from .core import Thing, make\n",
                "pkg/core.py": PKG_CORE,
                "pkg/util.py": "WIDTH = 1\n",
            },
            "statement": "import pkg",
            "edits": [["pkg/util.py", "WIDTH = 2\n"]],
        },
        [
            [
                ("pkg.util", "modified", set()),
                ("pkg.core", "dependent", {"pkg.util"}),
                ("pkg", "dependent", {"pkg.core"}),
            ]
        ],
    ),
}


@pytest.mark.parametrize("plan", sorted(SEED_PLANS))
def test_c4_same_order_under_any_hash_seed(tmp_path, plan):
    """C4 (r2): the order depends only on registration order and source order,
    never on hashing: the same workspace and edits give the same events (the
    contract's) under different ``PYTHONHASHSEED`` values, each in a fresh
    interpreter."""
    spec, expect = SEED_PLANS[plan]
    for seed in ("0", "1", "2", "3", "12345", "4294967295"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        root = tmp_path / f"seed{seed}"
        root.mkdir()
        proc = run_python("-c", _SEED_SCRIPT, str(root), json.dumps(spec), env=env)
        got = json.loads(proc.stdout)
        want = [[[m, r, sorted(a)] for m, r, a in sync] for sync in expect]
        assert (seed, got) == (seed, want)


# ---------------------------------------------------------------- the package example


@pytest.mark.parametrize("statement", ["import pkg", "from pkg.core import Thing"])
def test_c4_package_reexport_reloads_util_core_pkg_in_order(modules, ns, imp, log, statement):
    """C4 (r2) example 2: ``pkg/__init__.py`` re-exports ``from .core import
    Thing, make``; ``pkg/core.py`` has ``from . import util`` (an edge to util
    only, not to pkg). Editing util.py reloads util, core, pkg in that order, and
    afterwards ``pkg.Thing is pkg.core.Thing`` and ``isinstance(pkg.make(),
    pkg.Thing)`` hold, as after a fresh import."""
    modules.write("pkg", PKG_INIT + log.line, package=True)
    modules.write("pkg.core", PKG_CORE + log.line)
    modules.write("pkg.util", "WIDTH = 1\n" + log.line)
    imp(statement)
    assert log.events == ["pkg.util", "pkg.core", "pkg"]  # the finish order
    log.clear()
    modules.write("pkg.util", "WIDTH = 2\n" + log.line)
    events = liveimport.sync()
    assert triples(events) == [
        ("pkg.util", "modified", set()),
        ("pkg.core", "dependent", {"pkg.util"}),
        ("pkg", "dependent", {"pkg.core"}),
    ]
    assert log.events == ["pkg.util", "pkg.core", "pkg"]
    assert str(events[1]) == "Reloaded pkg.core because pkg.util reloaded"
    assert str(events[2]) == "Reloaded pkg because pkg.core reloaded"
    pkg = sys.modules["pkg"]
    assert pkg.Thing is pkg.core.Thing
    assert isinstance(pkg.make(), pkg.Thing)
    assert pkg.Thing.width == 2
    if statement == "import pkg":
        assert ns["pkg"] is pkg
    else:
        assert ns["Thing"] is pkg.core.Thing


def test_c4_names_through_a_cycle_edge_see_the_partially_reexecuted_package(modules, ns, imp):
    """C4 (r2) example 3: ``pkg/__init__.py`` is ``VERSION = "1"`` then ``from
    .core import show``; core has ``from . import VERSION``. Editing VERSION to
    "2" reloads core (it takes a name through the cycle edge core→pkg) and pkg;
    pkg's new code re-executes core, which sees VERSION == "2". Events: core,
    then pkg; C6 (r2): core's ``after`` is empty, so its line names pkg."""
    modules.write("pkg", 'VERSION = "1"\nfrom .core import show\n', package=True)
    modules.write("pkg.core", "from . import VERSION\ndef show():\n    return VERSION\n")
    imp("import pkg")
    assert ns["pkg"].show() == "1"
    modules.write("pkg", 'VERSION = "2"\nfrom .core import show\n', package=True)
    events = liveimport.sync()
    assert triples(events) == [("pkg.core", "dependent", set()), ("pkg", "modified", {"pkg.core"})]
    assert str(events[0]) == "Reloaded pkg.core because pkg reloaded"
    pkg = sys.modules["pkg"]
    assert pkg.show() == "2"
    assert pkg.core.VERSION == "2"
    assert ns["pkg"].show is pkg.core.show


# ---------------------------------------------------------------- C3 (r2) import a.b.c as x


def test_c3_import_as_binds_the_attribute_a_package_reexports(modules, ns, imp):
    """C3 (r2): ``import pkg.latex as lm`` binds what Python binds, the attribute
    ``latex`` of ``pkg`` (a function the package re-exports under the submodule's
    name), before and after a sync that reloads the submodule."""
    modules.write("pkg", "from .latex import latex\n", package=True)
    modules.write("pkg.latex", "def latex():\n    return 'v1'\n")
    imp("import pkg.latex as lm")
    assert ns["lm"] is sys.modules["pkg"].latex
    assert ns["lm"]() == "v1"
    modules.write("pkg.latex", "def latex():\n    return 'v2'\n")
    assert [e.module for e in liveimport.sync()] == ["pkg.latex", "pkg"]
    assert not isinstance(ns["lm"], type(sys))
    assert ns["lm"] is sys.modules["pkg"].latex
    assert ns["lm"]() == "v2"


# ---------------------------------------------------------------- C4 (r2) a function named after its submodule

#: ``p/__init__.py`` re-exports, through ``p.utilities``, a function named after
#: the submodule that defines it (sympy's ``sympy.lambdify``), and imports
#: ``p.user``, which imports that submodule itself. Editing ``p.user`` reloads
#: ``p.user`` and ``p`` but neither ``p.utilities`` nor its submodule.
_LAMBDIFY = {
    "p": ("from . import user\nfrom .utilities import lambdify\n", True),
    "p.utilities": ("from .lambdify import lambdify\n", True),
    "p.utilities.lambdify": ("def lambdify():\n    return 'function'\n", False),
}
_SUB = {
    "p": ("from .sub import sub\n", True),
    "p.sub": ("K = 1\ndef sub():\n    return K\n", False),
}
_SUB_AS = {
    "p": ("from . import sub as _s\nsub = _s.sub\n", True),
    "p.sub": ("K = 1\ndef sub():\n    return K\n", False),
}


@pytest.mark.parametrize(
    ("sources", "edited", "edit"),
    [
        pytest.param(
            {**_LAMBDIFY, "p.user": ("import p.utilities.lambdify\nK = 1\n", False)},
            "p.user",
            "import p.utilities.lambdify\nK = 2\n",
            id="C4-nested-reexport-user-imports-submodule",
        ),
        pytest.param(
            {**_LAMBDIFY, "p.user": ("from .utilities.lambdify import lambdify\nK = 1\n", False)},
            "p.user",
            "from .utilities.lambdify import lambdify\nK = 2\n",
            id="C4-nested-reexport-user-imports-from-submodule",
        ),
        pytest.param(
            {
                **_LAMBDIFY,
                "p.user": (
                    "import importlib\nimportlib.import_module('p.utilities.lambdify')\nK = 1\n",
                    False,
                ),
            },
            "p.user",
            "import importlib\nimportlib.import_module('p.utilities.lambdify')\nK = 2\n",
            id="C4-nested-reexport-user-import-module",
        ),
        pytest.param(
            _SUB, "p.sub", "K = 2\ndef sub():\n    return K\n", id="C4-from-sub-import-sub"
        ),
        pytest.param(
            _SUB_AS, "p.sub", "K = 2\ndef sub():\n    return K\n", id="C4-from-dot-import-sub-as"
        ),
    ],
)
def test_c4_package_attribute_named_after_its_submodule_matches_a_fresh_import(
    modules, ns, imp, sources, edited, edit
):
    """C4 (r2): where a package binds a function under the name of its own
    submodule (``from .sub import sub``, or one level down as sympy's
    ``sympy.lambdify``), a sync leaves the function there, not the submodule,
    in the package and in every package that re-exports it, whichever module
    reloads and however another reloading module imports that submodule: the
    namespace and the workspace modules match a fresh interpreter importing the
    edited files."""
    for name, (source, package) in sources.items():
        modules.write(name, source, package=package)
    imp("import p")
    modules.write(edited, edit, package=sources[edited][1])
    root = os.path.realpath(modules.root)
    kept = {n: oracle.public_names(m) for n, m in oracle.workspace_modules([root]).items()}
    assert edited in [e.module for e in liveimport.sync()]
    fresh = oracle.fresh_snapshot([root], ["import p"], [root])
    assert oracle.diff(fresh, oracle.namespace_fingerprint(ns, [root]), kept_names=kept) == []
    for module in ("p", "p.utilities"):
        if module in sys.modules and hasattr(sys.modules[module], "lambdify"):
            assert not isinstance(sys.modules[module].lambdify, type(sys))


#: ``p`` binds, before importing ``p.q``, a function under the name of its
#: submodule ``p.helper``, and ``p.q`` takes that function from the running ``p``.
_HELPER = {
    "p": ("from . import helper as _h\ndef helper():\n    return _h.X\nfrom . import q\n", True),
    "p.helper": ("X = 1\n", False),
    "p.q": ("from p import helper\n", False),
}
_HELPER_V2 = "from . import helper as _h\ndef helper():\n    return _h.X + 1\nfrom . import q\n"
#: ``p`` binds a function under the name of its submodule ``p.sub``, which it
#: does not import itself.
_IMPL = {
    "p": ("from .impl import sub\nK = 1\n", True),
    "p.impl": ("def sub():\n    return 1\n", False),
    "p.sub": ("X = 1\n", False),
}
_IMPL_V2 = "from .impl import sub\nK = 2\n"
#: ``p`` binds the function, then imports ``p.x``, which imports ``p.sub``.
_IMPL_X = {
    **_IMPL,
    "p": ("from .impl import sub\nfrom . import x\n", True),
    "p.x": ("import p.sub\n", False),
}
#: ``_IMPL``'s package, whose module class imports ``p.other`` when ``sub`` is
#: set on it (a package's ``__setattr__`` runs when an import binds a submodule).
_SETATTR = (
    "import importlib, sys, types\n"
    "class _M(types.ModuleType):\n"
    "    def __setattr__(self, name, value):\n"
    "        if name == 'sub':\n"
    "            importlib.import_module('p.other')\n"
    "        super().__setattr__(name, value)\n"
    "sys.modules[__name__].__class__ = _M\n"
    "from .impl import sub\n"
    "K = {}\n"
)
#: What a fresh run leaves under the submodule's name depends on *when* the
#: submodule is first imported: id -> (sources, statements, edited, new source).
_LATER_IMPORTS = {
    "C4-cycle-import-takes-what-the-running-package-bound": (
        _HELPER,
        ["import p"],
        "p",
        _HELPER_V2,
    ),
    "C4-registered-import-after-the-package": (_IMPL, ["import p", "import p.sub"], "p", _IMPL_V2),
    "C4-import-by-a-module-that-does-not-reload": (
        {**_IMPL, "q": ("import p.sub\n", False)},
        ["import p", "import q"],
        "p",
        _IMPL_V2,
    ),
    "C4-package-setattr-imports-a-hidden-submodule": (
        {**_IMPL, "p": (_SETATTR.format(1), True), "p.other": ("Y = 1\n", False)},
        ["import p", "import p.sub"],
        "p",
        _SETATTR.format(2),
    ),
    "C4-package-stops-importing-the-submodule-and-defines-the-name": (
        {"p": ("from . import sub\nK = 1\n", True), "p.sub": ("X = 1\n", False)},
        ["import p"],
        "p",
        "def sub():\n    return 2\nK = 2\n",
    ),
    "C4-import-inside-the-package-after-it-bound-the-name": (
        _IMPL_X,
        ["import p"],
        "p.impl",
        "def sub():\n    return 2\n",
    ),
}
_LATER = pytest.mark.parametrize(
    ("sources", "statements", "edited", "edit"),
    list(_LATER_IMPORTS.values()),
    ids=list(_LATER_IMPORTS),
)


def _write_and_register(modules, imp, sources, statements) -> None:
    for name, (source, package) in sources.items():
        modules.write(name, source, package=package)
    for statement in statements:
        imp(statement)


@_LATER
def test_c4_what_a_package_holds_under_a_submodule_name_follows_the_fresh_import_order(
    modules, ns, imp, sources, statements, edited, edit
):
    """C4 (r2): ``from p import name`` binds the submodule ``p.name`` only if p
    holds nothing under that name at that moment, and importing ``p.name`` for
    the first time binds it on p over what p's code bound. A module that takes
    the function a running package bound first reloads with that package; a
    submodule that a fresh run first imports after its package has finished
    (from a registered statement, or from a module that does not reload) is
    bound on the package again after the package reloads, unless a fresh run
    no longer imports it at all. The namespace and the workspace modules match
    a fresh interpreter importing the edited files (a submodule that nothing
    imports any more stays loaded, as after ``importlib.reload``)."""
    _write_and_register(modules, imp, sources, statements)
    modules.write(edited, edit, package=sources[edited][1])
    root = os.path.realpath(modules.root)
    kept = {n: oracle.public_names(m) for n, m in oracle.workspace_modules([root]).items()}
    assert edited in [e.module for e in liveimport.sync()]
    fresh = oracle.fresh_snapshot([root], statements, [root])
    found = oracle.diff(fresh, oracle.namespace_fingerprint(ns, [root]), kept_names=kept)
    assert [
        d for d in found if not d.endswith(": loaded, but a fresh import does not load it")
    ] == []


@_LATER
def test_a1_failed_sync_leaves_what_a_package_holds_under_a_submodule_name(
    modules, ns, imp, sources, statements, edited, edit
):
    """A1: when the edited module raises at its end, after the package's code
    has run and its submodules are back, every tracked module's ``__dict__``
    entries, ``sys.modules`` and the namespace are exactly as before the sync."""
    _write_and_register(modules, imp, sources, statements)
    modules.write(edited, edit + "raise RuntimeError('boom')\n", package=sources[edited][1])
    names = [n for n in sys.modules if n.partition(".")[0] in {"p", "q"}]
    before = oracle.identity_state(ns, names)
    with pytest.raises(ModuleError):
        liveimport.sync()
    assert oracle.identity_state(ns, names) == before


# ---------------------------------------------------------------- C1 (r2) register imports nothing


def test_c1_register_from_package_import_attribute_does_not_import_the_submodule(
    modules, ns, imp, log
):
    """C1 (r2): ``from pkg import sub``, where pkg defines ``sub`` and a file
    pkg/sub.py exists but was never imported, binds the attribute; registering
    it executes and imports nothing."""
    modules.write("pkg", "sub = 'attribute'\n", package=True)
    modules.write("pkg.sub", "X = 1\n" + log.line)
    imp("from pkg import sub")
    assert ns["sub"] == "attribute"
    assert "pkg.sub" not in sys.modules
    assert log.events == []


def test_c1_register_without_evidence_raises_and_imports_nothing(modules, ns, log):
    """C1 (r2): register() never executes code: ``from pkg import sub`` when
    ``pkg.sub`` is not loaded (and pkg has no such name) raises ValueError in one
    of the documented forms, and pkg.sub is still not imported."""
    modules.write("pkg", "", package=True)
    modules.write("pkg.sub", "X = 1\n" + log.line)
    exec("import pkg", ns)
    ns["sub"] = "the user's own value"
    with pytest.raises(ValueError, match=r"^(No name sub in pkg|Module pkg\.sub not loaded)"):
        liveimport.register(ns, "from pkg import sub")
    assert "pkg.sub" not in sys.modules
    assert log.events == []
    assert liveimport.registered(ns) == []


# ---------------------------------------------------------------- C2 (r2)


def test_c2_module_out_of_sys_modules_is_skipped_then_tracked_again(modules, ns, imp, log):
    """C2 (r2): a tracked module someone removed from ``sys.modules`` is skipped
    while it is out (no error, nothing runs) and tracked as before once it is
    back: an edit made meanwhile reloads it and rebinds the registered name."""
    modules.write("reentry", "V = 1\n" + log.line)
    imp("import reentry")
    module = sys.modules.pop("reentry")
    modules.write("reentry", "V = 2\n" + log.line)
    log.clear()
    assert liveimport.sync() == []
    assert log.events == []
    sys.modules["reentry"] = module
    assert [e.module for e in liveimport.sync()] == ["reentry"]
    assert ns["reentry"] is module and module.V == 2
    modules.write("reentry", "V = 3\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["reentry"]
    assert module.V == 3


@pytest.mark.parametrize(
    "broken", ["V = (\n", "raise RuntimeError('broken at import time')\n"], ids=["syntax", "raise"]
)
def test_c2_file_put_back_to_last_seen_stamp_after_failed_sync_does_not_reload(
    modules, ns, imp, log, broken
):
    """C2 (r2): "last seen" is what the last successful sync saw; a file that a
    failed sync saw changed and that is put back to exactly that stamp (content
    and mtime) is unchanged and does not reload."""
    source = "V = 1\n" + log.line
    path = modules.write("stamped", source)
    stamp = path.stat().st_mtime_ns
    imp("import stamped")
    modules.write("stamped", broken)
    with pytest.raises(ModuleError):
        liveimport.sync()
    log.clear()
    modules.write("stamped", source, mtime_ns=stamp)
    assert liveimport.sync() == []
    assert log.events == []
    assert states()["stamped"] == "current"


# ---------------------------------------------------------------- A1 (r2)


def test_a1_failed_sync_removes_workspace_modules_it_imported_first(modules, ns, imp):
    """A1 (r2): modules first imported during a failed sync whose files are in
    the workspace are removed again, from ``sys.modules`` and from their parent
    package; after the fix the same sync imports them for real."""
    modules.write("pkg", "", package=True)
    modules.write("pkg.a", "V = 1\n")
    imp("import pkg.a")
    modules.write("pkg.fresh", "X = 1\n")
    modules.write("freshtop", "Y = 1\n")
    edited = "from . import fresh\nimport freshtop\nV = 2\n"
    modules.write("pkg.a", edited + "raise RuntimeError('not yet')\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.module == "pkg.a"
    assert "pkg.fresh" not in sys.modules
    assert "freshtop" not in sys.modules
    assert not hasattr(sys.modules["pkg"], "fresh")
    assert sys.modules["pkg.a"].V == 1
    modules.write("pkg.a", edited)
    assert [e.module for e in liveimport.sync()] == ["pkg.a"]
    assert sys.modules["pkg.a"].fresh is sys.modules["pkg.fresh"]
    assert sys.modules["pkg"].fresh is sys.modules["pkg.fresh"]
    assert sys.modules["pkg.a"].V == 2


# ---------------------------------------------------------------- A3 (r2) and C7 (r2)


def _chain(modules) -> None:
    modules.write("ma3", "VALUE = 1\n")
    modules.write(
        "mb3", "from ma3 import VALUE\nif VALUE == 2:\n    raise RuntimeError('mb3 rejects 2')\n"
    )
    modules.write("mc3", "from mb3 import VALUE as BV\n")


#: How ``_chain`` breaks when ma3 is edited: the edit, the module that fails,
#: and the states of ma3, mb3, mc3 after the failed sync.
BREAKS = {
    "reload": ("VALUE = 2\n", "mb3", ("modified", "failed", "current")),
    "analysis": ("VALUE = (\n", "ma3", ("failed", "current", "current")),
}


@pytest.mark.parametrize(
    ("phase", "fix"),
    [
        pytest.param("reload", ("mb3", "from ma3 import VALUE\n"), id="A3-fix-what-raised"),
        pytest.param("reload", ("ma3", "VALUE = 1\n"), id="A3-fix-the-change-that-made-it-raise"),
        pytest.param("analysis", ("ma3", "VALUE = 3\n"), id="A3-fix-the-unparsable-module"),
    ],
)
def test_a3_failed_state_only_for_the_module_that_failed_cleared_by_a_fix(
    modules, ns, imp, phase, fix
):
    """A3 (r2): after a failed sync ``failed`` marks only the module whose own
    code raised (or, for an analysis failure, the changed file that cannot be
    parsed); the module that changed is ``modified`` and an untouched dependent
    (which did not run) stays ``current``. The next sync that reloads the
    failed module, after a fix of it or of the change that made it fail,
    reloads the chain and clears every state."""
    broken, failing, failed_states = BREAKS[phase]
    _chain(modules)
    imp("import mc3")
    modules.write("ma3", broken)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == (failing, phase)
    st = states()
    assert (st["ma3"], st["mb3"], st["mc3"]) == failed_states
    modules.write(*fix)
    assert [e.module for e in liveimport.sync()] == ["ma3", "mb3", "mc3"]
    assert set(states().values()) == {"current"}
    assert sys.modules["mc3"].BV == sys.modules["ma3"].VALUE


def test_c7_dependent_failure_names_the_changed_module(modules, ns, imp):
    """C7 (r2): a module that failed while reloading only because a module it
    depends on changed says so: ``while reloading simulator because symcode
    changed``; ``module`` is the one that raised, ``__cause__`` the exception."""
    modules.write("symcode", "LEVEL = 1\n")
    modules.write(
        "simulator", "from symcode import LEVEL\nif LEVEL > 1:\n    raise ValueError('too high')\n"
    )
    imp("import simulator")
    modules.write("symcode", "LEVEL = 2\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    err = info.value
    assert isinstance(err, RuntimeError)
    assert (err.module, err.phase) == ("simulator", "reload")
    assert "while reloading simulator because symcode changed" in str(err)
    assert isinstance(err.__cause__, ValueError)
    assert sys.modules["symcode"].LEVEL == 1


def test_c7_analysis_failure_message_form(modules, ns, imp):
    """C7 (r2): a file that cannot be parsed fails the sync with phase
    ``analysis`` and a message containing ``Analysis of <module>``."""
    modules.write("unparsed", "V = 1\n")
    imp("import unparsed")
    modules.write("unparsed", "V = (\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.phase == "analysis"
    assert "Analysis of unparsed" in str(info.value)
