"""A3: registered(), status() and reset()."""

from __future__ import annotations

import dataclasses
import os

import pytest

import liveimport
from helpers import modstatus
from liveimport import ModuleError


def test_a3_registered_normalised_in_effective_order(modules, ns, imp):
    modules.write("st_a", "X = 1\n")
    modules.write("st_b", "Y = 1\nZ = 1\n")
    imp(
        """
        import st_a, st_b as bee
        from st_b import Y, Z as zed
        from st_a import *
        """
    )
    expected = [
        "import st_a",
        "import st_b as bee",
        "from st_b import Y",
        "from st_b import Z as zed",
        "from st_a import *",
    ]
    assert liveimport.registered(ns) == expected
    # re-registering a statement moves it last
    imp("import st_a")
    assert liveimport.registered(ns) == [*expected[1:], "import st_a"]
    # re-registering everything restores the original order
    liveimport.register(ns, "import st_a, st_b as bee\nfrom st_b import Y, Z as zed\n")
    liveimport.register(ns, "from st_a import *")
    assert liveimport.registered(ns) == expected


def test_a3_registered_for_unknown_namespace_is_empty(modules):
    assert liveimport.registered({"__name__": "nobody"}) == []


def test_a3_registered_returns_a_copy(modules, ns, imp):
    modules.write("st_a", "X = 1\n")
    imp("import st_a")
    got = liveimport.registered(ns)
    got.append("import bogus")
    assert liveimport.registered(ns) == ["import st_a"]


def test_a3_status_modules_fields(modules, ns, imp):
    path_c = modules.write("st_c", "V = 1\n")
    path_b = modules.write("st_b", "import st_c\n")
    path_a = modules.write("st_a", "import st_b\n")
    imp("import st_a\nimport math")
    st = liveimport.status()
    names = [m.name for m in st.modules]
    assert names == sorted(names)
    by = modstatus()
    assert {"st_a", "st_b", "st_c", "math"} <= set(by)
    a, b, c = by["st_a"], by["st_b"], by["st_c"]
    assert os.path.samefile(a.file, path_a)
    assert os.path.samefile(b.file, path_b)
    assert os.path.samefile(c.file, path_c)
    assert (a.registered, b.registered, c.registered) == (True, False, False)
    assert by["math"].registered is True
    assert a.imported_by == () and b.imported_by == ("st_a",) and c.imported_by == ("st_b",)
    assert a.depends_on == ("st_b",) and b.depends_on == ("st_c",) and c.depends_on == ()
    assert {m.state for m in st.modules} == {"current"}
    assert isinstance(st.modules, tuple)
    assert isinstance(st.workspace, tuple) and isinstance(st.namespaces, tuple)


def test_a3_status_states(modules, ns, imp):
    modules.write("st_a", "V = 1\n")
    path_b = modules.write("st_b", "V = 1\n")
    modules.write("st_c", "V = 1\n")
    imp("import st_a\nimport st_b\nimport st_c")
    modules.touch("st_a")
    path_b.unlink()
    by = modstatus()
    assert (by["st_a"].state, by["st_b"].state, by["st_c"].state) == (
        "modified",
        "missing",
        "current",
    )
    liveimport.sync()
    assert modstatus()["st_a"].state == "current"
    modules.write("st_c", "raise RuntimeError\n")
    with pytest.raises(ModuleError):
        liveimport.sync()
    assert modstatus()["st_c"].state == "failed"
    modules.write("st_c", "V = 2\n")
    liveimport.sync()
    assert modstatus()["st_c"].state == "current"


def test_a3_status_namespaces_and_workspace(modules, ns, imp):
    modules.write("st_a", "X = 1\n")
    other = {"__name__": "other_ns"}
    imp("import st_a\nfrom st_a import X as ex")
    imp("from st_a import X", other)
    st = liveimport.status()
    assert st.workspace == (os.path.realpath(modules.root),)
    by_name = {n.name: n for n in st.namespaces}
    assert set(by_name) == {"notebook", "other_ns"}
    assert by_name["notebook"].statements == ("import st_a", "from st_a import X as ex")
    assert by_name["other_ns"].statements == ("from st_a import X",)
    assert by_name["notebook"].stale == ()


