"""C1/C3: parsing registrations into single-binding records."""

from __future__ import annotations

import ast
import sys
import types

import pytest

import liveimport
from liveimport._imports import Step, import_steps, imported_modules
from liveimport._statements import Binding, Unbindable, parse, resolve, star_names


def test_c1_forms_become_single_binding_records():
    source = """
        import a.b.c, d as e
        from m import x, y as z
        from n import *
    """
    assert [str(b) for b in parse(source)] == [
        "import a.b.c",
        "import d as e",
        "from m import x",
        "from m import y as z",
        "from n import *",
    ]


def test_c3_targets():
    assert Binding("import", "a.b.c").target == "a"
    assert Binding("import", "a.b.c", asname="x").target == "x"
    assert Binding("from", "m", "x", "y").target == "y"
    assert Binding("from", "m", "*").target is None


def test_c1_non_import_rejected_with_its_text():
    with pytest.raises(ValueError, match=r"`x = 1` \(line 2\) is not an import"):
        parse("import os\nx = 1\n")


def test_c1_nested_imports_are_not_imports():
    source = "if True:\n    import os\n"
    with pytest.raises(ValueError, match="is not an import"):
        parse(source)
    assert parse(source, allow_other_statements=True) == []


def test_c1_future_import_is_ignored():
    assert parse("from __future__ import annotations\nimport os") == [Binding("import", "os")]


def test_c1_relative_resolution():
    assert resolve("mod", 1, "pkg.sub") == "pkg.sub.mod"
    assert resolve(None, 2, "pkg.sub") == "pkg"
    assert resolve("x", 0, "") == "x"
    with pytest.raises(ImportError, match=r"^is outside any package"):
        resolve("x", 1, "")
    with pytest.raises(ImportError, match=r"^would escape package pkg\.sub: 3 dots"):
        resolve("x", 3, "pkg.sub")


def test_c1_relative_error_names_statement():
    with pytest.raises(ImportError, match=r"`from \.\. import x`"):
        parse("from .. import x", package="pkg")


def test_c1_long_statement_text_is_shortened():
    source = "x = " + "1 + " * 40 + "1"
    with pytest.raises(ValueError, match=r"\.\.\.` \(line 1\)"):
        parse(source)


def test_c4_import_steps_keep_source_order_and_from_names():
    tree = ast.parse(
        "import a.b\nfrom p import q\nfrom p import *\nfrom . import r\nfrom .... import bad\n"
        "from __future__ import annotations\n"
    )
    steps = import_steps(tree.body, "pkg")
    assert steps == (Step("a.b"), Step("p", ("q",)), Step("p", ("*",)), Step("pkg", ("r",)))
    assert imported_modules(steps) == ["a", "a.b", "p", "p.q", "pkg", "pkg.r"]


def test_c3_values_and_star_names():
    assert Binding("import", "os.path").values() == {"os": sys.modules["os"]}
    assert Binding("import", "os.path", asname="p").values() == {"p": sys.modules["os.path"]}
    assert Binding("from", "os", "sep").values() == {"sep": sys.modules["os"].sep}
    assert Binding("from", "os", "path").values()["path"] is sys.modules["os.path"]
    assert set(star_names(sys.modules["os.path"])) == set(sys.modules["os.path"].__all__)
    with pytest.raises(Unbindable, match="name 'nope' has disappeared from os") as info:
        Binding("from", "os", "nope").values()
    assert info.value.module == "os"
    with pytest.raises(Unbindable, match="not imported"):
        Binding("import", "no_such_module_xyz").values()
    with pytest.raises(Unbindable, match="not imported"):
        Binding("from", "no_such_module_xyz", "a").values()


def test_c3_referenced_modules_include_submodule():
    assert Binding("from", "os", "path").referenced_modules(sys.modules) == ("os", "os.path")
    assert Binding("from", "os", "sep").referenced_modules(sys.modules) == ("os",)


def test_c3_import_as_walks_attributes_then_falls_back_to_sys_modules():
    assert Binding("import", "os.path", "", "p").values() == {"p": sys.modules["os"].path}
    with pytest.raises(Unbindable, match=r"'no_such_top_xyz' is not imported"):
        Binding("import", "no_such_top_xyz.sub", "", "s").values()
    with pytest.raises(Unbindable, match=r"'os\.no_such_sub_xyz' is not imported"):
        Binding("import", "os.no_such_sub_xyz", "", "s").values()
    sys.modules["os.fake_sub_xyz"] = fake = type(sys)("os.fake_sub_xyz")
    try:
        assert Binding("import", "os.fake_sub_xyz", "", "s").values() == {"s": fake}
    finally:
        del sys.modules["os.fake_sub_xyz"]


def test_c3_from_import_falls_back_to_a_loaded_submodule():
    from liveimport._statements import Binding

    parent = types.ModuleType("fb_parent")
    child = types.ModuleType("fb_parent.child")
    sys.modules.update({"fb_parent": parent, "fb_parent.child": child})
    try:  # the attribute is missing, as after `del parent.child`
        assert Binding("from", "fb_parent", "child").values() == {"child": child}
    finally:
        del sys.modules["fb_parent"], sys.modules["fb_parent.child"]


def test_c3_star_import_binds_a_submodule_named_in_all(modules, imp):
    """C3: ``__all__`` naming a submodule nobody imported yet binds it the way
    ``from pkg import *`` does: by importing the submodule."""
    modules.write("allpkg", "__all__ = ['alpha']\nalpha = 1\n", package=True)
    modules.write("allpkg.extra", "E = 'extra'\n")
    ns = {}
    imp("from allpkg import *", namespace=ns)
    modules.write("allpkg", "__all__ = ['alpha', 'extra']\nalpha = 2\n", package=True)
    assert [e.module for e in liveimport.sync()] == ["allpkg"]
    assert ns["alpha"] == 2 and ns["extra"] is sys.modules["allpkg.extra"]


@pytest.mark.parametrize(
    ("submodule", "error", "message"),
    [
        ("raise SystemExit('no')\n", liveimport.ModuleError, "importing starpkg.extra failed"),
        (None, liveimport.ModuleError, "name 'extra' has disappeared from starpkg"),
        ("raise KeyboardInterrupt\n", KeyboardInterrupt, None),
    ],
    ids=["fails-to-import", "missing", "interrupted"],
)
def test_c3_a1_all_naming_a_submodule_that_cannot_be_bound_changes_nothing(
    modules, imp, submodule, error, message
):
    """C3, C7, A1: when ``__all__`` starts naming a submodule that fails to
    import, does not exist, or is interrupted while importing, the sync fails
    (a ModuleError in the rebind phase, or the interrupt itself) and the
    namespace and the package keep their values."""
    modules.write("starpkg", "__all__ = ['a']\na = 1\n", package=True)
    if submodule is not None:
        modules.write("starpkg.extra", submodule)
    ns = {}
    imp("from starpkg import *", namespace=ns)
    modules.write("starpkg", "__all__ = ['a', 'extra']\na = 2\n", package=True)
    with pytest.raises(error, match=message) as info:
        liveimport.sync()
    if error is liveimport.ModuleError:
        assert info.value.phase == "rebind"
    assert ns["a"] == 1 and sys.modules["starpkg"].a == 1
