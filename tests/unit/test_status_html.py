"""N7 / A3 status HTML: what survives an untrusted notebook, aligned columns,
workspace-relative paths, and colours that reach WCAG AA on any theme."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from helpers import svg_geometry
from helpers.contrast import AA, ratio
from liveimport._status import ModuleStatus, Status, display_path, render_text
from liveimport._status_html import (
    PICTURE_BACKGROUND,
    PICTURE_TEXT,
    STATE_COLOURS,
    render_html,
    render_svg,
)


class Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def sample() -> Status:
    mods = (
        ModuleStatus("app", "/w/proj/app.py", True, (), ("pkg.util",), "modified"),
        ModuleStatus("pkg.util", "/w/proj/pkg/util.py", False, ("app",), (), "failed"),
        ModuleStatus("native", None, False, ("app",), (), "missing"),
        ModuleStatus("extra", "/elsewhere/extra.py", True, (), (), "current"),
    )
    return Status(mods, ("/w", "/w/proj"), ())


def decoded_svg(page: str) -> str:
    (img,) = Elements(page).all("img")
    prefix = "data:image/svg+xml;base64,"
    assert img["src"].startswith(prefix)
    return base64.b64decode(img["src"][len(prefix) :]).decode("utf-8")


def test_n7_picture_is_an_img_with_the_svg_as_a_data_uri_not_inline_svg():
    page = render_html(sample())
    assert "<svg" not in page  # a sanitiser strips inline SVG into a run-on line
    svg = decoded_svg(page)
    assert svg == render_svg(sample())
    assert svg_geometry.problems(svg_geometry.parse(svg)) == []
    (img,) = Elements(page).all("img")
    assert "app imports pkg.util" in img["alt"]
    assert "max-width:100%" in img["style"]
    assert float(img["width"]) == float(ET.fromstring(svg).get("width"))


def test_n7_header_and_body_cells_state_the_same_alignment():
    page = render_html(sample())
    cells = Elements(page).all("th") + Elements(page).all("td")
    assert len(cells) == 4 * (1 + len(sample().modules))
    for cell in cells:
        assert "text-align:left" in cell["style"]


def test_n7_paths_are_relative_to_the_deepest_workspace_directory():
    assert display_path("/w/proj/pkg/util.py", ("/w", "/w/proj")) == "pkg/util.py"
    assert display_path("/w/other/x.py", ("/w", "/w/proj")) == "other/x.py"
    assert display_path("/elsewhere/extra.py", ("/w",)) == "/elsewhere/extra.py"
    assert display_path("/wide/x.py", ("/w",)) == "/wide/x.py"  # not a prefix match
    page = render_html(sample())
    assert "<span class='liveimport-file' style='font-size:90%'>pkg/<wbr>util.py</span>" in page
    assert "/<wbr>elsewhere/<wbr>extra.py" in page
    assert "(no source)" in page
    text = render_text(sample())
    assert "pkg/util.py" in text and "/w/proj/pkg" not in text


def test_n7_module_names_never_wrap_inside_a_name():
    page = render_html(sample())
    assert "<code style='white-space:nowrap'>pkg.util</code>" in page
    assert "pkg.<wbr>" not in page


def test_n7_state_badges_and_picture_colours_reach_wcag_aa():
    for state, (fill, text, _border) in STATE_COLOURS.items():
        assert ratio(text, fill) >= AA, state
        assert ratio(PICTURE_TEXT, fill) >= AA, state
    assert ratio(PICTURE_TEXT, PICTURE_BACKGROUND) >= AA
    page = render_html(sample())
    badges = [a for a in Elements(page).all("span") if a.get("class") == "liveimport-state"]
    assert len(badges) == len(sample().modules) + len(STATE_COLOURS)  # table and legend
    for badge in badges:
        colours = dict(re.findall(r"(background-color|(?<!-)color):(#[0-9a-f]{6})", badge["style"]))
        assert ratio(colours["color"], colours["background-color"]) >= AA


def test_n7_the_picture_has_its_own_background():
    root = ET.fromstring(render_svg(sample()))
    first = root.find(svg_geometry.SVG + "rect")
    assert first.get("class") == "li-background" and first.get("fill") == PICTURE_BACKGROUND
    assert float(first.get("width")) >= float(root.get("width")) - 1


def test_a3_html_escapes_names_and_handles_empty_status():
    page = render_html(Status((), ("/w<x>",), ()))
    assert "No tracked modules" in page and "/<wbr>w&lt;x&gt;" in page and "<img" not in page


def test_a3_module_tracked_for_no_listed_reason_is_a_parent_package():
    """Neither registered nor imported by a tracked module: a registered
    statement or a tracked import passes through it (C4 r2)."""
    lone = ModuleStatus("lone", "/w/lone.py", False, (), (), "current")
    page = render_html(Status((lone,), ("/w",), ()))
    cell = "<td style='text-align:left;vertical-align:top;padding:0.25em 0.6em 0.25em 0'>{}</td>"
    assert page.count(cell.format("package of a tracked module")) == 1
    assert page.count(cell.format("-")) == 1  # depends on nothing


def test_a3_svg_names_modules_and_marks_registered_and_failed_ones():
    root = ET.fromstring(render_svg(sample()))
    groups = {g.get("data-name"): g for g in root.iter(svg_geometry.SVG + "g")}
    assert sorted(groups) == ["app", "extra", "native", "pkg.util"]
    assert groups["pkg.util"].get("class") == "li-node li-failed"
    widths = {
        n: float(g.find(svg_geometry.SVG + "rect").get("stroke-width")) for n, g in groups.items()
    }
    assert widths["app"] > widths["pkg.util"]  # registered: thick border
    assert [t.text for t in root.iter(svg_geometry.SVG + "text")] == sorted(groups)


def test_a2_stale_variables_are_listed():
    ns = __import__("liveimport")._status.NamespaceStatus("__main__", ("import app",), ("net",))
    page = render_html(Status(sample().modules, ("/w",), (ns,)))
    assert "<code>import app</code>" in page
    assert "Still using classes from before a reload: <code>net</code>" in page
