"""C4 property test: the dependencies LiveImport reports for a module are exactly
the targets of its *top-level* import statements, as ``ast`` sees them, whatever
the layout of the file (strings, comments, brackets, semicolons, backslash
continuations, form feeds, nested imports). Checked through ``status()`` both
when the module starts being tracked and after it changes and reloads."""

from __future__ import annotations

import ast
import importlib
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import liveimport
from helpers import write_source

DEPS = ["scan_d0", "scan_d1", "scan_d2"]
TARGET = "scan_ta"

# Each fragment is one or more complete statements; "{m}" is a dependency name.
FRAGMENTS = [
    "import {m}",
    "import {m} as alias_{m}",
    "from {m} import V",
    "from {m} import (\n    V,  # a comment with ( and '\n)",
    "import os, \\\n    {m}",
    "x = 1; import {m}",
    "x = 1; \\\nimport {m}",
    "x = 1 \\\n; import {m}",
    "\fimport {m}",
    "\f",
    "if True:\n    import {m}",
    "if True: import {m}",
    "if True: pass; import {m}",
    "def f():\n    import {m}",
    "class C:\n    from {m} import V",
    "try:\n    import {m}\nexcept ImportError:\n    pass",
    "s = '''\nimport {m}\n'''",
    's = """\nimport {m}\n"""',
    "s = 'import {m}'",
    "s = 'a;import {m}'",
    "# import {m}",
    "x = (\n    1,  # )\n)",
    "y = [\n'[', ']'\n]",
    "z = '\\''",
    'w = "\\""',
    "r = r'\\\\'",
    "t = 'abc\\\ndef'",
    "u = '''it's'''",
    "n = (1 +\n2)",
    "q = 1 + \\\n2",
    "v = f'{{1}}'; import {m}",
    "e = ''; import {m}",
    '"""Docstring with\nimport {m}\ninside."""',
    "pass  # trailing 'quote",
    "lam = lambda: (yield)",
]


@st.composite
def source_texts(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(DEPS)),
            min_size=1,
            max_size=8,
        )
    )
    text = "\n".join(fragment.format(m=dep) for fragment, dep in parts) + "\n"
    return text


def expected_deps(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found & set(DEPS)


def depends_on(name: str) -> set[str]:
    for module in liveimport.status().modules:
        if module.name == name:
            return set(module.depends_on)
    raise AssertionError(f"{name} is not tracked")


@pytest.mark.timeout(300)
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=source_texts(), second=source_texts())
def test_c4_dependencies_are_exactly_the_top_level_imports(first: str, second: str) -> None:
    for text in (first, second):
        try:
            ast.parse(text)
        except SyntaxError:
            assume(False)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        clock = [1_700_000_000 * 10**9]
        sys.path.insert(0, str(root))
        try:
            for dep in DEPS:
                write_source(root / f"{dep}.py", "V = 1\n", clock)
            write_source(root / f"{TARGET}.py", first, clock)
            importlib.invalidate_caches()
            liveimport.reset()
            liveimport.workspace(root)
            for dep in DEPS:
                importlib.import_module(dep)  # loaded, so trackable
            ns: dict[str, object] = {"__name__": "notebook"}
            exec(f"import {TARGET}", ns)
            liveimport.register(ns, f"import {TARGET}")
            assert depends_on(TARGET) == expected_deps(first), first
            write_source(root / f"{TARGET}.py", second, clock)
            events = liveimport.sync()
            assert events[0].module == TARGET
            assert depends_on(TARGET) == expected_deps(second), second
        finally:
            sys.path.remove(str(root))
            for name in [*DEPS, TARGET]:
                sys.modules.pop(name, None)
            importlib.invalidate_caches()
            liveimport.reset()
