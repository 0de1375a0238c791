"""``_reexec``: re-executing modules the way a fresh import runs them (C4, C6)."""

from __future__ import annotations

import sys

import liveimport


def test_c4_cycle_members_reexecute_as_a_fresh_import_nests_them(modules, imp):
    """C4 (r2): cyc_c takes ``B`` through the cycle edge cyc_c -> cyc_b and sees
    the partially re-executed cyc_b with its new ``B``; events come in the
    order re-executions finish, naming the module still re-executing (C6)."""
    modules.write("cyc_a", "import cyc_b\nA = 1\n")
    modules.write("cyc_b", "B = 1\nimport cyc_c\n")
    modules.write("cyc_c", "import cyc_a\nfrom cyc_b import B as C\n")
    imp("import cyc_a")
    modules.write("cyc_b", "B = 2\nimport cyc_c\n")
    events = liveimport.sync()
    assert [(e.module, e.reason) for e in events] == [
        ("cyc_c", "dependent"),
        ("cyc_b", "modified"),
        ("cyc_a", "dependent"),
    ]
    assert sys.modules["cyc_c"].C == 2  # re-imported from the new cyc_b
    texts = [str(e) for e in events]
    assert events[0].after == []
    assert texts[0] == "Reloaded cyc_c because cyc_b reloaded"
    assert texts[2] == "Reloaded cyc_a because cyc_b reloaded"
