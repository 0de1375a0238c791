"""Source faults (A1, C2, C3, C7): broken, odd or hostile module source.

Each failing case checks that the sync raises ``ModuleError`` with the right
module, phase and cause, that nothing the user can see changed, and that the
next sync retries the same work once the file is fixed.
"""

from __future__ import annotations

import sys

import pytest

import liveimport
from helpers import assert_unchanged, snapshot, states
from liveimport import ModuleError, ReloadEvent


def _unparsable_b_changes_nothing_until_fixed(modules, log, ab, path, before):
    """``b`` cannot be parsed: the sync fails in analysis naming its file,
    nothing ran or changed, and fixing ``b`` is all it takes (A1, C7)."""
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("b", "analysis")
    assert str(path) in str(info.value)
    assert log.events == []
    assert_unchanged(before)
    modules.write("b", "def fb(): return 'b3'\n" + log.line)
    _fix_and_sync(modules, log, ab)


def _fix_and_sync(modules, log, ns, expected=("b", "a")) -> list[ReloadEvent]:
    """After a failure, fixing the file is all it takes (A1): the next sync
    does the whole work once and the sync after it has nothing to do."""
    log.clear()
    modules.write("a", "from b import fb\ndef fa(): return 'a3:' + fb()\n" + log.line)
    events = liveimport.sync()
    assert [e.module for e in events] == list(expected)
    assert log.events == list(expected)
    assert ns["fa"]() == "a3:" + ns["fb"]()
    assert ns["fa"] is sys.modules["a"].fa
    assert states() == {"a": "current", "b": "current"}
    assert liveimport.sync() == []
    return events


def test_a1_syntax_error_reloads_nothing(modules, log, ab):
    modules.write("b", "def fb(): return 'b2'\n" + log.line)
    path = modules.write("a", "def fa(:\n    pass\n")
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.module, error.phase) == ("a", "analysis")
    assert error.file == str(path) and error.line == 1
    assert isinstance(error.__cause__, SyntaxError)
    assert "a" in str(error) and str(path) in str(error) and "line 1" in str(error)
    assert log.events == []  # every changed file is parsed before anything reloads
    assert_unchanged(before)
    assert states()["a"] == "failed"
    # The next sync retries the same work, and fails the same way.
    with pytest.raises(ModuleError):
        liveimport.sync()
    assert_unchanged(before)
    _fix_and_sync(modules, log, ab)


@pytest.mark.parametrize(
    ("raiser", "cause"),
    [
        ("1 / 0", ZeroDivisionError),
        ("raise SystemExit(3)", SystemExit),
        ("import no_such_module_li_faults", ModuleNotFoundError),
        ("raise GeneratorExit", GeneratorExit),
    ],
)
def test_a1_exception_at_import_restores(modules, log, ab, raiser, cause):
    """b reloads first, then a raises half-way: b is restored to exactly its
    previous state, a too (including the names its half-run added)."""
    modules.write("b", "def fb(): return 'b2'\nNEW_IN_B = 1\n" + log.line)
    path = modules.write("a", "from b import fb\nNEW_IN_A = 1\n" + raiser + "\n")
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.module, error.phase) == ("a", "reload")
    assert isinstance(error.__cause__, cause)
    assert error.file == str(path) and error.line == 3, str(error)
    assert cause.__name__ in str(error)
    assert log.events == ["b"]
    assert_unchanged(before)
    assert not hasattr(sys.modules["a"], "NEW_IN_A")
    assert not hasattr(sys.modules["b"], "NEW_IN_B")
    assert states()["a"] == "failed"
    with pytest.raises(ModuleError):
        liveimport.sync()
    assert_unchanged(before)
    events = _fix_and_sync(modules, log, ab)
    assert [e.reason for e in events] == ["modified", "modified"]


def test_a1_systemexit_in_module_restores(modules, log, ab):
    modules.write("b", "def fb(): return 'b2'\n" + log.line + "import sys\nsys.exit('bye')\n")
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("b", "reload")
    assert isinstance(info.value.__cause__, SystemExit)
    assert_unchanged(before)
    modules.write("b", "def fb(): return 'b3'\n" + log.line)
    _fix_and_sync(modules, log, ab)
    assert ab["fb"]() == "b3"


def test_a1_keyboardinterrupt_in_module_restores_and_propagates(modules, log, ab):
    modules.write("b", "def fb(): return 'b2'\n" + log.line)
    modules.write("a", "from b import fb\nX = 1\nraise KeyboardInterrupt\n")
    before = snapshot(["a", "b"], ab)
    with pytest.raises(KeyboardInterrupt):
        liveimport.sync()
    assert log.events == ["b"]
    assert_unchanged(before)
    # Nothing was recorded as seen: the next sync retries the same work.
    log.clear()
    with pytest.raises(KeyboardInterrupt):
        liveimport.sync()
    assert log.events == ["b"]
    assert_unchanged(before)
    log.clear()
    _fix_and_sync(modules, log, ab)


