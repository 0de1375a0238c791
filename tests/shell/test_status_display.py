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
