"""Bad input to every public entry point (§5, C1, C2, C5, N3, N4, A3): each
either does its job or raises a documented exception with an actionable
message, and leaves the previous state intact (a pending change stays pending).
Also the public surface itself (§0)."""

from __future__ import annotations

import os
import pathlib
import sys
import types
from typing import Any

import pytest

import liveimport
from helpers import Snapshot, assert_unchanged, names, snapshot
from liveimport import _api


@pytest.fixture
def world(modules, ns, imp):
    """Two namespaces with registrations, and a pending change: ``bi_m`` was
    edited (``f`` returns 2) and no sync has run since."""
    modules.write("bi_m", "def f(): return 1\nX = 1\n")
    modules.write("bi_n", "import bi_m\ndef g(): return 1\n")
    imp("import bi_m\nfrom bi_m import f")
    other = {"__name__": "other"}
    imp("from bi_n import g", namespace=other)
    modules.write("bi_m", "def f(): return 2\nX = 2\n")
    return ns, other


def _settings() -> dict[str, object]:
    return dict(_api.SETTINGS.__dict__)


def assert_intact(before: Snapshot) -> None:
    """Nothing a user can see changed, and the world's pending change is still
    pending: the next sync reloads it and rebinds ``f``."""
    assert_unchanged(before)
    ns = before.namespaces[0][0]
    assert names(liveimport.sync()) == ["bi_m", "bi_n"]
    assert ns["f"]() == 2


# -- register -------------------------------------------------------------------

BAD_NAMESPACES = [
    None,
    42,
    "globals",
    ["x"],
    ("x",),
    types.MappingProxyType({}),
    types.MappingProxyType({"__name__": "m"}),
]


@pytest.mark.parametrize("namespace", BAD_NAMESPACES, ids=repr)
def test_c1_register_bad_namespace(world, namespace):
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError, match="register: namespace must be a dict"):
        liveimport.register(namespace, "import bi_m")
    assert_intact(before)


@pytest.mark.parametrize("source", [None, b"import bi_m", 42, ["import bi_m"]], ids=repr)
def test_c1_register_bad_source_type(world, source):
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError, match="importstmts must be a string"):
        liveimport.register(ns, source)
    assert_intact(before)


@pytest.mark.parametrize("package", [None, 42, b"pkg"], ids=repr)
def test_c1_register_bad_package_type(world, package):
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError, match="package must be a string"):
        liveimport.register(ns, "import bi_m", package=package)
    assert_intact(before)


def test_c1_register_options_are_keyword_only(world):
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError):
        liveimport.register(ns, "import bi_m", "pkg")  # type: ignore[misc]
    with pytest.raises(TypeError):
        liveimport.register(ns, "import bi_m", colour=True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        liveimport.register(ns)  # type: ignore[call-arg]
    assert_intact(before)


@pytest.mark.parametrize(
    "source",
    [
        "import",
        "from import x",
        "from bi_m import",
        "import bi_m as",
        "import bi_m\n  import os\n",
        "import bi_m\0",
        "def f(:",
        "x = " + "-" * 100_000 + "1",
        "import bi_m\nx = " + "1 + " * 100_000 + "1",
        "(" * 1000 + ")" * 1000,
        "import bi_m\nreturn 1",
    ],
    ids=[
        "bare-import",
        "from-without-module",
        "from-without-names",
        "dangling-as",
        "bad-indent",
        "null-byte",
        "bad-def",
        "deep-unary",
        "long-sum",
        "deep-parens",
        "top-level-return",
    ],
)
@pytest.mark.parametrize("clear", [False, True])
def test_c1_register_invalid_source_raises_syntaxerror(world, source, clear):
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    with pytest.raises(SyntaxError):
        liveimport.register(ns, source, clear=clear, allow_other_statements=True)
    assert_intact(before)


def test_c1_register_accepts_top_level_await_as_in_a_cell(world):
    """C1, N2: source that a notebook cell may run (top-level ``await``) is not
    invalid source; its imports are registered."""
    ns, _ = world
    liveimport.register(
        ns, "import bi_m\nawait something()", clear=True, allow_other_statements=True
    )
    assert liveimport.registered(ns) == ["import bi_m"]


@pytest.mark.parametrize(
    ("source", "quoted"),
    [
        ("x = 1", "`x = 1`"),
        ("import bi_m\nprint('hi')", "`print('hi')`"),
        ("if True:\n    import bi_m", "`if True:`"),
        ("from bi_m import f\nbi_m.X = 5", "`bi_m.X = 5`"),
    ],
)
@pytest.mark.parametrize("clear", [False, True])
def test_c1_register_other_statement_named(world, source, quoted, clear):
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError, match="is not an import statement") as info:
        liveimport.register(ns, source, clear=clear)
    assert quoted in str(info.value)
    assert "allow_other_statements=True" in str(info.value)
    assert sys.modules["bi_m"].X == 1  # nothing was executed
    assert_intact(before)


