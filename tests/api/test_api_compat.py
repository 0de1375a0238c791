"""§0 (r2): the public types that ``status()`` returns, and
``poll_lazy_imports()`` for Python 3.15's lazy imports (PEP 810)."""

from __future__ import annotations

import sys
import types

import pytest

import liveimport


def test_s0_status_types_are_importable_from_the_package(modules, ns, imp):
    """§0 (r2): users can annotate and ``isinstance`` what ``status()`` returns."""
    from liveimport import ModuleStatus, NamespaceStatus, Status

    modules.write("cp_a", "X = 1\n")
    imp("import cp_a")
    status = liveimport.status()
    assert liveimport.Status is type(status) is Status
    assert isinstance(status.modules[0], ModuleStatus)
    assert isinstance(status.namespaces[0], NamespaceStatus)
    for kind in (Status, ModuleStatus, NamespaceStatus):
        assert kind.__module__ == "liveimport"
        assert getattr(sys.modules[kind.__module__], kind.__name__) is kind


@pytest.mark.skipif(hasattr(types, "LazyImportType"), reason="this Python has lazy imports")
def test_s0_poll_lazy_imports_without_lazy_imports_does_nothing(modules, ns, imp):
    """§0 (r2): on a Python without lazy imports there is never anything to poll."""
    modules.write("cp_a", "X = 1\n")
    imp("import cp_a")
    before = liveimport.status()
    assert liveimport.poll_lazy_imports() is None
    assert liveimport.status() == before
    assert liveimport.registered(ns) == ["import cp_a"]


class _Placeholder:
    """What ``lazy import m`` binds until ``m`` loads (``types.LazyImportType``
    on Python 3.15). CI has no Python 3.15 yet, so the tests below install this
    class under that name to run the same code paths."""


@pytest.fixture
def lazy_python(monkeypatch):
    monkeypatch.setattr(types, "LazyImportType", _Placeholder, raising=False)
    return _Placeholder


def test_s0_lazy_import_registers_and_is_tracked_once_loaded(modules, ns, lazy_python):
    """§0 (r2), C1: a lazy import's placeholder in the namespace is evidence
    that the statement ran; the module is tracked once it has loaded and
    ``poll_lazy_imports()`` has run, and then reloads and rebinds as usual."""
    modules.write("cp_lazy", "X = 1\n")
    modules.write("cp_lazyf", "Y = 1\n")
    ns["cp_lazy"] = lazy_python()
    ns["Y"] = lazy_python()
    liveimport.register(ns, "import cp_lazy\nfrom cp_lazyf import Y")
    assert liveimport.registered(ns) == ["import cp_lazy", "from cp_lazyf import Y"]
    assert liveimport.status().modules == ()
    liveimport.poll_lazy_imports()  # nothing has loaded yet
    assert liveimport.status().modules == ()

    exec("import cp_lazy", ns)  # first use: the module loads
    assert liveimport.poll_lazy_imports() is None
    assert [m.name for m in liveimport.status().modules] == ["cp_lazy"]
    modules.write("cp_lazy", "X = 2\n")
    assert [e.module for e in liveimport.sync()] == ["cp_lazy"]
    assert ns["cp_lazy"].X == 2

    exec("from cp_lazyf import Y", ns)
    liveimport.poll_lazy_imports()
    assert [m.name for m in liveimport.status().modules] == ["cp_lazy", "cp_lazyf"]
    modules.write("cp_lazyf", "Y = 2\n")
    assert [e.module for e in liveimport.sync()] == ["cp_lazyf"]
    assert ns["Y"] == 2


def test_s0_lazy_import_evidence_needs_the_placeholder(modules, ns, lazy_python):
    """C1: on a Python with lazy imports, a module that is not loaded and whose
    name holds no placeholder is still refused, and a star import (never lazy)
    still needs its module loaded."""
    ns["cp_never"] = 1
    with pytest.raises(ValueError, match=r"^Module cp_never not loaded"):
        liveimport.register(ns, "import cp_never")
    with pytest.raises(ValueError, match=r"^Module cp_never not loaded"):
        liveimport.register(ns, "from cp_never import *")
    assert liveimport.registered(ns) == []


def test_s0_reset_forgets_pending_lazy_imports(modules, ns, lazy_python):
    """A3: after reset() a lazy registration that loads later is not tracked."""
    modules.write("cp_lazy", "X = 1\n")
    ns["cp_lazy"] = lazy_python()
    liveimport.register(ns, "import cp_lazy")
    liveimport.reset()
    exec("import cp_lazy", ns)
    liveimport.poll_lazy_imports()
    assert liveimport.status().modules == ()
