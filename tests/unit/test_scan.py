"""The import scanner gives exactly ast's answer (issue 5's proof obligation)."""

from __future__ import annotations

import ast
import importlib.util
import sys
import sysconfig
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liveimport import _scan
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


#: On Python 3.12+ (PEP 701) the first three lines are one f-string whose
#: expression is the string '"""', so ``import fake`` is text inside it; the
#: last line's ``"""`` is in a comment. A scanner that ended the f-string at
#: the inner quotes would report ``fake`` and miss ``real``.
NESTED_QUOTES_FSTRING = 'x = f"""{\'"""\'}\'\nimport fake\n"""\nimport real\nz = 1  # """\n'


def imported_names(nodes: list[ast.stmt]) -> list[str]:
    return [a.name for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="f-strings nest quotes from Python 3.12")
def test_c4_scanner_matches_ast_with_fstrings_nesting_their_own_quotes():
    """C4: an f-string that nests quotes of its own kind hides no import from
    the scanner and invents none."""
    assert imported_names(ast.parse(NESTED_QUOTES_FSTRING).body) == ["real"]
    assert scanned(NESTED_QUOTES_FSTRING) == expected(NESTED_QUOTES_FSTRING)
    assert imported_names(list(top_level_imports(NESTED_QUOTES_FSTRING))) == ["real"]
    # Reading the f-string as older Pythons do gives the wrong answer here.
    unguarded = _scan._import_lines(NESTED_QUOTES_FSTRING, fstrings_nest=False)
    assert imported_names(ast.parse(unguarded).body) == ["fake"]


def test_c4_scanner_defers_to_the_parser_when_fstrings_may_nest_quotes():
    """C4: where f-strings may nest quotes (Python 3.12+), an f-string before
    the last candidate import sends the file to the full parser; where they
    cannot, the scanner reads it itself."""
    text = "x = f'{y}'\nimport a\n"
    with pytest.raises(_scan._Unsure):
        _scan._import_lines(text, fstrings_nest=True)
    assert _scan._import_lines(text, fstrings_nest=False) == "import a\n"
    # An f-string after the last import line does not matter either way.
    assert _scan._import_lines("import a\nx = f'{y}'\n", fstrings_nest=True) == "import a\n"
    assert _scan.NESTED_FSTRING_QUOTES is (sys.version_info >= (3, 12))


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
