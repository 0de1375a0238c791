"""The README's and the user guide's Python examples run, and do what the text
around them says (N1, N2, N3, N5, C2, C3).

Every fenced ``python`` block of a document runs, in order, as a cell of one
real IPython shell, in a workspace holding the modules that document's
examples import (written here, with explicit mtimes). LiveImport is loaded into
the shell first: the test process imported ``liveimport`` before any shell
existed, so a cell's ``import liveimport`` cannot be what installs it here.

A block that cannot run as a cell is marked, on the line just before its
opening fence, with ``<!-- doc-example: not run (the reason) -->``; the marker
is invisible on GitHub and on the documentation site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import liveimport
from helpers.ipython_shell import liveimport_shell

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "workflow"

_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_NOT_RUN = re.compile(r"<!-- doc-example: not run \(.+\) -->")


def python_blocks(document: Path) -> list[str]:
    """The runnable ``python`` blocks of ``document``, in order."""
    text = document.read_text()
    blocks = []
    for match in _BLOCK.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if not _NOT_RUN.fullmatch(before.strip()):
            blocks.append(match.group(1))
    return blocks


@pytest.fixture
def ip(modules) -> Iterator[InteractiveShell]:
    with liveimport_shell() as shell:
        yield shell


def run_cells(ip: InteractiveShell, blocks: list[str]) -> None:
    for block in blocks:
        result = ip.run_cell(block, store_history=True)
        assert result.success, (block, result.error_before_exec or result.error_in_exec)


def test_n3_readme_notebook_example_runs_and_reloads_in_dependency_order(ip, modules, capsys):
    """N2, N3, C2, N5: the README's 30-second example registers its imports, and
    its two edits report the reloads the README shows."""
    modules.write("symcode", "SYMBOL = 'x'\n")
    modules.write(
        "printmath",
        "def print_math(expr):\n    return f'math: {expr}'\n\n"
        "def print_equations(*eqs):\n    return [f'eq: {e}' for e in eqs]\n",
    )
    modules.write("simulator", "import symcode\n\ndef simulate():\n    return symcode.SYMBOL\n")
    blocks = python_blocks(ROOT / "README.md")
    assert len(blocks) >= 2
    run_cells(ip, blocks)
    assert liveimport.registered(ip.user_ns) == [
        "import symcode",
        "from printmath import print_math",
        "from printmath import print_equations as print_eq",
        "from simulator import *",
    ]
    capsys.readouterr()

    modules.write("printmath", "def print_math(expr):\n    return f'new: {expr}'\n")
    assert ip.run_cell("print_math(1)", store_history=True).success
    assert "Reloaded printmath modified" in capsys.readouterr().out
    assert ip.user_ns["print_math"](1) == "new: 1"

    modules.write("symcode", "SYMBOL = 'y'\n")
    assert ip.run_cell("simulate()", store_history=True).success
    out = capsys.readouterr().out
    assert out.index("Reloaded symcode modified") < out.index(
        "Reloaded simulator because symcode reloaded"
    )
    assert ip.user_ns["simulate"]() == "y"


def test_c3_guide_examples_run_and_the_last_star_import_owns_a_name(ip, modules, capsys):
    """N3, C2, C3: the guide's workflow cells run against the example project
    (examples/workflow), an edit of physics reloads simulator after it, and of
    two star imports defining ``red`` the later one owns it."""
    for name in ("units", "physics", "simulator"):
        modules.write(name, (WORKFLOW / f"{name}.py").read_text())
    modules.write("highlight", "__all__ = ['red', 'bold']\nred = 'highlight.red'\nbold = 'b'\n")
    modules.write("formatutil", "__all__ = ['red']\nred = 'formatutil.red'\n")
    blocks = python_blocks(ROOT / "docs" / "guide.md")
    assert len(blocks) >= 4
    run_cells(ip, blocks)
    assert ip.user_ns["red"] == "formatutil.red"
    capsys.readouterr()

    modules.write("physics", "from units import GRAVITY\n\ndef fall_distance(s):\n    return 1.0\n")
    assert ip.run_cell("d = Stone(2).describe()", store_history=True).success
    out = capsys.readouterr().out
    assert out.index("Reloaded physics modified") < out.index(
        "Reloaded simulator because physics reloaded"
    )
    assert ip.user_ns["d"] == "after 2 s the stone has fallen 1.0 m"

    modules.write("highlight", "__all__ = ['red', 'bold']\nred = 'highlight.new'\nbold = 'B'\n")
    assert ip.run_cell("pass", store_history=True).success
    assert (ip.user_ns["red"], ip.user_ns["bold"]) == ("formatutil.red", "B")


def test_doc_example_marker_excludes_a_block(tmp_path):
    """A block preceded by the not-run marker is left out; others are kept."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Text\n\n```python\nx = 1\n```\n\n"
        "<!-- doc-example: not run (needs a GPU) -->\n```python\nimport cuda\n```\n\n"
        "```bash\nls\n```\n"
    )
    assert python_blocks(doc) == ["x = 1\n"]
