"""C1: register() — parsing, evidence checks, relative imports, clear, idempotence."""

from __future__ import annotations

import math
import sys

import pytest

import liveimport
from helpers import tracked


def test_c1_source_is_dedented_and_split_into_single_bindings(modules, ns, imp):
    modules.write("ra", "X = 1\n")
    modules.write("rb", "Y = 2\nZ = 3\n")
    imp(
        """
        import ra
        from rb import Y, Z as zz
        """
    )
    assert liveimport.registered(ns) == ["import ra", "from rb import Y", "from rb import Z as zz"]
    assert {"ra", "rb"} <= tracked()


def test_c1_parenthesised_and_multi_module_statements(modules, ns, imp):
    modules.write("ra", "X = 1\n")
    modules.write("rb", "Y = 2\nZ = 3\n")
    imp("import ra, rb as b2\nfrom rb import (\n    Y,\n    Z as zz,\n)\n")
    assert liveimport.registered(ns) == [
        "import ra",
        "import rb as b2",
        "from rb import Y",
        "from rb import Z as zz",
    ]


def test_c1_top_level_non_import_statement_raises_value_error_naming_it(modules, ns):
    modules.write("ra", "X = 1\n")
    exec("import ra", ns)
    ns["flag"] = True
    before = liveimport.status()
    with pytest.raises(ValueError, match="if flag"):
        liveimport.register(ns, "import ra\nif flag:\n    import ra\n")
    assert liveimport.registered(ns) == []
    assert liveimport.status() == before


@pytest.mark.parametrize(
    "other",
    [
        "x = 1",
        "print('hello')",
        "def f():\n    import ra",
        "class C:\n    import ra",
        "try:\n    import ra\nexcept ImportError:\n    pass",
    ],
)
def test_c1_non_import_statement_rejected_by_default(modules, ns, other):
    modules.write("ra", "X = 1\n")
    exec("import ra", ns)
    with pytest.raises(ValueError):
        liveimport.register(ns, f"import ra\n{other}\n")
    assert liveimport.registered(ns) == []


def test_c1_nested_imports_ignored_with_allow_other_statements(modules, ns):
    modules.write("ra", "X = 1\n")
    modules.write("rb", "Y = 1\n")
    modules.write("rc", "Z = 1\n")
    exec("import ra", ns)
    source = """
        flag = True
        if flag:
            import rb
        try:
            import rc
        except ImportError:
            pass
        def f():
            from rb import Y
        class K:
            import rc
        with open(__file__) as fh:
            import rb
        import ra
        """
    liveimport.register(ns, source, allow_other_statements=True)
    assert liveimport.registered(ns) == ["import ra"]
    assert "rb" not in tracked()
    assert "rc" not in tracked()
    assert "ra" in tracked()
    # register never executes anything
    assert "flag" not in ns and "f" not in ns and "K" not in ns


def test_c1_register_executes_nothing(modules, ns):
    modules.write("ra", "X = 1\n")
    exec("import ra", ns)
    ns["X"] = "mine"
    before = dict(ns)
    modules.write("rb", "raise RuntimeError('must not run')\n")
    liveimport.register(ns, "import ra")
    assert ns == before
    assert "rb" not in sys.modules


def test_c1_relative_import_with_package(modules):
    modules.write("rp", "", package=True)
    modules.write("rp.sub", "F = 1\n")
    nsp = {"__name__": "rp.nb", "__package__": "rp"}
    exec("from .sub import F", nsp)
    liveimport.register(nsp, "from .sub import F", package="rp")
    assert "rp.sub" in tracked()
    modules.write("rp.sub", "F = 2\n")
    assert [e.module for e in liveimport.sync()] == ["rp.sub"]
    assert nsp["F"] == 2


