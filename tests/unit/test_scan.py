"""The import scanner gives exactly ast's answer (issue 5's proof obligation)."""

from __future__ import annotations

import ast
import importlib.util
import sysconfig
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liveimport._scan import top_level_imports


def expected(text: str) -> list[str]:
    return [
        ast.dump(node)
        for node in ast.parse(text).body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]


def scanned(text: str) -> list[str]:
    return [ast.dump(node) for node in top_level_imports(text)]


TRICKY = [
    "",
    "x = 1\n",
    "import a",  # no trailing newline
    '"""\nimport not_me\n"""\nimport me\n',
    "'''\nfrom not_me import x\n'''\nfrom me import y\n",
    's = "\\"\\"\\""\nimport a\n',
    "s = '''a\\'''\nimport not_me\n'''\nimport b\n",
    "# import not_me\nimport a  # comment with ' quote\n",
    "from a import (\n    b,\n    c,  # ) tricky\n)\nimport d\n",
    "x = 1; import a; from b import c\n",
    "if x: import not_top\nimport top\n",
    "class A: import not_top\n",
    "def f():\n    import not_top\nimport top\n",
    "try:\n    import not_top\nexcept ImportError:\n    pass\n",
    "x = [\nimport_me\n]\nimport real\n",
    "x = 1 + \\\n2\nimport a\n",
    "s = 'a\\\nimport not_me'\nimport b\n",
    "import a.b.c as d, e\n",
    "from . import x\nfrom ..pkg import y as z\nfrom m import *\n",
    "from_x = 1\nimporter = 2\n",
    "x = '''unterminated\nimport a\n",
    'print("""\n""")\nimport after_string\n',
    "x = {'a': (1, [2, {3}])}\nimport a\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_c4_scanner_matches_ast_on_tricky_sources(text):
    try:
        want = expected(text)
    except SyntaxError:
        with pytest.raises(SyntaxError):
            top_level_imports(text)
        return
    assert scanned(text) == want


def test_c4_scanner_falls_back_when_candidates_do_not_parse():
    with pytest.raises(SyntaxError):
        top_level_imports("import\nx = 1\n")  # the candidate fails, so does the file
    # Inside brackets a column-0 keyword is not a statement start: never collected.
    assert top_level_imports("x = (\nimport_me\n)\n") == []


pieces = st.sampled_from(
    [
        "import a\n",
        "import a.b as c\n",
        "from m import x\n",
        "from m import (\n    x,\n    y,\n)\n",
        "from . import z\n",
        "x = 1; import q\n",
        '"""\nimport fake\n"""\n',
        "'''doc ' \" '''\n",
        "s = 'it''s'\n",
        "# from fake import x\n",
        "if x:\n    import nested\n",
        "if y: import inline\n",
        "def f():\n    from fake import z\n",
        "class C:\n    import fake\n",
        "y = [1,\n2]\n",
        "z = f(\n    'import fake'\n)\n",
        "w = 1 + \\\n    2\n",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=12))
def test_c4_scanner_matches_ast_on_generated_sources(parts):
    text = "".join(parts)
    assert scanned(text) == expected(text)


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return [p for p in sorted(root.rglob("*.py")) if "site-packages" not in p.parts]


def test_c4_scanner_matches_ast_on_every_stdlib_file():
    checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in stdlib_files():
            try:
                text = importlib.util.decode_source(path.read_bytes())
                want = expected(text)
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue  # not valid Python for this interpreter (test data)
            assert scanned(text) == want, path
            checked += 1
    assert checked > 500