@pytest.mark.parametrize(
    ("source", "setup", "start", "statement"),
    [
        ("import bi_nowhere", {}, "Module bi_nowhere not loaded", "import bi_nowhere"),
        ("import bi_n", {}, "No name bi_n in namespace", "import bi_n"),
        ("import bi_m as mm", {}, "No name mm in namespace", "import bi_m as mm"),
        ("from bi_m import f as h", {}, "No name h in namespace", "from bi_m import f as h"),
        ("from bi_m import g, f as h", {"g": 1}, "No name g in bi_m", "from bi_m import g"),
        ("from bi_m import nothing", {"nothing": 1}, "No name nothing in bi_m", None),
        ("from bi_nowhere import x", {"x": 1}, "Module bi_nowhere not loaded", None),
        ("import bi_m\nimport bi_missing2", {}, "Module bi_missing2 not loaded", None),
    ],
)
@pytest.mark.parametrize("clear", [False, True])
def test_c1_register_without_evidence(world, source, setup, start, statement, clear):
    """C1 (r2) message forms: the statements must already have run; the
    ValueError starts with the compatible form naming the missing piece, then
    quotes the (single-binding) statement and says what to do, and nothing at
    all is registered."""
    ns, _ = world
    ns.update(setup)
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError) as info:
        liveimport.register(ns, source, clear=clear)
    message = str(info.value)
    assert message.startswith(start), message
    quoted = statement or source.splitlines()[-1]
    assert f"`{quoted}`" in message, message
    assert "run" in message or "define it" in message, message
    assert_intact(before)


@pytest.mark.parametrize("spec_attribute", ["none", "absent"])
@pytest.mark.parametrize("source", ["import bi_nospec", "from bi_nospec import value"])
def test_c1_register_module_without_spec(world, monkeypatch, spec_attribute, source):
    """C1 (r2): a module built by hand (``__spec__`` None or missing) cannot be
    reloaded, so register() refuses it with a ValueError saying it ``has no
    spec`` and registers nothing."""
    ns, _ = world
    module = types.ModuleType("bi_nospec")
    module.value = 1  # type: ignore[attr-defined]
    if spec_attribute == "absent":
        del module.__spec__
    monkeypatch.setitem(sys.modules, "bi_nospec", module)
    ns.update(bi_nospec=module, value=1)
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError, match=r"^Module bi_nospec has no spec") as info:
        liveimport.register(ns, source)
    assert f"`{source}`" in str(info.value)
    assert_intact(before)


def test_c1_register_module_blocked_in_sys_modules(world, monkeypatch):
    """``sys.modules[name] = None`` (an import blocker) is not evidence."""
    ns, _ = world
    monkeypatch.setitem(sys.modules, "bi_blocked", None)
    ns["bi_blocked"] = None
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError, match="bi_blocked"):
        liveimport.register(ns, "import bi_blocked")
    assert_intact(before)


@pytest.mark.parametrize(
    ("package", "says"),
    [
        ("", "is outside any package"),
        ("bi_m", "would escape package bi_m"),
        ("a.b", "would escape package a.b"),
    ],
)
def test_c1_register_relative_import_escaping(world, package, says):
    """C1 (r2): a relative import with no package is ``outside any package``;
    one that goes up past the top ``would escape package <package>``; both
    quote the statement and nothing is registered."""
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ImportError) as info:
        liveimport.register(ns, "from .... import f", package=package)
    assert str(info.value).startswith(f"`from .... import f` {says}"), str(info.value)
    assert_intact(before)


def test_c1_register_bad_all_is_not_evidence(modules, world):
    ns, _ = world
    modules.write("bi_s", "def f(): return 1\n__all__ = 5\n")
    import bi_s  # noqa: F401

    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError, match="__all__"):
        liveimport.register(ns, "from bi_s import *")
    assert_intact(before)


