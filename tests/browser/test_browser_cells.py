"""N5 and N6 in a real browser (JupyterLab): the report block at the top of a
cell's output, the short failure message and the cell's error state, and the
cells through which a user repairs a failed sync."""

from __future__ import annotations

import re

import pytest

from .measure import word_lines

SETUP = "import liveimport\nliveimport.auto_sync(grace=0)"
#: Names long enough that report lines reach the width of the output area.
LONG = {
    "configuration_defaults": "VALUE = 1\n",
    "feature_engineering_helpers": "import configuration_defaults\n",
    "experiment_pipeline_orchestrator": (
        "import configuration_defaults\nimport feature_engineering_helpers\n"
    ),
}


def output_items(notebook, index: int) -> list[dict[str, str]]:
    """Cell ``index``'s outputs, top to bottom: MIME type and visible text."""
    return list(
        notebook.output(index).evaluate(
            """(area) => [...area.querySelectorAll('.jp-OutputArea-output')].map((o) => ({
                mime: o.dataset.mimeType, text: o.innerText}))"""
        )
    )


def execution_count(notebook, index: int) -> int | None:
    return notebook.page.evaluate(
        "(i) => jupyterapp.shell.currentWidget.content.widgets[i].model.executionCount", index
    )


def test_n5_report_block_lists_reloads_at_the_top_and_never_breaks_a_name(open_notebook, files):
    for name, source in LONG.items():
        files.write(name, source)
    notebook = open_notebook(
        [SETUP, "#_%%liveimport\nimport experiment_pipeline_orchestrator", "print('body ran')"]
    )
    assert notebook.run(0) and notebook.run(1)
    files.write("configuration_defaults", "VALUE = 2\n")
    assert notebook.run(2)
    items = output_items(notebook, 2)
    assert [item["mime"] for item in items] == ["text/markdown", "application/vnd.jupyter.stdout"]
    block = notebook.output(2).locator(".jp-RenderedMarkdown pre code")
    assert "language-console" in (block.get_attribute("class") or "")
    # One str(event) per reload; a long one continues on indented lines.
    lines: list[str] = []
    for line in block.inner_text().strip().split("\n"):
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    assert len(lines) == 3
    assert re.fullmatch(r"Reloaded configuration_defaults modified .* ago", lines[0])
    assert (
        lines[1] == "Reloaded feature_engineering_helpers because configuration_defaults reloaded"
    )
    assert lines[2] == (
        "Reloaded experiment_pipeline_orchestrator because configuration_defaults"
        " and feature_engineering_helpers reloaded"
    )
    assert items[1]["text"].strip() == "body ran"
    # JupyterLab breaks output lines anywhere once they reach the edge; at
    # 1200 px (file browser open) and at 900 px (side bars closed) no report
    # line may be broken inside a name.
    for width in (1200, 900):
        notebook.page.set_viewport_size({"width": width, "height": 900})
        if width == 900:
            notebook.page.evaluate("() => jupyterapp.shell.collapseLeft()")
        notebook.page.wait_for_timeout(300)
        measured = word_lines(notebook.output(2), list(LONG))
        assert len(measured) >= 5
        assert [m for m in measured if m["lines"] != 1] == [], width


def test_n6_failed_sync_stops_the_cell_with_one_short_message(open_notebook, files):
    files.write("units", "FACTOR = 1\n")
    notebook = open_notebook(
        [SETUP, "#_%%liveimport\nimport units", "print('body ran')", "print('next cell')"]
    )
    assert notebook.run(0) and notebook.run(1)
    files.write("units", "FACTOR = (1 +\n")
    assert notebook.command("notebook:run-all-cells") is False
    notebook.wait_idle()
    notebook.wait_rendered(2)
    items = output_items(notebook, 2)
    assert [item["mime"] for item in items] == ["application/vnd.jupyter.stderr"]
    text = items[0]["text"]
    assert "body ran" not in text and "Traceback" not in text
    assert "LiveImport: units" in text and "units.py" in text and "line 1" in text
    assert "FACTOR = (1 +" in text and "^" in text  # the source line and a caret
    assert "Nothing was reloaded, and this cell did not run." in text
    assert 'liveimport.auto_sync(on_error="warn")' in text
    assert len(text.strip().split("\n")) <= 12
    # Run All stopped at the failed cell: the next one never ran.
    assert execution_count(notebook, 3) is None
    assert output_items(notebook, 3) == []


