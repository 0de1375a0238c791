"""N7 in a real browser: ``%liveimport`` on a 15-module workspace, in JupyterLab
and Notebook 7, trusted and reopened untrusted, light and dark themes."""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator

import nbformat
import pytest

from helpers import svg_geometry
from helpers.contrast import AA, ratio
from helpers.svg_geometry import WORKSPACE_15

from .jupyter_harness import ARTIFACTS, Files, JupyterServer, Notebook, new_page
from .measure import box, columns, text_colours

DATA_URI = "data:image/svg+xml;base64,"
CELLS = [
    "import liveimport\nliveimport.auto_sync(grace=0)",
    "#_%%liveimport\nimport tasks\nimport plugin_loader",
    "liveimport.auto_sync(enabled=False)",
    (
        "try:\n    liveimport.sync()\nexcept liveimport.ModuleError as error:\n"
        "    print('sync failed')"
    ),
    "%liveimport",
]
STATUS_CELL = 4


def workspace_in(server: JupyterServer, folder: str) -> Files:
    (server.root / folder).mkdir()
    files = Files(server.root / folder)
    for name, deps in WORKSPACE_15.items():
        files.write(name, "".join(f"import {d}\n" for d in deps) + "X = 1\n")
    return files


@pytest.fixture(scope="module")
def workspace(server: JupyterServer) -> Files:
    return workspace_in(server, "status")


@pytest.fixture(scope="module")
def status_lab(browser, server: JupyterServer, workspace: Files) -> Iterator[Notebook]:
    """JupyterLab showing ``%liveimport`` with every state: ``report`` failed
    (unparsable), ``util`` modified, ``plots`` missing, the rest current."""
    path = "status/status.ipynb"
    server.write_notebook(path, CELLS)
    with new_page(browser) as page:
        notebook = Notebook(page, server, path, "lab")
        notebook.open()
        for index in range(3):
            assert notebook.run(index)
        workspace.write("report", "import models\nimport plots\nX = (\n")
        assert notebook.run(3)
        workspace.write("util", "X = 2\n")
        (workspace.directory / "plots.py").unlink()
        assert notebook.run(STATUS_CELL)
        notebook.save()
        yield notebook
        server.shutdown_kernels([path])


def status_output(notebook: Notebook):
    """The output of the notebook's last cell, ``%liveimport``."""
    return notebook.output(-1).locator(".jp-OutputArea-output")


def picture_of(notebook: Notebook) -> dict:
    img = status_output(notebook).locator("img.liveimport-graph")
    return dict(
        img.evaluate(
            "(img) => ({src: img.getAttribute('src'), loaded: img.complete,"
            " width: img.naturalWidth, height: img.naturalHeight})"
        )
    )


def assert_picture_shown(notebook: Notebook) -> None:
    output = status_output(notebook)
    assert output.locator("svg").count() == 0  # no inline SVG for a sanitiser to strip
    picture = picture_of(notebook)
    assert picture["src"].startswith(DATA_URI)
    assert picture["loaded"] and picture["width"] > 100 and picture["height"] > 100
    assert output.locator("table.liveimport-table tbody tr").count() == len(WORKSPACE_15)


def test_n7_picture_is_an_img_in_a_trusted_jupyterlab_notebook(status_lab):
    assert status_lab.trusted(STATUS_CELL)
    assert "jp-mod-trusted" in (status_output(status_lab).get_attribute("class") or "")
    assert_picture_shown(status_lab)
    states = status_output(status_lab).locator(".liveimport-table .liveimport-state")
    shown = dict(
        zip(
            status_output(status_lab)
            .locator(".liveimport-table tbody tr td:first-child code")
            .all_inner_texts(),
            states.all_inner_texts(),
            strict=True,
        )
    )
    assert shown["report"] == "failed" and shown["util"] == "modified"
    assert shown["plots"] == "missing" and shown["db"] == "current"


def test_n7_no_edge_crosses_a_box_it_does_not_connect_in_the_shown_picture(status_lab):
    svg = base64.b64decode(picture_of(status_lab)["src"][len(DATA_URI) :]).decode()
    drawn = svg_geometry.parse(svg)
    assert sorted(drawn.boxes) == sorted(WORKSPACE_15)
    assert {(s, t) for s, t, _ in drawn.edges} == {
        (n, d) for n, deps in WORKSPACE_15.items() for d in deps
    }
    assert svg_geometry.problems(drawn) == []


def test_n7_header_and_body_cells_line_up(status_lab):
    table = status_output(status_lab).locator("table.liveimport-table")
    measured = columns(table)
    assert [c["header"] for c in measured] == [
        "module and file",
        "state",
        "tracked because",
        "depends on",
    ]
    for column in measured:
        for cell in column["body"]:
            assert cell["align"] == column["headAlign"] == "left", column["header"]
            assert abs(cell["start"] - column["headStart"]) < 1.0, column["header"]