def test_c1_clear_discards_only_this_namespace(modules, imp):
    modules.write("ra", "X = 1\n")
    modules.write("rb", "Y = 1\n")
    ns1 = {"__name__": "one"}
    ns2 = {"__name__": "two"}
    imp("import ra", ns1)
    imp("import ra", ns2)
    imp("import rb", ns1, clear=True)
    assert liveimport.registered(ns1) == ["import rb"]
    assert liveimport.registered(ns2) == ["import ra"]
    # ra is still registered (by ns2), so it still reloads and rebinds there
    ns1["ra"] = "left alone"
    ns2["ra"] = "rebind me"
    modules.write("ra", "X = 2\n")
    assert [e.module for e in liveimport.sync()] == ["ra"]
    assert ns2["ra"] is sys.modules["ra"]
    assert ns1["ra"] == "left alone"


def test_c1_clear_stops_tracking_modules_no_longer_registered(modules, ns, imp):
    modules.write("ra", "X = 1\n")
    modules.write("rb", "Y = 1\n")
    imp("import ra")
    imp("import rb", clear=True)
    modules.write("ra", "X = 2\n")
    assert liveimport.sync() == []
    assert "ra" not in tracked()


def test_c1_registering_again_is_idempotent(modules, ns, imp, log):
    modules.write("ra", "X = 1\n" + log.line)
    imp("import ra\nfrom ra import X")
    first = liveimport.registered(ns)
    status = liveimport.status()
    liveimport.register(ns, "import ra\nfrom ra import X")
    liveimport.register(ns, "import ra\nfrom ra import X")
    assert liveimport.registered(ns) == first
    assert liveimport.status() == status
    log.clear()
    modules.write("ra", "X = 2\n" + log.line)
    assert [e.module for e in liveimport.sync()] == ["ra"]
    assert log.events == ["ra"]
    assert ns["X"] == 2


def test_c1_builtin_and_extension_modules_register_and_never_reload(modules, ns, imp):
    imp("import sys\nimport math\nfrom math import pi")
    assert liveimport.registered(ns) == ["import sys", "import math", "from math import pi"]
    assert {"sys", "math"} <= tracked()
    ns["pi"] = "mine"
    assert liveimport.sync() == []
    assert liveimport.sync() == []
    assert ns["pi"] == "mine"
    assert ns["math"] is math
    states = {m.name: m.state for m in liveimport.status().modules}
    assert states["sys"] == "current"
    assert states["math"] == "current"


def test_c1_builtin_registered_alongside_reloading_module(modules, ns, imp):
    modules.write("ra", "import math\nvalue = math.pi\n")
    imp("import sys\nimport ra")
    modules.write("ra", "import math\nvalue = math.e\n")
    assert [e.module for e in liveimport.sync()] == ["ra"]
    assert ns["ra"].value == math.e


def test_c1_registration_order_accumulates_across_calls(modules, ns, imp):
    modules.write("ra", "X = 1\n")
    modules.write("rb", "Y = 1\n")
    imp("import ra")
    imp("import rb")
    imp("from ra import X")
    assert liveimport.registered(ns) == ["import ra", "import rb", "from ra import X"]


def test_c1_star_import_needs_only_the_module_loaded(modules, ns):
    """C1 (r2): ``from m import *`` registers when ``m`` is loaded, even if the
    namespace lacks some of its public names; a sync then binds them all."""
    modules.write("rstar", "A = 1\nB = 2\n")
    exec("import rstar", {})
    ns["A"] = 1  # B was never bound here
    liveimport.register(ns, "from rstar import *")
    assert liveimport.registered(ns) == ["from rstar import *"]
    assert "B" not in ns
    modules.write("rstar", "A = 10\nB = 20\nC = 30\n")
    assert [e.module for e in liveimport.sync()] == ["rstar"]
    assert (ns["A"], ns["B"], ns["C"]) == (10, 20, 30)


def test_c1_from_import_of_a_submodule_not_loaded_imports_nothing(modules, ns):
    """C1: the evidence check never imports, not even a submodule a statement names."""
    modules.write("rsp", "", package=True)
    modules.write("rsp.sub", "raise RuntimeError('must not run')\n")
    exec("import rsp", {})
    ns["sub"] = 1
    with pytest.raises(ValueError) as info:
        liveimport.register(ns, "from rsp import sub")
    assert str(info.value).startswith("No name sub in rsp")
    assert "rsp.sub" not in sys.modules