def test_a3_status_stale_names(modules, ns, imp):
    modules.write("models", "class Net:\n    pass\n")
    imp("from models import Net")
    ns["net"] = ns["Net"]()
    ns["_private"] = ns["Net"]()
    ns["number"] = 3
    modules.touch("models")
    liveimport.sync()
    (nstatus,) = liveimport.status().namespaces
    assert nstatus.stale == ("net",)
    text = str(liveimport.status())
    assert "  Still using classes from before a reload: net" in text.splitlines()


def test_a3_status_is_an_immutable_snapshot(modules, ns, imp):
    modules.write("st_a", "X = 1\n")
    imp("import st_a")
    st = liveimport.status()
    with pytest.raises(dataclasses.FrozenInstanceError):
        st.modules = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        st.modules[0].state = "failed"  # type: ignore[misc]
    modules.touch("st_a")
    assert st.modules[0].state == "current"  # the snapshot does not follow later changes
    assert liveimport.status().modules[0].state == "modified"


def test_a3_status_str_is_readable(modules, ns, imp):
    modules.write("st_b", "V = 1\n")
    modules.write("st_a", "import st_b\n")
    imp("import st_a\nfrom st_b import V")
    text = str(liveimport.status())
    for piece in ("st_a", "st_b", "current", "import st_a", "from st_b import V", "notebook"):
        assert piece in text
    assert os.path.realpath(modules.root) in text
    modules.touch("st_a")
    assert "modified" in str(liveimport.status())


def test_a3_status_empty(modules):
    liveimport.reset()
    st = liveimport.status()
    assert st.modules == () and st.namespaces == ()
    assert isinstance(str(st), str) and str(st)


def test_a3_reset_forgets_registrations_and_tracking(modules, ns, imp, log):
    modules.write("st_a", "X = 1\n" + log.line)
    imp("from st_a import X")
    liveimport.reset()
    assert liveimport.registered(ns) == []
    st = liveimport.status()
    assert st.modules == () and st.namespaces == ()
    log.clear()
    modules.write("st_a", "X = 2\n" + log.line)
    assert liveimport.sync() == []
    assert log.events == []
    assert ns["X"] == 1
    # and it works again afterwards
    liveimport.workspace(modules.root)
    imp("from st_a import X")
    modules.write("st_a", "X = 3\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["st_a"]


def test_a3_reset_keeps_auto_sync_settings_valid(modules):
    liveimport.auto_sync(enabled=False, grace=2.5, report=False, on_error="warn")
    liveimport.reset()
    # still accepted and still validated after reset
    liveimport.auto_sync(grace=0)
    with pytest.raises(ValueError):
        liveimport.auto_sync(grace=-1)


def test_a3_duplicate_statements_in_one_call_keep_the_last_position(modules, ns, imp):
    modules.write("st_a", "X = 1\n")
    modules.write("st_b", "Y = 1\n")
    imp("import st_a\nimport st_b\nimport st_a\n")
    assert liveimport.registered(ns) == ["import st_b", "import st_a"]


def test_a3_namespace_without_name_is_reported(modules, imp):
    modules.write("st_a", "X = 1\n")
    anonymous: dict = {}
    imp("import st_a", anonymous)
    st = liveimport.status()
    assert len(st.namespaces) == 1
    assert isinstance(st.namespaces[0].name, str)
    assert st.namespaces[0].statements == ("import st_a",)
    assert "import st_a" in str(st)


def test_a3_namespace_package_has_no_file(modules, ns, imp):
    modules.write("st_nspkg.mod", "V = 1\n")
    imp("from st_nspkg import mod")
    by = modstatus()
    assert by["st_nspkg.mod"].file is not None
    if "st_nspkg" in by:
        assert by["st_nspkg"].file is None
        assert by["st_nspkg"].state == "current"
