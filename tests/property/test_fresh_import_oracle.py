"""C2/C3/C4 (r2)/C6/A1 property test: after a sync, everything equals a fresh
import of the edited files, in a fresh interpreter.

Each example generates a small workspace in its own directory, with unique
module names: a package ``P`` (``__init__``, ``P.core``, ``P.util``) and two
top-level modules ``Pa``, ``Pb``. Each module defines a constant first, then
imports others by random forms (``import``, ``import … as``, ``from m import
name``, ``from . import sibling``, ``from .core import …`` re-exports, ``from .
import K`` from the package, a function the package binds under its
submodule's name), then functions, a class, a default instance and
instances of imported classes built at import time. Imports go in any
direction, so genuine cycles appear; only workspaces whose original *and*
edited versions survive a fresh import (checked in a child interpreter) are
kept. Random registrations are executed, then registered. Random edits (a
constant, a function body, a class attribute, a new function with a new
import, a new module file imported by an edited one) get explicit mtimes,
sometimes after an edit that raises at import time (the sync must fail and
change nothing), then ``sync()`` runs.

The oracle is a brand-new interpreter running the same statements on the
edited files (``tests/helpers/oracle.py``): every registered name and every
workspace module's public objects must have the same fingerprint (functions
by code, classes by members, instances by class and attributes, constants by
value), and no tracked module or registered name may hold an object its
defining module no longer holds (no exemption for cycles). Edits never remove
a name, so no difference is allowed at all. The events are checked against an
independent model of C4 (r2) (``tests/helpers/c4model.py``): the reload set,
the order, the reasons and ``after``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st

import liveimport
from helpers import c4model, write_source
from helpers.c4model import SEVEN
from helpers.oracle import (
    diff,
    finish_fresh_snapshot,
    identity_state,
    namespace_fingerprint,
    public_names,
    start_fresh_snapshot,
    workspace_modules,
)
from liveimport import ModuleError

SLOTS = ["p", "core", "util", "a", "b"]
IN_PACKAGE = {"core", "util"}
_counter = itertools.count()
_T0 = 1_750_000_000 * 10**9


def full(prefix: str, slot: str) -> str:
    if slot == "p":
        return prefix
    if slot in IN_PACKAGE:
        return f"{prefix}.{slot}"
    return f"{prefix}{slot}"


def slot_of(prefix: str, name: str) -> str:
    return next(s for s in SLOTS if full(prefix, s) == name)


def kinds_for(m: str, t: str) -> list[str]:
    kinds = ["import", "import_as", "from_const", "from_func", "from_class"]
    if m in IN_PACKAGE and t in IN_PACKAGE:
        kinds += ["rel_sub", "rel_name"]
    if m in IN_PACKAGE and t == "p":
        kinds += ["rel_pkg_name"]
    if m == "p" and t in IN_PACKAGE:
        kinds += ["rel_sub", "rel_name", "rel_name", "rel_shadow"]
    return kinds


@st.composite
def import_forms(draw: st.DrawFn, m: str) -> list[tuple[str, str]]:
    targets = draw(st.lists(st.sampled_from([t for t in SLOTS if t != m]), unique=True, max_size=3))
    return [(draw(st.sampled_from(kinds_for(m, t))), t) for t in targets]


REGISTRATIONS = [
    "import {p}",
    "import {p}.core as c",
    "from {p}.core import Thing_core",
    "from {p} import util",
    "from {p}a import *",
    "import {p}b",
    "from {p}a import f_a as fa",
    "import {p}.util",
    "from {p} import K_p",
]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    chosen = draw(st.lists(st.sampled_from(SLOTS), unique=True, min_size=1, max_size=3))
    out: list[tuple[str, str, str]] = []
    newmod_used = False
    for slot in chosen:
        kinds = ["const", "body", "attr", "newfunc"] + ([] if newmod_used else ["newmod"])
        kind = draw(st.sampled_from(kinds))
        newmod_used |= kind == "newmod"
        target = draw(st.sampled_from([t for t in SLOTS if t != slot])) if kind == "newfunc" else ""
        out.append((slot, kind, target))
    return out


@st.composite
def workspace_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "imports": {m: draw(import_forms(m)) for m in SLOTS},
        "values": {m: draw(st.integers(0, 9)) for m in SLOTS},
        "registrations": draw(
            st.lists(st.sampled_from(REGISTRATIONS), unique=True, min_size=1, max_size=3)
        ),
        "edits": draw(edits()),
        "raise_first": draw(st.sampled_from([None, *SLOTS])),
    }


def _scenario(
    imports: dict[str, list[tuple[str, str]]],
    edited: list[str],
    registrations: list[str] | None = None,
) -> dict[str, Any]:
    """An explicit example: the C4 (r2) package shapes."""
    return {
        "imports": {m: imports.get(m, []) for m in SLOTS},
        "values": dict.fromkeys(SLOTS, 1),
        "registrations": registrations or ["import {p}"],
        "edits": [(slot, "const", "") for slot in edited],
        "raise_first": None,
    }


# ---------------------------------------------------------------- rendering


#: Each import form: its statement, which use the importer makes of it, and
#: the expression it reads (``{tf}``: the target's full name, ``{t}``: its slot).
IMPORT_FORMS = {
    "import": ("import {tf}", "module", "{tf}.K_{t}"),
    "import_as": ("import {tf} as al_{t}", "module", "al_{t}.K_{t}"),
    "from_const": ("from {tf} import K_{t}", "const", "K_{t}"),
    "from_func": ("from {tf} import f_{t}", "body", "f_{t}()"),
    "from_class": ("from {tf} import Thing_{t}", "body", "Thing_{t}.attr"),
    "rel_sub": ("from . import {t}", "module", "{t}.K_{t}"),
    "rel_name": ("from .{t} import {names}", "const", "K_{t}"),
    "rel_pkg_name": ("from . import K_p", "const", "K_p"),
    # The package binds a function under its submodule's name (sympy's lambdify).
    "rel_shadow": ("from . import {t} as sm_{t}\n{t} = sm_{t}.f_{t}", "module", "sm_{t}.K_{t}"),
}


def render(prefix: str, slot: str, sc: dict[str, Any], edit: dict[str, str] | None) -> str:
    """The source of one module; ``edit`` maps edit kinds to their target."""
    edit = edit or {}
    k = sc["values"][slot] + (100 if "const" in edit else 0)
    lines = [f"K_{slot} = {k}"]
    # What the module reads of its imports: constants (in V_ and f_), callables
    # and class attributes (in f_ only), attributes of a module (in W_ and f_).
    uses: dict[str, list[str]] = {"const": [], "body": [], "module": []}
    extra: list[str] = []
    for kind, t in sc["imports"][slot]:
        statement, use, value = IMPORT_FORMS[kind]
        names = f"K_{t}" if slot != "p" else f"K_{t}, f_{t}, Thing_{t}"
        fields = {"tf": full(prefix, t), "t": t, "names": names}
        lines.append(statement.format(**fields))
        uses[use].append(value.format(**fields))
        if kind == "from_class":
            extra.append(f"OTHER_{slot}_{t} = Thing_{t}()")
    const_uses, body_uses, module_uses = uses["const"], uses["body"], uses["module"]
    body_k = 7 if "body" in edit else 0
    attr = sc["values"][slot] * 10 + (5 if "attr" in edit else 0)
    lines += [
        f"V_{slot} = K_{slot} + {' + '.join(const_uses) if const_uses else '0'}",
        f"W_{slot} = {' + '.join(module_uses) if module_uses else '0'}",
        f"def f_{slot}():",
        f"    return K_{slot} + {body_k} + {' + '.join(const_uses + body_uses + module_uses) or '0'}",
        f"class Thing_{slot}:",
        f"    attr = {attr}",
        "    def get(self):",
        f"        return self.attr + K_{slot}",
        f"DEFAULT_{slot} = Thing_{slot}()",
        *extra,
    ]
    if "newfunc" in edit:
        tf = full(prefix, edit["newfunc"])
        lines += [f"import {tf}", f"def g_{slot}():", f"    return {tf}.K_{edit['newfunc']}"]
    if "newmod" in edit:
        lines += [f"import {prefix}n", f"def h_{slot}():", f"    return {prefix}n.f_n()"]
    return "\n".join(lines) + "\n"


NEW_MODULE = "K_n = 7\ndef f_n():\n    return K_n\n"


def module_sources(prefix: str, sc: dict[str, Any], edited: bool) -> dict[str, str]:
    per_slot: dict[str, dict[str, str]] = {}
    if edited:
        for slot, kind, target in sc["edits"]:
            per_slot.setdefault(slot, {})[kind] = target
    out = {full(prefix, s): render(prefix, s, sc, per_slot.get(s)) for s in SLOTS}
    if any("newmod" in e for e in per_slot.values()):
        out[f"{prefix}n"] = NEW_MODULE
    return out


def path_of(root: Path, prefix: str, name: str) -> Path:
    if name == prefix:
        return root / prefix / "__init__.py"
    if name.startswith(prefix + "."):
        return root / prefix / (name.split(".")[1] + ".py")
    return root / (name + ".py")


def write_all(root: Path, prefix: str, srcs: dict[str, str], clock: list[int]) -> None:
    for name, text in srcs.items():
        write_source(path_of(root, prefix, name), text, clock)


# ---------------------------------------------------------------- the property


def _cleanup(root: str) -> None:
    for name in list(workspace_modules([root])):
        del sys.modules[name]
    if root in sys.path:
        sys.path.remove(root)
    liveimport.reset()


@pytest.mark.timeout(900)
@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    # Bounded and deterministic: no shrinking (each example is its own report).
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(sc=workspace_scenarios())
@example(sc=_scenario({"p": [("rel_name", "core")], "core": [("rel_sub", "util")]}, ["util"]))
@example(sc=_scenario({"p": [("rel_name", "core")], "core": [("rel_pkg_name", "p")]}, ["p"]))
@example(sc=_scenario({"p": [("rel_shadow", "util")]}, ["util"]))
@example(
    sc=_scenario(
        {"p": [("rel_name", "core"), ("rel_shadow", "util")], "core": [("rel_sub", "util")]},
        ["util"],
        registrations=["import {p}", "from {p} import util"],
    )
)
@example(
    sc=_scenario(
        {"p": [("rel_name", "core")], "core": [("rel_sub", "util"), ("rel_pkg_name", "p")]},
        ["util", "p"],
        registrations=["from {p}.core import Thing_core", "import {p}"],
    )
)
@example(
    sc=_scenario(
        {"a": [("import", "b"), ("from_class", "util")], "b": [("import", "a")]},
        ["a", "util"],
        registrations=["from {p}a import *", "import {p}b"],
    )
)
def test_c4_sync_equals_a_fresh_import_of_the_edited_files(sc: dict[str, Any]) -> None:
    """C4 (r2): every tracked module and registered name equals a fresh import
    (fresh interpreter) of the edited files; no stale reference anywhere (no
    exemption for cycles); events match the C4 (r2) model (reload set, order,
    reasons, C6 (r2) ``after``); A1: a sync whose edit raises changes nothing."""
    prefix = f"fo{next(_counter)}x{os.getpid()}"
    statements = [r.format(p=prefix) for r in sc["registrations"]]
    original = module_sources(prefix, sc, edited=False)
    edited = module_sources(prefix, sc, edited=True)
    base = Path(tempfile.mkdtemp(prefix="li-oracle-"))
    root, oracle_root = base / "ws", base / "oracle"
    clock = [_T0]
    write_all(root, prefix, original, clock)
    write_all(oracle_root, prefix, edited, clock)
    before_child = start_fresh_snapshot([str(root)], statements, [str(root)])
    after_child = start_fresh_snapshot([str(oracle_root)], statements, [str(oracle_root)])
    fresh_before = finish_fresh_snapshot(before_child)
    fresh_after = finish_fresh_snapshot(after_child)
    if "error" in fresh_before or "error" in fresh_after:
        shutil.rmtree(base)
        error = fresh_before.get("error") or fresh_after.get("error")
        event(f"rejected: a fresh import fails ({str(error).split(':')[1].strip()})")
        return
    event("kept")
    rootstr = os.path.realpath(root)
    sys.path.insert(0, rootstr)
    liveimport.workspace(rootstr)
    ns: dict[str, Any] = {"__name__": "notebook"}
    try:
        for statement in statements:
            exec(statement, ns)
            liveimport.register(ns, statement)
        assert diff(fresh_before, namespace_fingerprint(ns, [rootstr])) == []
        loaded_before = set(workspace_modules([rootstr]))
        tracked = loaded_before
        kept = {n: public_names(m) for n, m in workspace_modules([rootstr]).items()}
        changed: set[str] = set()

        raiser = sc["raise_first"]
        if raiser is not None and full(prefix, raiser) in tracked:
            name = full(prefix, raiser)
            state = identity_state(ns, workspace_modules([rootstr]))
            write_source(
                path_of(root, prefix, name), original[name] + "raise RuntimeError('x')\n", clock
            )
            with pytest.raises(ModuleError) as info:
                liveimport.sync()
            assert identity_state(ns, workspace_modules([rootstr])) == state
            assert info.value.phase == "reload"
            event("a failing edit first")
            changed.add(name)
            write_source(path_of(root, prefix, name), original[name], clock)

        for name, text in edited.items():
            if original.get(name) != text:
                write_source(path_of(root, prefix, name), text, clock)
                if name in tracked:
                    changed.add(name)
        events = liveimport.sync()

        old_sim = c4model.simulate(
            c4model.Workspace(sources=original, packages=[prefix]), statements
        )
        new_ws = c4model.Workspace(sources=edited, packages=[prefix])
        new_sim = c4model.simulate(new_ws, statements)
        # C4 (r2): a cycle edge through which X holds only module objects does
        # not make X reload; a value X computed at import time from such a
        # module (W_x) then keeps what the partial module had. Not compared.
        ignore = set()
        for edge in old_sim.edges + new_sim.edges:
            if edge.cycle and not edge.takes_names:
                slot = slot_of(prefix, edge.importer)
                ignore |= {f"{edge.importer}.W_{slot}", f"namespace.W_{slot}"}
        if ignore:
            event("import-time read through a module-only cycle edge")
        problems = diff(
            fresh_after, namespace_fingerprint(ns, [rootstr]), kept_names=kept, ignore=ignore
        )
        assert problems == []
        assert set(old_sim.finish) == tracked
        expected = c4model.reload_set(old_sim, changed)
        if expected != c4model.reload_set(new_sim, changed):
            event("the edit changes which edges are cycle edges")
            expected |= c4model.reload_set(new_sim, changed)
            assert {e.module for e in events} <= expected
            return
        order = c4model.reload_order(new_ws, statements, expected, loaded_before)
        got = [e.module for e in events]
        assert got == order, f"events {got}, C4 (r2) order {order}"
        assert {e.module: e.reason for e in events} == {
            m: "modified" if m in changed else "dependent" for m in order
        }
        after = c4model.expected_after(new_sim, order)
        assert {e.module: set(e.after) for e in events} == after
        event(f"{len(order)} modules reloaded")
    finally:
        _cleanup(rootstr)
        shutil.rmtree(base)


# ---------------------------------------------------------------- the model itself


@pytest.mark.parametrize(
    ("statement", "finish", "edits"),
    [
        (
            "import A, B, C, D, E, F, G",
            "EFCADGB",
            {"A": "A", "C": "CAB", "F": "FCADB"},
        ),
        ("import B", "AEFCDGB", {"A": "AECB"}),
    ],
)
def test_c4_model_reproduces_the_seven_module_example(statement, finish, edits):
    """The oracle's C4 model gives the contract's finish orders and reload
    orders for the seven-module example (C4 (r2))."""
    ws = c4model.Workspace(sources=SEVEN)
    sim = c4model.simulate(ws, [statement])
    assert "".join(sim.finish) == finish
    for edited, order in edits.items():
        reloading = c4model.reload_set(sim, {edited})
        assert "".join(c4model.reload_order(ws, [statement], reloading, set(SEVEN))) == order


def test_c4_model_reproduces_the_package_examples():
    """The C4 model gives the contract's package examples: util, core, pkg; and
    core then pkg for a name taken through the cycle edge core→pkg."""
    ws = c4model.Workspace(
        sources={
            "pkg": "from .core import Thing, make\n",
            "pkg.core": "from . import util\n",
            "pkg.util": "",
        },
        packages=["pkg"],
    )
    for statement in ("import pkg", "from pkg.core import Thing"):
        sim = c4model.simulate(ws, [statement])
        assert sim.finish == ["pkg.util", "pkg.core", "pkg"]
        reloading = c4model.reload_set(sim, {"pkg.util"})
        order = c4model.reload_order(ws, [statement], reloading, set(sim.finish))
        assert order == ["pkg.util", "pkg.core", "pkg"]
    ws = c4model.Workspace(
        sources={
            "pkg": "VERSION = '1'\nfrom .core import show\n",
            "pkg.core": "from . import VERSION\n",
        },
        packages=["pkg"],
    )
    sim = c4model.simulate(ws, ["import pkg"])
    assert sim.finish == ["pkg.core", "pkg"]
    reloading = c4model.reload_set(sim, {"pkg"})
    assert c4model.reload_order(ws, ["import pkg"], reloading, set(sim.finish)) == [
        "pkg.core",
        "pkg",
    ]
    assert c4model.expected_after(sim, ["pkg.core", "pkg"]) == {
        "pkg.core": set(),
        "pkg": {"pkg.core"},
    }


def test_fingerprint_sees_code_and_value_changes(tmp_path):
    """The oracle's fingerprint tells a changed function body, constant or class
    member apart, and two fresh interpreters agree on the same files."""
    (tmp_path / "fpmod.py").write_text("K = 1\ndef f():\n    return {1, 2}\nclass C:\n    a = 1\n")
    first = finish_fresh_snapshot(
        start_fresh_snapshot([str(tmp_path)], ["import fpmod"], [str(tmp_path)])
    )
    second = finish_fresh_snapshot(
        start_fresh_snapshot([str(tmp_path)], ["import fpmod"], [str(tmp_path)])
    )
    assert diff(first, second) == []
    for changed in ("K = 2\n", "def f():\n    return {1, 3}\n", "class C:\n    a = 2\n"):
        (tmp_path / "fpmod.py").write_text(
            "K = 1\ndef f():\n    return {1, 2}\nclass C:\n    a = 1\n" + changed
        )
        third = finish_fresh_snapshot(
            start_fresh_snapshot([str(tmp_path)], ["import fpmod"], [str(tmp_path)])
        )
        assert diff(first, third) != []
    assert first["modules"]["fpmod"]["f"][0] == "function"


def test_oracle_reports_a_dependent_left_holding_old_objects(tmp_path):
    """The oracle's stale-reference check sees what a reload of only the edited
    module leaves behind: a dependent holding the old class and an instance of
    it (C4 (r2) "no stale reference")."""
    import importlib

    leaf, user = f"oleaf{os.getpid()}", f"ouser{os.getpid()}"
    (tmp_path / f"{leaf}.py").write_text("class T:\n    pass\n")
    (tmp_path / f"{user}.py").write_text(f"from {leaf} import T\nX = T()\n")
    sys.path.insert(0, str(tmp_path))
    try:
        ns: dict[str, Any] = {}
        exec(f"import {user}", ns)
        (tmp_path / f"{leaf}.py").write_text("class T:\n    K = 2\n")
        os.utime(tmp_path / f"{leaf}.py", ns=(_T0, _T0))
        importlib.reload(sys.modules[leaf])
        fresh = finish_fresh_snapshot(
            start_fresh_snapshot([str(tmp_path)], [f"import {user}"], [str(tmp_path)])
        )
        problems = diff(fresh, namespace_fingerprint(ns, [str(tmp_path)]))
        assert f"stale: {user}.T: {leaf}.T is not the object {leaf} defines now" in problems
        assert f"stale: {user}.X: instance of a class {leaf}.T no longer defines" in problems
        assert any(p.startswith(f"{user}.T: differs from a fresh import") for p in problems)
    finally:
        sys.path.remove(str(tmp_path))
        for name in (leaf, user):
            sys.modules.pop(name, None)