def test_c1_register_errors_after_valid_statements_register_nothing(world):
    ns, other = world
    ns["zz"] = 1
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError):
        liveimport.register(ns, "from bi_m import X\nimport bi_absent", clear=True)
    assert liveimport.registered(ns) == ["import bi_m", "from bi_m import f"]
    assert liveimport.registered(other) == ["from bi_n import g"]
    assert_intact(before)


def test_c1_register_idempotent_and_empty(world):
    ns, _ = world
    before = snapshot(["bi_m"], *world)
    liveimport.register(ns, "")
    liveimport.register(ns, "   \n# only a comment\n")
    liveimport.register(ns, "import bi_m\nfrom bi_m import f")
    assert_intact(before)


# -- sync -------------------------------------------------------------------------


@pytest.mark.parametrize("observer", [42, "print", [print]], ids=repr)
def test_c2_sync_bad_observer(world, observer):
    before = snapshot(["bi_m", "bi_n"], *world)
    with pytest.raises(TypeError, match="observer must be callable"):
        liveimport.sync(observer=observer)
    assert_intact(before)


def test_c2_sync_takes_no_positional_argument(world):
    before = snapshot(["bi_m", "bi_n"], *world)
    with pytest.raises(TypeError):
        liveimport.sync(print)  # type: ignore[misc]
    assert_intact(before)


def test_c2_raising_observer_leaves_a_consistent_state(world):
    """The observer runs after the sync committed: its exception reaches the
    caller, the reloads stand (no half state) and are not repeated."""
    ns, other = world
    seen = []

    def observer(event):
        seen.append(event.module)
        raise RuntimeError("observer bug")

    with pytest.raises(RuntimeError, match="observer bug"):
        liveimport.sync(observer=observer)
    assert seen == ["bi_m"]
    assert ns["f"] is sys.modules["bi_m"].f and ns["f"]() == 2
    assert other["g"] is sys.modules["bi_n"].g
    assert sys.modules["bi_n"].bi_m is sys.modules["bi_m"]
    assert liveimport.sync() == []


def test_c2_reentrant_observer(world):
    """An observer may call LiveImport itself (sync, register, status)."""
    ns, _ = world
    ns["X"] = sys.modules["bi_m"].X
    inner = []

    def observer(event):
        inner.append(liveimport.sync())
        liveimport.register(ns, "from bi_m import X")
        assert liveimport.status().modules

    events = liveimport.sync(observer=observer)
    assert [e.module for e in events] == ["bi_m", "bi_n"]
    assert inner == [[], []]
    assert liveimport.registered(ns)[-1] == "from bi_m import X"


# -- workspace --------------------------------------------------------------------


@pytest.mark.parametrize("directory", [None, 42, 4.5, b"/tmp", ["/tmp"]], ids=repr)
def test_c5_workspace_bad_type(world, directory):
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError, match="workspace"):
        liveimport.workspace(directory)
    assert_intact(before)


def test_c5_workspace_missing_file_or_invalid_paths(world, tmp_path):
    before = snapshot(["bi_m"], *world)
    a_file = tmp_path / "file.txt"
    a_file.write_text("")
    cases = [
        (tmp_path / "nope", "does not exist"),
        (a_file, "is not a directory"),
        (str(tmp_path) + "/bad\0name", "workspace"),
    ]
    for path, message in cases:
        for extend in (False, True):
            with pytest.raises(ValueError, match=message) as info:
                liveimport.workspace(tmp_path, path, extend=extend)
            assert os.fspath(path)[-8:].replace("\0", "\\x00") in str(info.value)
            assert_unchanged(before)
    assert_intact(before)


def test_c5_workspace_pathlike_that_is_not_text(world):
    class BytesPath:
        def __fspath__(self) -> bytes:
            return b"/tmp"

    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError, match="workspace"):
        liveimport.workspace(BytesPath())  # type: ignore[arg-type]
    assert_intact(before)


