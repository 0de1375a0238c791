"""C2: sync() — change detection, dependency order, observers, missing files,
and the seeds' examples."""

from __future__ import annotations

import os
import sys

import liveimport
from helpers import names, triples
from liveimport import ReloadEvent


def test_c2_nothing_changed_returns_empty_list(modules, ns, imp, log):
    modules.write("sa", "X = 1\n" + log.line)
    imp("import sa")
    log.clear()
    assert liveimport.sync() == []
    assert liveimport.sync() == []
    assert log.events == []


def test_c2_content_change_reloads_and_returns_event(modules, ns, imp):
    modules.write("sa", "X = 1\n")
    imp("import sa\nfrom sa import X")
    modules.write("sa", "X = 22\n")
    events = liveimport.sync()
    assert names(events) == ["sa"]
    assert events[0].reason == "modified"
    assert ns["X"] == 22
    assert sys.modules["sa"].X == 22
    assert liveimport.sync() == []


def test_c2_mtime_change_alone_reloads(modules, ns, imp, log):
    modules.write("sa", "X = 1\n" + log.line)
    imp("import sa")
    log.clear()
    modules.touch("sa")
    assert names(liveimport.sync()) == ["sa"]
    assert log.events == ["sa"]


def test_c2_size_change_with_same_mtime_reloads(modules, ns, imp):
    path = modules.write("sa", "X = 1\n")
    mtime = os.stat(path).st_mtime_ns
    imp("from sa import X")
    modules.write("sa", "X = 1000\n", mtime_ns=mtime)
    assert os.stat(path).st_mtime_ns == mtime
    assert names(liveimport.sync()) == ["sa"]
    assert ns["X"] == 1000


def test_c2_mtime_going_backwards_reloads_a_reverted_file(modules, ns, imp):
    path = modules.write("sa", "X = 1\n")
    original = os.stat(path).st_mtime_ns
    imp("from sa import X")
    modules.write("sa", "X = 2\n")
    assert names(liveimport.sync()) == ["sa"]
    assert ns["X"] == 2
    # revert: same size, old mtime
    modules.write("sa", "X = 1\n", mtime_ns=original)
    assert names(liveimport.sync()) == ["sa"]
    assert ns["X"] == 1


def test_c2_dependents_reload_even_if_unchanged(scenario, ns):
    scenario.start({"sa": "X = 1\n", "sb": "import sa\nY = sa.X * 10\n"}, "from sb import Y")
    events = scenario.sync({"sa": "X = 2\n"})
    assert triples(events) == [("sa", "modified", set()), ("sb", "dependent", {"sa"})]
    assert events[1].after == ["sa"]
    assert scenario.log.events == ["sa", "sb"]
    assert ns["Y"] == 20


def test_c2_each_module_once_in_dependency_order_diamond(modules, ns, imp, log):
    modules.write("da", "V = 1\n" + log.line)
    modules.write("db", "import da\nV = da.V + 1\n" + log.line)
    modules.write("dc", "import da\nV = da.V + 2\n" + log.line)
    modules.write("dd", "import db, dc\nV = db.V + dc.V\n" + log.line)
    imp("from dd import V")
    assert ns["V"] == 5
    log.clear()
    # change the bottom, one middle and the top of the diamond at once
    modules.write("dd", "import db, dc\nV = db.V * dc.V\n" + log.line)
    modules.write("db", "import da\nV = da.V + 10\n" + log.line)
    modules.write("da", "V = 2\n" + log.line)
    seen: list[ReloadEvent] = []
    events = liveimport.sync(observer=seen.append)
    order = names(events)
    assert sorted(order) == ["da", "db", "dc", "dd"]
    assert order[0] == "da" and order[-1] == "dd"
    assert log.events == order
    assert seen == events
    reasons = {e.module: e.reason for e in events}
    assert reasons == {"da": "modified", "db": "modified", "dc": "dependent", "dd": "modified"}
    assert ns["V"] == (2 + 10) * (2 + 2)
    assert liveimport.sync() == []


