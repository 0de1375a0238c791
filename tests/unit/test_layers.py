"""Architecture (§4): the module map in docs/ARCHITECTURE.md holds. Every import
between the package's modules points to a lower layer, whatever its form and
wherever it stands; the import graph has no cycle; only the IPython layers
import IPython."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import liveimport

PACKAGE = Path(liveimport.__file__).parent
MODULE_MAP = Path(__file__).parents[2] / "docs" / "ARCHITECTURE.md"
#: The lowest layer that may import IPython.
IPYTHON_LAYER = 7
IPYTHON_PACKAGES = {"IPython", "ipykernel", "traitlets", "jupyter_client"}


def layers() -> dict[str, int]:
    """``{module: layer}`` from the module map's table rows ``| `_x` | 3 | ... |``."""
    rows = re.findall(r"^\| `(\w+)` \| (\d+) \|", MODULE_MAP.read_text(), re.MULTILINE)
    return {module: int(layer) for module, layer in rows}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Nodes under ``if TYPE_CHECKING:``: annotations only, never executed."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            skipped.update(id(sub) for child in node.body for sub in ast.walk(child))
    return skipped


def imports(source: str, modules: set[str]) -> tuple[set[str], set[str]]:
    """``(package modules, other top-level packages)`` that ``source`` imports,
    in every form and at every nesting level. ``__init__`` stands for the
    package itself (``import liveimport``, ``from liveimport import name``)."""
    tree = ast.parse(source)
    skipped = _type_checking_only(tree)
    local: set[str] = set()
    other: set[str] = set()

    def package_names(names: list[ast.alias]) -> None:
        # ``from liveimport import _x`` imports the submodule; any other name
        # comes from the package's ``__init__``.
        local.update(a.name if a.name in modules else "__init__" for a in names)

    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                top, _, rest = alias.name.partition(".")
                if top == "liveimport":
                    local.add(rest.split(".")[0] or "__init__")
                else:
                    other.add(top)
        elif isinstance(node, ast.ImportFrom):
            dotted = node.module or ""
            if node.level == 0 and dotted.split(".")[0] != "liveimport":
                other.add(dotted.split(".")[0])
                continue
            inner = dotted if node.level else dotted.partition(".")[2]
            if inner:
                local.add(inner.split(".")[0])
            else:
                package_names(node.names)
    return local, other


def graph() -> dict[str, set[str]]:
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    return {
        path.stem: imports(path.read_text(), modules)[0] - {path.stem}
        for path in PACKAGE.glob("*.py")
    }


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(edges.get(module, ())):
            cycle = visit(target, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(edges):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_s4_every_module_is_in_the_module_map():
    assert set(layers()) == {path.stem for path in PACKAGE.glob("*.py")}


def test_s4_imports_point_to_lower_layers_only():
    layer = layers()
    wrong = [
        f"{module} (layer {layer[module]}) imports {target} (layer {layer[target]})"
        for module, targets in graph().items()
        for target in sorted(targets)
        if layer[target] >= layer[module]
    ]
    assert wrong == []


def test_s4_the_package_has_no_import_cycle():
    assert find_cycle(graph()) is None


def test_s4_only_the_ipython_layers_import_ipython():
    layer = layers()
    modules = set(layer)
    for path in PACKAGE.glob("*.py"):
        uses = imports(path.read_text(), modules)[1] & IPYTHON_PACKAGES
        if layer[path.stem] < IPYTHON_LAYER:
            assert not uses, f"{path.name} imports {uses}"


def test_s4_plain_import_does_not_load_ipython():
    code = "import sys, liveimport; print('IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_s4_every_import_form_is_seen_wherever_it_stands():
    """The checks above see each form, in functions, classes, ``try`` and
    ``if`` too; only ``if TYPE_CHECKING:`` blocks are left out."""
    modules = {"_a", "_b", "_c", "_d", "_e", "_f", "_g", "_h", "_i"}
    source = """
import os
import liveimport
import liveimport._a as a
from liveimport import _b, register
from liveimport._c import thing
from . import _d
from ._e import other
def f():
    from ._f import x
class K:
    import liveimport._g
try:
    from . import _h
except ImportError:
    pass
if TYPE_CHECKING:
    from ._i import T
if typing.TYPE_CHECKING:
    import liveimport._i
"""
    local, other = imports(source, modules)
    assert local == {"__init__", "_a", "_b", "_c", "_d", "_e", "_f", "_g", "_h"}
    assert other == {"os"}


def test_s4_a_cycle_is_found_and_named():
    assert find_cycle({"_a": {"_b"}, "_b": {"_c"}, "_c": {"_a"}, "_d": set()}) == [
        "_a",
        "_b",
        "_c",
        "_a",
    ]
    assert find_cycle({"_a": {"_b"}, "_b": set(), "_c": {"_a", "_b"}}) is None