def test_n6_a_writefile_cell_repairs_a_failed_sync(open_notebook, files):
    files.write("units", "FACTOR = 1\n")
    notebook = open_notebook(
        [
            SETUP,
            "#_%%liveimport\nfrom units import FACTOR",
            "print('factor', FACTOR)",
            "%%writefile units.py\nFACTOR = 3\n",
        ]
    )
    assert notebook.run(0) and notebook.run(1)
    files.write("units", "FACTOR = (1 +\n")
    assert not notebook.run(2)
    assert notebook.run(3)  # the repair cell is not blocked
    assert "units.py" in output_items(notebook, 3)[-1]["text"]
    assert notebook.run(2)
    items = output_items(notebook, 2)
    assert items[0]["mime"] == "text/markdown" and "Reloaded units" in items[0]["text"]
    assert items[-1]["text"].strip() == "factor 3"


def test_n6_a_registration_cell_drops_an_import_that_cannot_reload(open_notebook, files):
    # Registering a metric twice fails, as real metric libraries do.
    files.write(
        "metrics",
        "import builtins\n"
        "if getattr(builtins, '_accuracy_registered', False):\n"
        "    raise ValueError('metric accuracy is already registered')\n"
        "builtins._accuracy_registered = True\n",
    )
    files.write("units", "FACTOR = 1\n")
    registration = "#_%%liveimport --clear\nimport metrics\nfrom units import FACTOR"
    notebook = open_notebook([SETUP, registration, "print('factor', FACTOR)"])
    assert notebook.run(0) and notebook.run(1)
    files.write("metrics", files.directory.joinpath("metrics.py").read_text() + "# edited\n")
    files.write("units", "FACTOR = 2\n")
    assert not notebook.run(2)
    stopped = output_items(notebook, 2)[0]["text"]
    assert "already registered" in stopped and "--clear" in stopped
    notebook.set_source(1, "#_%%liveimport --clear\nfrom units import FACTOR")
    assert notebook.run(1)  # registration cells are never blocked
    assert "Reloaded units" in "\n".join(item["text"] for item in output_items(notebook, 1))
    assert notebook.run(2)
    assert output_items(notebook, 2)[-1]["text"].strip() == "factor 2"


def test_n6_warn_mode_shows_the_message_at_the_top_and_runs_the_cell(open_notebook, files):
    files.write("units", "FACTOR = 1\n")
    notebook = open_notebook(
        [
            SETUP + "\nliveimport.auto_sync(on_error='warn')",
            "#_%%liveimport\nfrom units import FACTOR",
            "print('factor', FACTOR)",
        ]
    )
    assert notebook.run(0) and notebook.run(1)
    files.write("units", "FACTOR = (1 +\n")
    assert notebook.run(2)
    items = output_items(notebook, 2)
    assert items[0]["mime"] == "application/vnd.jupyter.stderr"
    assert "LiveImport: units" in items[0]["text"]
    assert "this cell runs on the previous code" in items[0]["text"]
    assert items[-1]["text"].strip() == "factor 1"


@pytest.mark.parametrize(
    "call", ["liveimport.auto_sync(grace=-1)", "liveimport.register(globals(), 'import nowhere')"]
)
def test_s5_a_bad_argument_shows_the_call_and_one_message(open_notebook, call):
    notebook = open_notebook([SETUP, call])
    assert notebook.run(0)
    assert not notebook.run(1)
    (item,) = output_items(notebook, 1)
    text = item["text"]
    assert call in text and "ValueError" in text
    assert "liveimport/_" not in text  # no frames inside LiveImport
    assert len(text.strip().split("\n")) <= 8
