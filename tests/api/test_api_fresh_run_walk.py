"""C4 (r2) "how it reloads: like a fresh import", on two shapes the property
test (tests/property/test_fresh_import_oracle.py) found: the walk re-executes
each reloading module at the moment a fresh run would import it, and an
import of a submodule whose package is still running is an ordinary edge.
"""

from __future__ import annotations

import sys

import liveimport
from helpers import names


def test_c4_reexecution_follows_the_fresh_runs_import_order(modules, ns, imp, log):
    """C4 (r2): ``pkg`` imports ``bmod`` then ``amod``; ``bmod`` imports
    ``pkg.util``. A fresh run finishes pkg.util, bmod, amod, pkg; editing
    pkg.util and amod re-executes them in that order (events in the order
    re-executions finish; C6 (r2) ``after``)."""
    modules.write("pkg", "import bmod\nimport amod\n" + log.line, package=True)
    modules.write("pkg.util", "K = 1\n" + log.line)
    modules.write("bmod", "import pkg.util\nW = pkg.util.K\n" + log.line)
    modules.write("amod", "A = 1\n" + log.line)
    imp("import pkg")
    assert log.events == ["pkg.util", "bmod", "amod", "pkg"]
    log.clear()
    modules.write("pkg.util", "K = 2\n" + log.line)
    modules.write("amod", "A = 2\n" + log.line)
    events = liveimport.sync()
    assert [(e.module, e.reason, set(e.after)) for e in events] == [
        ("pkg.util", "modified", set()),
        ("bmod", "dependent", {"pkg.util"}),
        ("amod", "modified", set()),
        ("pkg", "dependent", {"bmod", "amod"}),
    ]
    assert log.events == ["pkg.util", "bmod", "amod", "pkg"]
    assert sys.modules["bmod"].W == 2


def test_c4_submodule_imported_while_its_package_runs_is_not_a_cycle_edge(modules, ns, imp, log):
    """C4 (r2): registered ``import pkg.core as c``; pkg's ``__init__`` runs
    first and imports ``bmod``, which imports ``pkg.core``. Python hands bmod a
    fully initialised pkg.core (its import had not started), so bmod→pkg.core
    is an ordinary edge: editing core reloads core, bmod and pkg (which takes
    ``fb`` from bmod), and ``pkg.fb()`` gives the new value, as a fresh import
    does."""
    modules.write("pkg", "from bmod import fb\n" + log.line, package=True)
    modules.write("pkg.core", "K = 1\n" + log.line)
    modules.write(
        "bmod", "import pkg.core as al\nimport pkg\nW = al.K\ndef fb():\n    return W\n" + log.line
    )
    imp("import pkg.core as c")
    assert log.events == ["pkg.core", "bmod", "pkg"]
    log.clear()
    modules.write("pkg.core", "K = 2\n" + log.line)
    events = liveimport.sync()
    assert names(events) == ["pkg.core", "bmod", "pkg"]
    assert log.events == ["pkg.core", "bmod", "pkg"]
    assert sys.modules["pkg"].fb() == 2
    assert ns["c"] is sys.modules["pkg.core"]


def test_c4_a_parent_package_reexecutes_when_the_fresh_run_imports_it(modules, ns, imp, log):
    """C4 (r2): registered ``import bmod``; bmod's ``from pkg.util import V``
    imports pkg first, and pkg takes ``K`` from pkg.core. Editing pkg.core and
    bmod: re-executing bmod imports pkg again, which re-executes pkg.core, so
    events come core, pkg, bmod (a fresh run's order); pkg's ``after`` is core
    only (bmod, which it holds as a module through a cycle edge, finishes
    later)."""
    modules.write("pkg", "import bmod\nfrom .core import K\n" + log.line, package=True)
    modules.write("pkg.core", "K = 1\n" + log.line)
    modules.write("pkg.util", "V = 1\n" + log.line)
    modules.write("bmod", "from pkg.util import V\nB = 1\n" + log.line)
    imp("import bmod")
    assert log.events == ["pkg.core", "pkg", "pkg.util", "bmod"]
    log.clear()
    modules.write("pkg.core", "K = 2\n" + log.line)
    modules.write("bmod", "from pkg.util import V\nB = 2\n" + log.line)
    events = liveimport.sync()
    assert [(e.module, e.reason, set(e.after)) for e in events] == [
        ("pkg.core", "modified", set()),
        ("pkg", "dependent", {"pkg.core"}),
        ("bmod", "modified", set()),
    ]
    assert log.events == ["pkg.core", "pkg", "bmod"]
    assert sys.modules["pkg"].K == 2


def test_c4_package_importing_its_registered_submodule_reloads_with_it(modules, ns, imp, log):
    """C4 (r2): registered ``import pkg.util``; Python imports pkg first, whose
    ``import pkg.util`` runs util to the end (the outer import had not started
    it), so pkg→pkg.util is an ordinary edge. Editing pkg.core reloads core,
    amod, util (a dependent: ``K = f()`` changes) and then pkg, whose
    ``W = pkg.util.K`` is 2, as a fresh import gives."""
    modules.write("pkg", "import pkg.util\nW = pkg.util.K\n" + log.line, package=True)
    modules.write("pkg.util", "from amod import f\nK = f()\n" + log.line)
    modules.write("amod", "import pkg.core\ndef f():\n    return pkg.core.C\n" + log.line)
    modules.write("pkg.core", "C = 1\n" + log.line)
    imp("import pkg.util")
    assert log.events == ["pkg.core", "amod", "pkg.util", "pkg"]
    log.clear()
    modules.write("pkg.core", "C = 2\n" + log.line)
    events = liveimport.sync()
    assert names(events) == ["pkg.core", "amod", "pkg.util", "pkg"]
    assert sys.modules["pkg"].W == 2


def test_c4_module_only_cycle_edge_from_a_registered_submodule_does_not_reload_it(
    modules, ns, imp, log
):
    """C4 (r2): registered ``import pkg.util``; pkg runs first and takes ``T``
    from amod, which takes ``U`` from pkg.util; util's ``import amod as al``
    meets a partially initialised amod (the cycle edge, module only). Editing
    amod reloads amod and pkg, not util."""
    modules.write("pkg", "from amod import T\n" + log.line, package=True)
    modules.write("pkg.util", "import amod as al\nclass U:\n    pass\n" + log.line)
    modules.write("amod", "from pkg.util import U\nclass T:\n    pass\n" + log.line)
    imp("import pkg.util")
    assert log.events == ["pkg.util", "amod", "pkg"]
    log.clear()
    modules.write("amod", "from pkg.util import U\nclass T:\n    V = 2\n" + log.line)
    events = liveimport.sync()
    assert [(e.module, e.reason, set(e.after)) for e in events] == [
        ("amod", "modified", set()),
        ("pkg", "dependent", {"amod"}),
    ]
    assert sys.modules["pkg"].T is sys.modules["amod"].T
