"""``_engine``: registration evidence, clearing, all-or-nothing registration and module states (C1, A3)."""

from __future__ import annotations

import pytest

import liveimport
from helpers import states
from liveimport import _api


def test_c1_clearing_with_nothing_new_forgets_the_namespace(modules, imp):
    modules.write("clr_mod", "X = 1\n")
    ns = {"__name__": "clearme"}
    imp("from clr_mod import X", namespace=ns)
    assert [n.name for n in liveimport.status().namespaces] == ["clearme"]
    liveimport.register(ns, "", clear=True)
    assert liveimport.registered(ns) == []
    assert liveimport.status().namespaces == ()
    assert "clr_mod" not in states()


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


def test_c1_star_import_evidence_is_that_the_module_is_loaded():
    """C1 (r2): a namespace lacking the module's public names still registers
    ``from m import *``; which names it binds depends on the module now."""
    ns: dict[str, object] = {}
    liveimport.register(ns, "from os import *")
    assert liveimport.registered(ns) == ["from os import *"]
    with pytest.raises(ValueError, match=r"^Module no_such_star_xyz not loaded: run `from"):
        liveimport.register(ns, "from no_such_star_xyz import *")


def test_c1_import_of_a_submodule_that_was_never_imported_is_refused(modules):
    """C1: ``import os.nothere`` needs ``os.nothere`` itself loaded; ``os`` bound
    in the namespace is no evidence for it."""
    import os as os_module

    ns = {"os": os_module}
    with pytest.raises(ValueError, match=r"^Module os\.nothere not loaded"):
        liveimport.register(ns, "import os.nothere")
    assert liveimport.registered(ns) == []


def test_a3_a_dependent_that_failed_is_current_once_it_reloads(modules, imp):
    """A3: a dependent that failed because of its dependency is ``current``
    again once it reloads with the fixed dependency."""
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