def test_c2_observer_called_once_per_reload_in_order(modules, ns, imp):
    modules.write("sa", "X = 1\n")
    modules.write("sb", "import sa\n")
    modules.write("sc", "import sb\n")
    imp("import sc")
    calls: list[ReloadEvent] = []
    modules.touch("sa")
    events = liveimport.sync(observer=calls.append)
    assert names(calls) == ["sa", "sb", "sc"] == names(events)
    assert calls == events
    assert all(isinstance(e, ReloadEvent) for e in events)
    assert liveimport.sync(observer=calls.append) == []
    assert len(calls) == 3


def test_c2_event_fields_from_a_real_sync(modules, ns, imp):
    path = modules.write("sa", "X = 1\n")
    modules.write("sb", "import sa\n")
    imp("import sb")
    modules.write("sa", "X = 2\n")
    events = liveimport.sync()
    assert [(e.module, e.reason, e.after) for e in events] == [
        ("sa", "modified", []),
        ("sb", "dependent", ["sa"]),
    ]
    assert abs(events[0].mtime - os.stat(path).st_mtime_ns / 1e9) < 1e-3
    assert isinstance(events[0].mtime, float)


SYMCODE = """
class Symbol:
    def __init__(self, name, **assumptions):
        self.name = name
        self.assumptions = assumptions

x = Symbol("x"{assumptions})
gamma = "symcode gamma{gamma}"
"""


def test_c2_seed_symcode_printmath_simulator(modules, ns, imp):
    modules.write("symcode", SYMCODE.format(assumptions=", positive=True", gamma=""))
    modules.write(
        "printmath",
        """
        def print_math(e):
            return f"math {e}"

        def print_equations(*es):
            return "eqs"
        """,
    )
    modules.write(
        "simulator",
        """
        from symcode import x

        def simulate():
            return x
        """,
    )
    ns["gamma"] = "notebook gamma"
    imp(
        """
        import symcode
        from printmath import print_math, print_equations as print_eq
        from simulator import *
        """
    )
    old_x = ns["symcode"].x
    old_print_math = ns["print_math"]
    modules.write("symcode", SYMCODE.format(assumptions="", gamma=" 2"))
    events = liveimport.sync()
    assert names(events) == ["symcode", "simulator"]
    assert str(events[1]) == "Reloaded simulator because symcode reloaded"
    assert str(events[0]).startswith("Reloaded symcode modified ")
    new_x = sys.modules["symcode"].x
    assert new_x is not old_x
    assert new_x.assumptions == {}
    assert sys.modules["simulator"].x is new_x
    assert ns["simulate"]() is new_x  # the notebook's name is the new function
    assert ns["x"] is new_x  # from simulator import * binds simulator's x
    assert ns["print_math"] is old_print_math  # printmath did not reload
    assert ns["gamma"] == "notebook gamma"


def test_c2_seed_modifying_both_reloads_dependency_first(scenario, ns):
    scenario.start(
        {"symcode": "x = 1\n", "simulator": "from symcode import x\n"},
        "import symcode\nfrom simulator import *",
    )
    edits = {"simulator": "from symcode import x\ny = x + 1\n", "symcode": "x = 10\n"}
    assert names(scenario.sync(edits)) == ["symcode", "simulator"]
    assert scenario.log.events == ["symcode", "simulator"]
    assert ns["y"] == 11 and ns["x"] == 10


def test_c2_seed_timeutils_transitive_tracking(modules, ns, imp, log):
    modules.write("units", "SECOND = 1\n" + log.line)
    modules.write("timeutils", "import units\nMINUTE = 60 * units.SECOND\n" + log.line)
    modules.write(
        "simulator",
        "from timeutils import MINUTE\ndef run():\n    return MINUTE\n" + log.line,
    )
    imp("from simulator import run")
    assert ns["run"]() == 60
    log.clear()
    modules.write("timeutils", "import units\nMINUTE = 61 * units.SECOND\n" + log.line)
    events = liveimport.sync()
    assert names(events) == ["timeutils", "simulator"]
    assert ns["run"]() == 61
    modules.write("units", "SECOND = 2\n" + log.line)
    assert names(liveimport.sync()) == ["units", "timeutils", "simulator"]
    assert ns["run"]() == 122
    assert log.events == ["timeutils", "simulator", "units", "timeutils", "simulator"]


