"""Re-entrancy (C1, C2, A1): module code that calls LiveImport while it is
being reloaded. Threads are in ``tests/api/test_api_threads.py``."""

from __future__ import annotations

import sys

import pytest

import liveimport
from helpers import snapshot
from liveimport import ModuleError


def test_c2_module_calling_sync_while_reloading(modules, log, ns, imp):
    modules.write("re_s", "X = 1\n")
    imp("from re_s import X")
    modules.write("re_s", "import liveimport\nNESTED = liveimport.sync()\nX = 2\n" + log.line)
    [event] = liveimport.sync()
    assert event.module == "re_s"
    assert sys.modules["re_s"].NESTED == []  # nothing left to do inside
    assert log.events == ["re_s"] and ns["X"] == 2
    assert liveimport.sync() == []


def test_c1_module_registering_while_reloading(modules, log, ns, imp):
    """A module that registers its own imports when it runs (e.g. a notebook
    helper) may be reloaded: the registration is kept, the sync completes."""
    modules.write("re_dep", "Y = 1\n")
    modules.write("re_r", "X = 1\n")
    imp("from re_r import X")
    modules.write(
        "re_r",
        "import liveimport\nfrom re_dep import Y\n"
        "liveimport.register(globals(), 'from re_dep import Y')\nX = 2\n",
    )
    [event] = liveimport.sync()
    assert event.module == "re_r" and ns["X"] == 2
    module_ns = vars(sys.modules["re_r"])
    assert liveimport.registered(module_ns) == ["from re_dep import Y"]
    modules.write("re_dep", "Y = 2\n")
    events = liveimport.sync()
    assert [e.module for e in events] == ["re_dep", "re_r"]
    assert sys.modules["re_r"].Y == 2


def test_a1_module_registering_then_failing_while_reloading(modules, ns, imp):
    modules.write("re_f", "X = 1\n")
    imp("from re_f import X")
    modules.write(
        "re_f",
        "import liveimport\nliveimport.register(globals(), 'import liveimport')\n"
        "raise RuntimeError('after registering')\n",
    )
    before = snapshot(["re_f"], ns)
    with pytest.raises(ModuleError, match="after registering"):
        liveimport.sync()
    # The module and the user's namespace are restored (A1). The registration
    # the module code made is a side effect on a registry, like a file it
    # writes: A1 does not undo it, and it must not break anything.
    module, contents = before.modules["re_f"]
    assert sys.modules["re_f"] is module and vars(module) == contents
    assert all(vars(module)[k] is v for k, v in contents.items())
    namespace, ns_contents = before.namespaces[0]
    assert namespace == ns_contents
    modules.write("re_f", "X = 3\n")
    liveimport.sync()
    assert ns["X"] == 3
