"""Architecture: imports flow one way; only the IPython layer imports IPython."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import liveimport

PACKAGE = Path(liveimport.__file__).parent
IPYTHON_MODULES = {"_ipython", "_magics", "_demo", "_profile", "_tracebacks"}
CORE = {
    "_text", "_errors", "_workspace", "_graph", "_statements", "_settings",
    "_events", "_journal", "_sources", "_stale", "_status", "_layout", "_status_html", "_report",
    "_tracking", "_transaction", "_engine", "_api", "_ipyconfig", "_why", "_outputs",
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    return names


def test_only_the_ipython_layer_imports_ipython():
    for path in PACKAGE.glob("*.py"):
        uses = {n for n in imported_modules(path) if n.split(".")[0] == "IPython"}
        if path.stem not in IPYTHON_MODULES:
            assert not uses, f"{path.name} imports {uses}"


def test_core_never_imports_the_integration():
    for stem in CORE:
        path = PACKAGE / f"{stem}.py"
        if not path.exists():
            continue
        local = {n.lstrip(".") for n in imported_modules(path) if n.startswith(".")}
        assert not local & (IPYTHON_MODULES | {"__main__"}), f"{stem} imports {local}"


def test_section4_plain_import_does_not_load_ipython():
    code = "import sys, liveimport; print('IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_status_text_does_not_import_its_html_form():
    """``_status_html`` builds on ``_status``; the reverse import would be a cycle."""
    local = {n.lstrip(".") for n in imported_modules(PACKAGE / "_status.py") if n.startswith(".")}
    assert not local & {"_status_html", "_layout"}
