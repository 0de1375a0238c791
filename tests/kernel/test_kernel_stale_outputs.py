"""A4 through a real ipykernel: execute requests that carry the frontend's
``cellId`` (as JupyterLab sends it in the request's metadata) get a line naming
the cells whose outputs came from code that has since reloaded; requests
without cell ids get none."""

from __future__ import annotations

import inspect

import pytest
from IPython.core.interactiveshell import InteractiveShell

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(
        "cell_id" not in inspect.signature(InteractiveShell.run_cell).parameters,
        reason="IPython before 8.3 passes no cell ids",
    ),
]


def report(outputs: list[dict]) -> list[str]:
    """The lines of the cell's LiveImport report (its first display), if any."""
    for output in outputs:
        data = output.get("data", {})
        if output["type"] == "display_data" and "text/markdown" in data:
            return data["text/plain"].splitlines()
    return []


def write_chain(modules, p):
    """``{p}base``, ``{p}mid`` (imports base) and ``{p}other``: each test uses
    its own names, since the kernel keeps the modules of earlier tests."""
    modules.write(f"{p}base", "def value():\n    return 1\n")
    modules.write(f"{p}mid", f"import {p}base\n\ndef doubled():\n    return 2 * {p}base.value()\n")
    modules.write(f"{p}other", "NAME = 'other'\n")


def test_a4_cells_that_used_reloaded_code_are_named_by_execution_count(kernel, modules):
    write_chain(modules, "a4x")
    kernel.ok(
        "#_%%liveimport --clear\nimport a4xmid\nfrom a4xbase import value as v\nimport a4xother",
        cell_id="cell-imports",
    )
    counts = {}
    for cell_id, code in [
        ("cell-mid", "a4xmid.doubled()"),  # uses a4xmid, which depends on a4xbase
        ("cell-alias", "v()"),  # uses a4xbase through an alias
        ("cell-other", "a4xother.NAME"),  # unrelated module
        ("cell-plain", "1 + 1"),  # nothing registered
    ]:
        outputs = kernel.ok(code, cell_id=cell_id)
        counts[cell_id] = outputs[-1]["execution_count"]
    modules.write("a4xbase", "def value():\n    return 5\n")
    outputs = kernel.ok("'unrelated'", cell_id="cell-new")
    first, second = sorted([counts["cell-mid"], counts["cell-alias"]])
    assert report(outputs)[-1] == (
        f"Outputs of [{first}] and [{second}] came from code that has since reloaded"
    )
    assert outputs[0]["data"]["text/markdown"].splitlines()[-2] == report(outputs)[-1]

    # Re-running a cell makes it current; the cell being run is never listed.
    rerun = kernel.ok("a4xmid.doubled()", cell_id="cell-mid")[-1]["execution_count"]
    modules.write("a4xbase", "def value():\n    return 6\n")
    outputs = kernel.ok("v()", cell_id="cell-alias")
    assert report(outputs)[-1] == f"Output of [{rerun}] came from code that has since reloaded"
    assert outputs[-1]["data"]["text/plain"] == "6"


def test_a4_a_cell_that_only_registers_imports_is_not_listed(kernel, modules):
    write_chain(modules, "a4y")
    kernel.ok("#_%%liveimport --clear\nimport a4ymid", cell_id="reg-only")
    used = kernel.ok("%%liveimport\nimport a4yother\na4yother.NAME", cell_id="reg-and-use")
    modules.write("a4ybase", "def value():\n    return 2\n")
    lines = report(kernel.ok("pass", cell_id="next"))
    assert lines[0].startswith("Reloaded a4ybase modified")
    assert lines[1:] == ["Reloaded a4ymid because a4ybase reloaded"]
    # A registration cell that also uses what it imported is a cell like any other.
    modules.write("a4yother", "NAME = 'changed'\n")
    lines = report(kernel.ok("pass", cell_id="next-2"))
    count = used[-1]["execution_count"]
    assert lines[-1] == f"Output of [{count}] came from code that has since reloaded"


def test_a4_without_cell_ids_there_is_no_line(kernel, modules):
    write_chain(modules, "a4z")
    kernel.ok("#_%%liveimport --clear\nimport a4zmid")
    kernel.ok("a4zmid.doubled()")
    modules.write("a4zbase", "def value():\n    return 3\n")
    lines = report(kernel.ok("a4zmid.doubled()"))
    assert lines[0].startswith("Reloaded a4zbase modified")
    assert lines[-1] == "Reloaded a4zmid because a4zbase reloaded"