def test_c5_workspace_normalises(world, tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.chdir(real)
    liveimport.workspace("sub/..", link, pathlib.Path("."), real)
    assert liveimport.status().workspace == (str(real.resolve()),)
    liveimport.workspace()
    assert liveimport.status().workspace == ()


# -- auto_sync and hidden_cell_magic ----------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"enabled": "yes"},
        {"enabled": 1},
        {"enabled": False, "grace": -1},
        {"enabled": True, "grace": -5},
        {"grace": -1},
        {"grace": float("nan")},
        {"grace": float("inf")},
        {"grace": "1"},
        {"grace": True},
        {"grace": 2.0, "report": "no"},
        {"report": 0},
        {"report": 1},
        {"report": "yes"},
        {"on_error": "ignore"},
        {"on_error": 1},
        {"on_error": "STOP"},
    ],
    ids=repr,
)
def test_n4_auto_sync_bad_value_changes_nothing(world, kwargs):
    before_settings = _settings()
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError, match="auto_sync") as info:
        liveimport.auto_sync(**kwargs)
    bad = [k for k in kwargs if k in str(info.value)]
    assert bad, str(info.value)  # the message names the offending setting
    assert _settings() == before_settings
    assert_intact(before)


def test_n4_auto_sync_unknown_or_positional_arguments(world):
    before_settings = _settings()
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError):
        liveimport.auto_sync(True, 1.0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        liveimport.auto_sync(colour=True)  # type: ignore[call-arg]
    assert _settings() == before_settings
    assert_intact(before)


def test_n4_auto_sync_none_changes_nothing_and_good_values_apply():
    before_settings = _settings()
    liveimport.auto_sync()
    liveimport.auto_sync(None, grace=None, report=None, on_error=None)
    assert _settings() == before_settings
    liveimport.auto_sync(False, grace=0, report=False, on_error="warn")
    assert _settings() == {
        **before_settings,
        "enabled": False,
        "grace": 0.0,
        "report": False,
        "on_error": "warn",
    }


@pytest.mark.parametrize("value", ["yes", "no", 1, 0, None, "False"], ids=repr)
def test_n3_hidden_cell_magic_bad_value(world, value):
    before_settings = _settings()
    before = snapshot(["bi_m"], *world)
    with pytest.raises(ValueError, match="hidden_cell_magic"):
        liveimport.hidden_cell_magic(value)  # type: ignore[arg-type]
    assert _settings() == before_settings
    with pytest.raises(TypeError):
        liveimport.hidden_cell_magic()  # type: ignore[call-arg]
    assert _settings() == before_settings
    assert_intact(before)


# -- registered, status, reset ----------------------------------------------------


@pytest.mark.parametrize("namespace", BAD_NAMESPACES, ids=repr)
def test_a3_registered_bad_namespace(world, namespace):
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError, match="registered: namespace must be a dict"):
        liveimport.registered(namespace)
    assert_intact(before)


def test_a3_registered_unknown_namespace_is_empty(world):
    assert liveimport.registered({}) == []
    before = snapshot(["bi_m"], *world)
    assert liveimport.registered({"__name__": "x"}) == []
    assert_intact(before)


def test_a3_status_and_reset_take_no_arguments(world):
    before = snapshot(["bi_m"], *world)
    with pytest.raises(TypeError):
        liveimport.status(True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        liveimport.reset(True)  # type: ignore[call-arg]
    assert_intact(before)


def test_c1_namespace_with_odd_contents(modules, imp):
    """A namespace may hold anything: non-string keys, objects whose ``==``
    or ``__bool__`` raise. Registration and sync never compare values."""

    class Hostile:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no comparisons")

        def __bool__(self) -> bool:
            raise RuntimeError("no truth")

        __hash__ = object.__hash__

    modules.write("bi_o", "def f(): return 1\n")
    ns: dict[Any, Any] = {"__name__": "odd", 1: "one", "h": Hostile()}
    imp("from bi_o import f", namespace=ns)
    modules.write("bi_o", "def f(): return 2\n")
    liveimport.sync()
    assert ns["f"]() == 2 and ns[1] == "one"


def test_s0_public_names_exactly():
    """§0: the package exports exactly the documented names."""
    assert sorted(liveimport.__all__) == sorted(
        [
            "register",
            "sync",
            "workspace",
            "auto_sync",
            "hidden_cell_magic",
            "ReloadEvent",
            "ModuleError",
            "status",
            "registered",
            "reset",
            "Status",
            "ModuleStatus",
            "NamespaceStatus",
        ]
    )
    for name in liveimport.__all__:
        assert hasattr(liveimport, name)
    # §0 (r2): public, but outside __all__ as in the existing package
    assert callable(liveimport.poll_lazy_imports)
    assert "poll_lazy_imports" not in liveimport.__all__
