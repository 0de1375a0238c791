"""A3 rendering: the HTML table and the dependency picture, and ``%liveimport``'s bundle."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import liveimport
from liveimport._status import ModuleStatus, Status
from liveimport._status_html import depths, render_html, render_svg


def html_of(shell, value: object) -> str:
    """The ``text/html`` form the shell's display formatter gives ``value``."""
    data, _ = shell.ip.display_formatter.format(value)
    return data.get("text/html", "")


def test_a3_html_has_a_table_and_an_svg_graph(shell, modules):
    modules.write("a3low", "X = 1\n")
    modules.write("a3high", "from a3low import X\n")
    shell.run("%%liveimport\nimport a3high")
    page = html_of(shell, liveimport.status())
    assert "<table" in page and "a3high" in page and "imported by a3high" in page
    svg = re.search(r"<svg.*</svg>", page, re.DOTALL)
    assert svg is not None
    root = ET.fromstring(svg.group(0))  # well-formed, renders without scripts
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in root.iter(ns + "text")]
    assert sorted(labels) == ["a3high", "a3low"]
    assert len(list(root.iter(ns + "line"))) == 1  # a3high -> a3low


def test_a3_graph_layers_dependencies_above_dependents():
    mods = (
        ModuleStatus("app", "/w/app.py", True, (), ("mid",), "modified"),
        ModuleStatus("mid", "/w/mid.py", False, ("app",), ("low",), "failed"),
        ModuleStatus("low", "/w/low.py", False, ("mid",), (), "current"),
        ModuleStatus("cyc1", "/w/c1.py", True, ("cyc2",), ("cyc2",), "missing"),
        ModuleStatus("cyc2", "/w/c2.py", False, ("cyc1",), ("cyc1",), "current"),
    )
    assert depths(mods)["low"] == 0 and depths(mods)["mid"] == 1 and depths(mods)["app"] == 2
    svg = render_svg(Status(mods, ("/w",), ()))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    y = {t.text: float(t.get("y")) for t in root.iter(ns + "text")}
    assert y["low"] < y["mid"] < y["app"]
    assert 'class="li-node li-failed"' in svg


def test_a3_html_escapes_names_and_handles_empty_status():
    empty = Status((), ("/w<x>",), ())
    page = render_html(empty)
    assert "No tracked modules" in page and "/w&lt;x&gt;" in page


def test_n7_magic_display_carries_html_with_the_graph(shell, modules):
    modules.write("n7m", "X = 1\n")
    shell.run("%%liveimport\nimport n7m")
    published = []
    original = shell.ip.display_pub.publish

    def spy(data, *args, **kwargs):
        published.append(data)
        return original(data, *args, **kwargs)

    shell.ip.display_pub.publish = spy
    try:
        assert shell.run("%liveimport").success
    finally:
        shell.ip.display_pub.publish = original
    assert len(published) == 1
    assert "<svg" in published[0]["text/html"] and "n7m" in published[0]["text/plain"]


def test_a3_a_cycle_shares_a_layer_and_its_arrows_arc_around_the_boxes():
    # c1 -> c2 -> c3 -> c1, and c3 also imports base: the cycle sits one layer
    # below base, all three members together, joined by arcs, not straight lines
    # through the boxes.
    mods = (
        ModuleStatus("base", "/w/base.py", False, ("c3",), (), "current"),
        ModuleStatus("c1", "/w/c1.py", True, ("c3",), ("c2",), "current"),
        ModuleStatus("c2", "/w/c2.py", False, ("c1",), ("c3",), "current"),
        ModuleStatus("c3", "/w/c3.py", False, ("c2",), ("base", "c1"), "current"),
    )
    depth = depths(mods)
    assert depth == depths(tuple(reversed(mods)))  # deterministic
    assert depth == {"base": 0, "c1": 1, "c2": 1, "c3": 1}
    root = ET.fromstring(render_svg(Status(mods, ("/w",), ())))
    ns = "{http://www.w3.org/2000/svg}"
    boxes = {
        g.find(ns + "text").text: float(g.find(ns + "rect").get("y")) for g in root.iter(ns + "g")
    }
    arcs = [p for p in root.iter(ns + "path") if p.get("class") == "li-cycle"]
    lines = list(root.iter(ns + "line"))
    assert len(arcs) == 3 and len(lines) == 1  # c3 -> base is the only straight edge
    top, bottom = boxes["c1"], boxes["c1"] + 26
    height = float(root.get("height"))
    for arc in arcs:
        _, x1, y1, _, _cx, cy, x2, y2 = arc.get("d").split()
        assert float(y1) in (top, bottom) and float(y2) == float(y1)
        assert 0 < float(cy) < height  # the bulge stays inside the picture
        assert (float(cy) < top) == (float(x2) > float(x1))  # right: above, left: below


def test_a3_module_tracked_for_no_listed_reason_shows_a_dash():
    lone = ModuleStatus("lone", "/w/lone.py", False, (), (), "current")
    status = Status((lone,), ("/w",), ())
    assert "<td>-</td><td>-</td>" in render_html(status)  # tracked because, depends on
    assert "<title>lone: current; -</title>" in render_svg(status)


def test_a3_svg_of_an_empty_status_is_empty():
    assert render_svg(Status((), ("/w",), ())) == ""


def test_a3_status_shows_as_html_only_while_liveimport_is_loaded(shell, modules):
    """A3/N7: the shell displays ``status()`` as HTML once LiveImport is loaded;
    ``%unload_ext liveimport`` takes that away with the rest of the integration."""
    modules.write("a3only", "X = 1\n")
    shell.run("%%liveimport\nimport a3only")
    assert "<table" in html_of(shell, liveimport.status())
    shell.run("%unload_ext liveimport")
    assert html_of(shell, liveimport.status()) == ""
    assert "a3only" in shell.ip.display_formatter.format(liveimport.status())[0]["text/plain"]


def test_a2_stale_variables_are_listed_in_the_html_status(shell, modules):
    modules.write("a2cls", "class Model:\n    pass\n")
    shell.run("%%liveimport\nimport a2cls")
    shell.run("net = a2cls.Model()\nhp = a2cls.Model()")
    modules.write("a2cls", "class Model:\n    pass\n")
    shell.run("pass")
    page = html_of(shell, liveimport.status())
    assert "Still using classes from before a reload: <code>net</code>, <code>hp</code>" in page


def test_a3_arrows_only_between_distinct_modules_of_the_snapshot():
    mods = (
        ModuleStatus("app", "/w/app.py", True, (), ("app", "gone", "lib"), "current"),
        ModuleStatus("lib", "/w/lib.py", False, ("app",), (), "current"),
    )
    assert depths(mods) == {"app": 1, "lib": 0}
    root = ET.fromstring(render_svg(Status(mods, ("/w",), ())))
    assert len(list(root.iter("{http://www.w3.org/2000/svg}line"))) == 1  # app -> lib only
