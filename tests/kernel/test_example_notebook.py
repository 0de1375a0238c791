"""The example notebook runs end to end in a real kernel (nbclient)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.kernel

EXAMPLE = Path(__file__).parents[2] / "examples" / "workflow"


def outputs_text(cell, mime="text/plain"):
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "error":
            parts.extend(output["traceback"])
        elif output["output_type"] == "stream":
            parts.append(output["text"])
        elif mime in output.get("data", {}):
            parts.append(output["data"][mime])
    return "\n".join(parts)


def test_example_notebook_runs_end_to_end(tmp_path):
    work = tmp_path / "workflow"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("__pycache__", ".ipynb*"))
    notebook = nbformat.read(work / "workflow.ipynb", as_version=4)
    client = NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    try:
        with client.setup_kernel(cwd=str(work)):
            for index, cell in enumerate(notebook.cells):
                if "fix-physics-first" in cell.metadata.get("tags", []):
                    # What the notebook asks its reader to do in an editor.
                    physics = work / "physics.py"
                    stamp = physics.stat().st_mtime_ns + 10**9
                    physics.write_text(physics.read_text().replace("GRAVITI", "GRAVITY"))
                    os.utime(physics, ns=(stamp, stamp))
                client.execute_cell(cell, index)
    except Exception:
        for cell in notebook.cells:
            print(cell.source, "\n=>", outputs_text(cell))
        raise
    code = [c for c in notebook.cells if c.cell_type == "code"]
    by_source = {c.source: c for c in code}
    edit_units = next(
        i for i, c in enumerate(code) if c.source.startswith("edit(") and "units" in c.source
    )
    after_edit = code[edit_units + 1]
    report = outputs_text(after_edit, "text/markdown")
    assert "Reloaded units modified" in report
    assert "Reloaded physics because units reloaded" in report
    assert "Reloaded simulator because physics reloaded" in report
    assert "stone still uses a class from simulator before it reloaded" in report
    assert "3.2 m" in outputs_text(after_edit)
    broken = [c for c in code if "raises-exception" in c.metadata.get("tags", [])]
    assert len(broken) == 1
    assert "Nothing was reloaded" in outputs_text(broken[0])
    assert "GRAVITI" in outputs_text(broken[0])
    fixed = [c for c in code if "fix-physics-first" in c.metadata.get("tags", [])]
    assert "Reloaded physics modified" in outputs_text(fixed[0], "text/markdown")
    assert "3.2 m" in outputs_text(fixed[0])
    assert "data:image/svg+xml;base64," in outputs_text(by_source["%liveimport"], "text/html")
    assert (work / "physics.py").read_text() == (EXAMPLE / "physics.py").read_text()