def test_a1_module_deletes_itself_from_sys_modules(modules, log, ab):
    modules.write("b", "import sys\ndef fb(): return 'b2'\ndel sys.modules[__name__]\n")
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("b", "reload")
    assert "b" in str(info.value)
    assert_unchanged(before)  # including sys.modules["b"] put back
    modules.write("b", "def fb(): return 'b3'\n" + log.line)
    _fix_and_sync(modules, log, ab)


@pytest.fixture
def forget():
    """Module names to drop from ``sys.modules`` at the end (replacements have
    no file, so the builder's cleanup does not recognise them)."""
    names: list[str] = []
    yield names
    for name in names:
        sys.modules.pop(name, None)


def test_c3_module_replaces_itself_in_sys_modules(modules, log, ns, forget, imp):
    """As with a real import, the replacement is what the statements bind."""
    forget.append("r")
    modules.write("r", "def f(): return 1\n")
    imp("import r\nfrom r import f")
    modules.write(
        "r",
        "import sys, types\n"
        "def f(): return 2\n"
        "_new = types.ModuleType(__name__)\n"
        "_new.f = lambda: 3\n"
        "sys.modules[__name__] = _new\n",
    )
    [event] = liveimport.sync()
    assert event.module == "r"
    replacement = sys.modules["r"]
    assert ns["r"] is replacement and ns["f"] is replacement.f and ns["f"]() == 3
    # Later syncs neither crash nor lose the module.
    assert liveimport.sync() == []
    modules.touch("r")
    liveimport.sync()
    assert ns["f"] is sys.modules["r"].f


def test_c3_module_replaced_by_non_module_is_not_reloaded_again(modules, ns, forget, imp):
    forget.append("r2")
    modules.write("r2", "def f(): return 1\n")
    imp("import r2\nfrom r2 import f")
    modules.write(
        "r2",
        "import sys, types\nsys.modules[__name__] = types.SimpleNamespace(f=lambda: 3)\n",
    )
    liveimport.sync()
    assert ns["r2"] is sys.modules["r2"] and ns["f"]() == 3
    before = snapshot([], ns)
    modules.touch("r2")
    assert liveimport.sync() == []  # not a module any more: nothing to reload
    assert_unchanged(before)


def test_c7_module_deletes_a_name_another_registration_imports(modules, log, ns, imp):
    modules.write("b", "def f(): return 1\ndef g(): return 1\n" + log.line)
    imp("from b import f\nimport b")
    other = {"__name__": "other"}
    imp("from b import g", namespace=other)
    log.clear()
    # importlib.reload keeps attributes a new version no longer defines, so
    # the module has to delete the name itself.
    modules.write("b", "def f(): return 2\ndef g(): pass\ndel g\n" + log.line)
    before = snapshot(["b"], ns, other)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.module, error.phase) == ("b", "rebind")
    assert "'g'" in str(error) and "b" in str(error)
    assert log.events == ["b"]
    assert_unchanged(before)
    assert sys.modules["b"].g is other["g"]
    modules.write("b", "def f(): return 3\ndef g(): return 3\n" + log.line)
    liveimport.sync()
    assert ns["f"]() == 3 and other["g"]() == 3


def test_c7_dependent_loses_a_name_it_imports(modules, log, ab):
    """b deletes fb; a's own `from b import fb` fails while a reloads."""
    modules.write("b", "def other(): return 0\nglobals().pop('fb', None)\n" + log.line)
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("a", "reload")
    assert isinstance(info.value.__cause__, ImportError)
    assert "fb" in str(info.value)
    assert_unchanged(before)


@pytest.mark.parametrize("all_value", ["['f', 'missing']", "['f', 1]", "5", "[None]", "object()"])
def test_c7_bad_all_fails_the_sync_cleanly(modules, log, ns, all_value, imp):
    """``from m import *`` cannot bind a broken ``__all__``: phase rebind,
    nothing changes (never a raw TypeError from inside the engine)."""
    modules.write("s", "def f(): return 1\n" + log.line)
    imp("from s import *")
    log.clear()
    modules.write("s", f"def f(): return 2\n__all__ = {all_value}\n" + log.line)
    before = snapshot(["s"], ns)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("s", "rebind")
    message = str(info.value)
    assert "s.py" in message
    assert "'missing'" in message if "missing" in all_value else "__all__" in message, message
    assert log.events == ["s"]
    assert_unchanged(before)
    modules.write("s", "def f(): return 3\n" + log.line)
    liveimport.sync()
    assert ns["f"]() == 3