def test_c2_changes_between_syncs_are_each_picked_up(modules, ns, imp):
    modules.write("sa", "X = 0\n")
    imp("from sa import X")
    for value in range(1, 6):
        modules.write("sa", f"X = {value}\n")
        assert names(liveimport.sync()) == ["sa"]
        assert ns["X"] == value
    assert liveimport.sync() == []


def test_c2_one_nanosecond_mtime_change_counts(modules, ns, imp, log):
    path = modules.write("sa", "X = 1\n" + log.line)
    imp("import sa")
    log.clear()
    mtime = os.stat(path).st_mtime_ns
    modules.set_mtime(path, mtime + 1)  # invisible to a float st_mtime
    assert names(liveimport.sync()) == ["sa"]
    assert log.events == ["sa"]


def test_c2_touch_only_revert_to_older_mtime_reloads(modules, ns, imp, log):
    path = modules.write("sa", "X = 1\n" + log.line)
    imp("import sa")
    mtime = os.stat(path).st_mtime_ns
    log.clear()
    modules.set_mtime(path, mtime - 10**9)
    assert names(liveimport.sync()) == ["sa"]
    modules.set_mtime(path, mtime)
    assert names(liveimport.sync()) == ["sa"]
    assert log.events == ["sa", "sa"]


def test_c2_file_returning_with_syntax_error_fails_analysis(modules, ns, imp):
    path = modules.write("sa", "X = 1\n")
    imp("from sa import X")
    path.unlink()
    assert liveimport.sync() == []
    modules.write("sa", "X = (\n")
    try:
        liveimport.sync()
    except liveimport.ModuleError as error:
        assert error.module == "sa" and error.phase == "analysis"
    else:
        raise AssertionError("a returning file with a syntax error must fail the sync")
    assert ns["X"] == 1


def test_c2_module_registered_in_several_namespaces_reloads_once(modules, imp, log):
    modules.write("sa", "X = 1\n" + log.line)
    spaces = [{"__name__": f"n{i}"} for i in range(3)]
    for space in spaces:
        imp("from sa import X\nimport sa", space)
    log.clear()
    modules.write("sa", "X = 2\n" + log.line)
    assert names(liveimport.sync()) == ["sa"]
    assert log.events == ["sa"]
    assert [space["X"] for space in spaces] == [2, 2, 2]


def test_c2_module_dict_namespace(modules, imp):
    # a real module's globals can be the namespace, as in a script
    modules.write("sa", "X = 1\n")
    modules.write("host", "from sa import X\n")
    host = sys.modules.get("host") or __import__("host")
    liveimport.register(vars(host), "from sa import X")
    modules.write("sa", "X = 5\n")
    assert names(liveimport.sync()) == ["sa"]
    assert host.X == 5
    (nstatus,) = liveimport.status().namespaces
    assert nstatus.name == "host"


def test_c2_modified_event_lists_reloaded_dependencies_in_after(modules, ns, imp):
    modules.write("sa", "X = 1\n")
    path_b = modules.write("sb", "import sa\n")
    imp("import sb")
    modules.write("sa", "X = 2\n")
    path_b = modules.write("sb", "import sa\nY = 1\n")
    events = liveimport.sync()
    assert [(e.module, e.reason, e.after) for e in events] == [
        ("sa", "modified", []),
        ("sb", "modified", ["sa"]),
    ]
    assert str(events[1]).startswith("Reloaded sb modified ")
    assert abs(events[1].mtime - os.stat(path_b).st_mtime_ns / 1e9) < 1e-3


def test_c2_dependent_event_mtime_is_its_own_file_time(modules, ns, imp):
    modules.write("sa", "X = 1\n")
    path_b = modules.write("sb", "import sa\n")
    imp("import sb")
    modules.write("sa", "X = 2\n")
    events = liveimport.sync()
    assert events[1].module == "sb"
    assert abs(events[1].mtime - os.stat(path_b).st_mtime_ns / 1e9) < 1e-3
