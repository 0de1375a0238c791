"""A3 rendering: the HTML table and the dependency picture, and ``%liveimport``'s bundle."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import liveimport
from liveimport._status import ModuleStatus, Status
from liveimport._status_html import depths, render_html, render_svg


def test_a3_html_has_a_table_and_an_svg_graph(shell, modules):
    modules.write("a3low", "X = 1\n")
    modules.write("a3high", "from a3low import X\n")
    shell.run("%%liveimport\nimport a3high")
    page = liveimport.status()._repr_html_()
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


def test_a3_same_layer_arrow_in_a_cycle_runs_along_the_top_edges():
    # c1 -> c2 -> c3 -> c1: depths are capped below the module count, so two of
    # them share a layer and the arrow between them must not cut through boxes.
    mods = (
        ModuleStatus("c1", "/w/c1.py", True, ("c3",), ("c2",), "current"),
        ModuleStatus("c2", "/w/c2.py", False, ("c1",), ("c3",), "current"),
        ModuleStatus("c3", "/w/c3.py", False, ("c2",), ("c1",), "current"),
    )
    depth = depths(mods)
    assert depth == depths(tuple(reversed(mods)))  # deterministic
    assert set(depth.values()) <= {0, 1, 2} and depth["c1"] == depth["c3"]
    root = ET.fromstring(render_svg(Status(mods, ("/w",), ())))
    ns = "{http://www.w3.org/2000/svg}"
    boxes = {
        g.find(ns + "text").text: float(g.find(ns + "rect").get("y")) for g in root.iter(ns + "g")
    }
    same_row = [ln for ln in root.iter(ns + "line") if ln.get("y1") == ln.get("y2")]
    assert len(same_row) == 1 and len(list(root.iter(ns + "line"))) == 3
    assert float(same_row[0].get("y1")) == boxes["c1"] == boxes["c3"]


def test_a3_module_tracked_for_no_listed_reason_shows_a_dash():
    lone = ModuleStatus("lone", "/w/lone.py", False, (), (), "current")
    status = Status((lone,), ("/w",), ())
    assert "<td>-</td><td>-</td>" in render_html(status)  # tracked because, depends on
    assert "<title>lone: current; -</title>" in render_svg(status)


def test_a3_svg_of_an_empty_status_is_empty():
    assert render_svg(Status((), ("/w",), ())) == ""


def test_a2_stale_variables_are_listed_in_the_html_status(shell, modules):
    modules.write("a2cls", "class Model:\n    pass\n")
    shell.run("%%liveimport\nimport a2cls")
    shell.run("net = a2cls.Model()\nhp = a2cls.Model()")
    modules.write("a2cls", "class Model:\n    pass\n")
    shell.run("pass")
    page = liveimport.status()._repr_html_()
    assert "Still using classes from before a reload: <code>net</code>, <code>hp</code>" in page


def test_a3_arrows_only_between_distinct_modules_of_the_snapshot():
    mods = (
        ModuleStatus("app", "/w/app.py", True, (), ("app", "gone", "lib"), "current"),
        ModuleStatus("lib", "/w/lib.py", False, ("app",), (), "current"),
    )
    assert depths(mods) == {"app": 1, "lib": 0}
    root = ET.fromstring(render_svg(Status(mods, ("/w",), ())))
    assert len(list(root.iter("{http://www.w3.org/2000/svg}line"))) == 1  # app -> lib only
