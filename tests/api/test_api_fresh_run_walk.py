"""C4 (r2) "how it reloads: like a fresh import", on shapes the property test
(tests/property/test_fresh_import_oracle.py) found: the walk re-executes each
reloading module at the moment a fresh run would import it, events come in the
order re-executions finish with C6 (r2) ``after``, and an import of a
submodule whose package is still running is an ordinary edge.

Each case: the modules (``pkg`` is a package), the registered statement, the
fresh run's finish order, the edits, the events (module, reason, ``after``)
and a check of the result; every reloaded module executes exactly once, in
event order.
"""

from __future__ import annotations

import sys

import pytest

from helpers import names, triples

MOD, DEP = "modified", "dependent"

WALKS = [
    # pkg imports bmod then amod; bmod imports pkg.util.
    pytest.param(
        {
            "pkg": "import bmod\nimport amod\n",
            "pkg.util": "K = 1\n",
            "bmod": "import pkg.util\nW = pkg.util.K\n",
            "amod": "A = 1\n",
        },
        "import pkg",
        ["pkg.util", "bmod", "amod", "pkg"],
        {"pkg.util": "K = 2\n", "amod": "A = 2\n"},
        [
            ("pkg.util", MOD, set()),
            ("bmod", DEP, {"pkg.util"}),
            ("amod", MOD, set()),
            ("pkg", DEP, {"bmod", "amod"}),
        ],
        "m['bmod'].W == 2",
        id="C4-reexecution-follows-the-fresh-runs-import-order",
    ),
    # pkg's __init__ runs first and imports bmod, which imports pkg.core: Python
    # hands bmod a fully initialised pkg.core (its import had not started), so
    # bmod -> pkg.core is an ordinary edge, and pkg takes fb from bmod.
    pytest.param(
        {
            "pkg": "from bmod import fb\n",
            "pkg.core": "K = 1\n",
            "bmod": "import pkg.core as al\nimport pkg\nW = al.K\ndef fb():\n    return W\n",
        },
        "import pkg.core as c",
        ["pkg.core", "bmod", "pkg"],
        {"pkg.core": "K = 2\n"},
        [("pkg.core", MOD, set()), ("bmod", DEP, {"pkg.core"}), ("pkg", DEP, {"bmod"})],
        "m['pkg'].fb() == 2 and ns['c'] is m['pkg.core']",
        id="C4-submodule-imported-while-its-package-runs-is-not-a-cycle-edge",
    ),
    # bmod's ``from pkg.util import V`` imports pkg first, which takes K from
    # pkg.core; re-executing bmod imports pkg again, which re-executes pkg.core.
    # pkg's after is core only: bmod, which pkg holds as a module through a
    # cycle edge, finishes later.
    pytest.param(
        {
            "pkg": "import bmod\nfrom .core import K\n",
            "pkg.core": "K = 1\n",
            "pkg.util": "V = 1\n",
            "bmod": "from pkg.util import V\nB = 1\n",
        },
        "import bmod",
        ["pkg.core", "pkg", "pkg.util", "bmod"],
        {"pkg.core": "K = 2\n", "bmod": "from pkg.util import V\nB = 2\n"},
        [("pkg.core", MOD, set()), ("pkg", DEP, {"pkg.core"}), ("bmod", MOD, set())],
        "m['pkg'].K == 2",
        id="C4-a-parent-package-reexecutes-when-the-fresh-run-imports-it",
    ),
    # Python imports pkg first, whose ``import pkg.util`` runs util to the end
    # (the outer import had not started it): pkg -> pkg.util is an ordinary
    # edge. util is a dependent (``K = f()`` changes), then pkg.
    pytest.param(
        {
            "pkg": "import pkg.util\nW = pkg.util.K\n",
            "pkg.util": "from amod import f\nK = f()\n",
            "amod": "import pkg.core\ndef f():\n    return pkg.core.C\n",
            "pkg.core": "C = 1\n",
        },
        "import pkg.util",
        ["pkg.core", "amod", "pkg.util", "pkg"],
        {"pkg.core": "C = 2\n"},
        [
            ("pkg.core", MOD, set()),
            ("amod", DEP, {"pkg.core"}),
            ("pkg.util", DEP, {"amod"}),
            ("pkg", DEP, {"pkg.util"}),
        ],
        "m['pkg'].W == 2",
        id="C4-package-importing-its-registered-submodule-reloads-with-it",
    ),
    # pkg runs first and takes T from amod, which takes U from pkg.util; util's
    # ``import amod as al`` meets a partially initialised amod (the cycle edge,
    # module only), so editing amod does not reload util.
    pytest.param(
        {
            "pkg": "from amod import T\n",
            "pkg.util": "import amod as al\nclass U:\n    pass\n",
            "amod": "from pkg.util import U\nclass T:\n    pass\n",
        },
        "import pkg.util",
        ["pkg.util", "amod", "pkg"],
        {"amod": "from pkg.util import U\nclass T:\n    V = 2\n"},
        [("amod", MOD, set()), ("pkg", DEP, {"amod"})],
        "m['pkg'].T is m['amod'].T",
        id="C4-module-only-cycle-edge-from-a-registered-submodule-does-not-reload-it",
    ),
]


@pytest.mark.parametrize(("sources", "statement", "fresh", "edits", "events", "check"), WALKS)
def test_c4_sync_reexecutes_like_a_fresh_run(
    scenario, ns, sources, statement, fresh, edits, events, check
):
    """C4 (r2), C6 (r2): the fresh run's finish order, then after the edits
    the events (module, reason, ``after``) in the order re-executions finish,
    each reloaded module executed once, and the result a fresh import gives."""
    assert scenario.start(sources, statement, packages={"pkg"}) == fresh
    got = scenario.sync(edits, packages={"pkg"})
    assert triples(got) == events
    assert scenario.log.events == names(got)
    assert eval(check, {"m": sys.modules, "ns": ns}), check