def test_n7_files_are_shown_relative_to_the_workspace(status_lab, server):
    files = status_output(status_lab).locator(".liveimport-table .liveimport-file")
    texts = files.all_inner_texts()
    assert "util.py" in texts and "db.py" in texts
    assert not any(str(server.root) in text for text in texts)


def collapse_side_panels(notebook: Notebook) -> None:
    notebook.page.evaluate(
        """() => { const shell = jupyterapp.shell;
            if (!shell.leftCollapsed) shell.collapseLeft();
            if (!shell.rightCollapsed) shell.collapseRight(); }"""
    )


def assert_fits(notebook: Notebook) -> None:
    output = status_output(notebook)
    area = box(output)
    table = box(output.locator("table.liveimport-table"))
    img = box(output.locator("img.liveimport-graph"))
    assert table["width"] <= area["clientWidth"], (table, area)
    assert area["scrollWidth"] <= area["clientWidth"], area  # no horizontal scrolling
    assert img["right"] <= area["right"] + 0.5, (img, area)


def test_n7_15_modules_fit_a_900_pixel_jupyterlab_notebook(status_lab):
    page = status_lab.page
    # Tall enough that the whole output is in view for the guide's screenshot.
    page.set_viewport_size({"width": 900, "height": 2400})
    try:
        collapse_side_panels(status_lab)
        page.wait_for_timeout(300)  # the panel's layout settles
        # The notebook gets what the window leaves it: 900 px minus the side bars.
        notebook = box(page.locator(".jp-NotebookPanel").first)
        assert 780 <= notebook["width"] <= 900
        assert_fits(status_lab)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "status.png"
        status_output(status_lab).scroll_into_view_if_needed()
        status_output(status_lab).screenshot(path=str(shot))
        if os.environ.get("LIVEIMPORT_DOCS_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["LIVEIMPORT_DOCS_SCREENSHOT"])
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_n7_text_and_state_colours_reach_wcag_aa(status_lab, theme):
    page = status_lab.page
    status_lab.command("apputils:change-theme", {"theme": theme})
    page.wait_for_function("(theme) => document.body.dataset.jpThemeName === theme", arg=theme)
    page.wait_for_timeout(300)  # the theme's stylesheet applies
    try:
        found = text_colours(status_output(status_lab))
        assert len(found) > 100
        low = [
            (
                item["text"],
                item["colour"],
                item["background"],
                round(ratio(item["colour"], item["background"]), 2),
            )
            for item in found
            if ratio(item["colour"], item["background"]) < AA
        ]
        assert low == []
        # The picture brings its own background, whatever the theme's.
        corner = (
            status_output(status_lab)
            .locator("img.liveimport-graph")
            .evaluate(
                """(img) => { const canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
                const context = canvas.getContext('2d');
                context.drawImage(img, 0, 0);
                return [...context.getImageData(8, 3, 1, 1).data]; }"""
            )
        )
        assert corner == [255, 255, 255, 255]
    finally:
        status_lab.command("apputils:change-theme", {"theme": "JupyterLab Light"})


def reopened_untrusted(server: JupyterServer, name: str) -> str:
    """The saved status notebook as a file someone opens later: same outputs,
    no signature this server knows (any edit on disk voids the signature)."""
    saved = nbformat.read(server.root / "status/status.ipynb", as_version=4)
    assert "liveimport-graph" in str(saved.cells[STATUS_CELL].outputs)
    saved.metadata["reopened"] = True
    path = f"status/{name}"
    nbformat.write(saved, server.root / path)
    return path


@pytest.mark.parametrize("frontend", ["lab", "notebook7"])
def test_n7_picture_shows_in_a_reopened_untrusted_notebook(status_lab, browser, server, frontend):
    path = reopened_untrusted(server, f"reopened-{frontend}.ipynb")
    with new_page(browser) as page:
        notebook = Notebook(page, server, path, frontend)
        notebook.open()
        try:
            assert not notebook.trusted(STATUS_CELL)
            assert "jp-mod-trusted" not in (status_output(notebook).get_attribute("class") or "")
            assert_picture_shown(notebook)
        finally:
            server.shutdown_kernels([path])


def test_n7_picture_and_table_in_notebook7_fit_900_pixels(status_lab, browser, server):
    workspace_in(server, "status7")
    path = "status7/status.ipynb"
    cells = [CELLS[0], CELLS[1], CELLS[STATUS_CELL]]
    server.write_notebook(path, cells)
    with new_page(browser) as page:
        page.set_viewport_size({"width": 900, "height": 1000})
        notebook = Notebook(page, server, path, "notebook7")
        notebook.open()
        try:
            for index in range(len(cells)):
                assert notebook.run(index)
            assert notebook.trusted(2)
            assert_picture_shown(notebook)
            assert_fits(notebook)
        finally:
            server.shutdown_kernels([path])