def test_c7_non_utf8_bytes(modules, log, ab):
    path = modules.path("a")
    before = snapshot(["a", "b"], ab)
    path.write_bytes(b"def fa():\n    return '\xe9\xff'\n")
    modules.set_mtime(path)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("a", "analysis")
    assert isinstance(info.value.__cause__, (UnicodeDecodeError, SyntaxError))
    assert str(path) in str(info.value)
    assert_unchanged(before)
    _fix_and_sync(modules, log, ab, expected=["a"])


def test_c2_latin1_coding_declaration(modules, log, ab):
    path = modules.path("a")
    source = "# -*- coding: latin-1 -*-\nfrom b import fb\ndef fa(): return 'caf\xe9'\n" + log.line
    path.write_bytes(source.encode("latin-1"))
    modules.set_mtime(path)
    [event] = liveimport.sync()
    assert event.module == "a"
    assert ab["fa"]() == "caf\u00e9"


def test_c3_empty_file(modules, log, ns, imp):
    modules.write("e", "def f(): return 1\nX = 1\n")
    imp("import e\nfrom e import *\nfrom e import f as g")
    ns["mine"] = object()
    public = {k: v for k, v in vars(sys.modules["e"]).items() if not k.startswith("_")}
    before = dict(ns)
    modules.write("e", "")
    [event] = liveimport.sync()
    assert event.module == "e"
    # importlib.reload keeps the attributes an empty new version does not
    # define, so every registered name still binds, to the same objects.
    assert {k: v for k, v in vars(sys.modules["e"]).items() if not k.startswith("_")} == public
    assert ns.keys() == before.keys() and all(ns[k] is before[k] for k in ns)
    assert ns["f"]() == 1 and ns["X"] == 1
    modules.write("e", "def f(): return 2\n")
    liveimport.sync()
    assert ns["f"]() == 2


def test_c7_module_emptying_itself_loses_registered_name(modules, ns, imp):
    modules.write("e", "def f(): return 1\n")
    imp("from e import f")
    modules.write("e", "globals().pop('f')\n")
    before = snapshot(["e"], ns)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert info.value.phase == "rebind" and "'f'" in str(info.value)
    assert_unchanged(before)


def test_c2_very_large_file(modules, log, ab):
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(20000))
    modules.write("b", body + "def fb(): return 'big'\n" + log.line)
    events = liveimport.sync()
    assert [e.module for e in events] == ["b", "a"]
    assert ab["fb"]() == "big" and ab["fa"]() == "a1:big"
    assert sys.modules["b"].f19999(1) == 20000


@pytest.mark.parametrize(
    "expression",
    ["1 + " * 100_000 + "1", "-" * 100_000 + "1", "(" * 1000 + "1" + ")" * 1000],
    ids=["long-sum", "deep-unary", "deep-parens"],
)
def test_c7_pathologically_nested_source(modules, log, ab, expression):
    """CPython's parser gives up with RecursionError or MemoryError on some
    huge expressions: that is a file that cannot be parsed (phase analysis),
    not a crash of the sync."""
    path = modules.write("b", "def fb(): return 'b2'\nX = " + expression + "\n")
    before = snapshot(["a", "b"], ab)
    _unparsable_b_changes_nothing_until_fixed(modules, log, ab, path, before)


def test_c1_pathologically_nested_dependency_at_register(modules, ns):
    """C1 (r2): a workspace module that cannot be parsed at registration time
    (the parser gives up) makes ``register()`` raise ModuleError (analysis) and
    register nothing; once the file is fixed, registering succeeds."""
    modules.write("deep", "X = " + "-" * 100_000 + "1\n")
    modules.write("top", "import deep\ndef f(): return 1\n")
    modules.write("deep", "X = 1\n")
    import top  # noqa: F401

    modules.write("deep", "X = " + "-" * 100_000 + "1\n")
    ns["f"] = sys.modules["top"].f
    with pytest.raises(ModuleError) as info:
        liveimport.register(ns, "from top import f")
    assert (info.value.module, info.value.phase) == ("deep", "analysis")
    assert liveimport.registered(ns) == []
    assert liveimport.status().modules == ()
    modules.write("deep", "X = 1\n")
    liveimport.register(ns, "from top import f")
    assert liveimport.registered(ns) == ["from top import f"]
    assert {m.name for m in liveimport.status().modules} == {"top", "deep"}


def test_c7_binary_file_with_py_name(modules, log, ab):
    path = modules.path("b")
    before = snapshot(["a", "b"], ab)
    path.write_bytes(bytes(range(256)) * 64)
    modules.set_mtime(path)
    _unparsable_b_changes_nothing_until_fixed(modules, log, ab, path, before)


def test_c7_null_bytes_in_source(modules, log, ab):
    path = modules.path("b")
    path.write_bytes(b"def fb(): return 'b2'\n\x00\n")
    modules.set_mtime(path)
    before = snapshot(["a", "b"], ab)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert (info.value.module, info.value.phase) == ("b", "analysis")
    assert_unchanged(before)
