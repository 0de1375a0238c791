"""Find a source file's top-level import statements without parsing all of it.

Building a syntax tree for a whole module costs several times what importing
it does; LiveImport only needs the top-level ``import``/``from`` statements,
which almost always sit near the top of the file. The scanner finds candidate
lines, skips strings, comments and brackets up to the last candidate, and
parses just the candidate logical lines. Whenever it is unsure, it parses the
whole file instead, so its answer is always exactly ``ast``'s.
"""

from __future__ import annotations

import ast
import re
import sys

# A line that may hold a top-level import: starting with the keyword at column
# 0, or a column-0 simple statement with an import after a semicolon.
_CANDIDATE = re.compile(r"^(?:(?:import|from)\b|\S[^\n]*;[ \t]*(?:import|from)\b)", re.MULTILINE)
_TOKEN = re.compile(r"'''|\"\"\"|['\"#()\[\]{}\n]|\\\n")
_STRING_END = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"', re.DOTALL),
}
# From 3.12 an f-string may nest quotes of its own kind, which this scanner
# does not model; files with f-strings are then parsed in full.
_FSTRING = re.compile(r"(?i)(?<![\w])(?:f|rf|fr)['\"]") if sys.version_info >= (3, 12) else None


class _Unsure(Exception):
    pass


def top_level_imports(text: str) -> list[ast.stmt]:
    """The top-level ``Import``/``ImportFrom`` nodes of ``text``, exactly as
    ``ast.parse(text).body`` has them. Raises ``SyntaxError`` only when the
    candidate lines or the whole file do not parse."""
    try:
        body = ast.parse(_import_lines(text)).body
    except (_Unsure, SyntaxError):
        body = ast.parse(text).body
    return [node for node in body if isinstance(node, (ast.Import, ast.ImportFrom))]


def _import_lines(text: str) -> str:
    """The logical lines of ``text`` that may hold top-level imports, joined."""
    candidates = [m.start() for m in _CANDIDATE.finditer(text)]
    if not candidates:
        return ""
    last = candidates[-1]
    if _FSTRING is not None and _FSTRING.search(text, 0, text.find("\n", last) % (len(text) + 1)):
        raise _Unsure
    wanted = set(candidates)
    segments: list[str] = []
    depth = 0
    start = -1  # start of the candidate logical line being collected
    if 0 in wanted:
        start = 0
    pos = 0
    length = len(text)
    while pos < length:
        match = _TOKEN.search(text, pos)
        if match is None:
            break
        token = match.group()
        pos = match.end()
        if token == "\n":
            if depth:
                continue
            if start >= 0:
                segments.append(text[start:pos])
                start = -1
            if pos > last:
                break
            if pos in wanted:
                start = pos
        elif token in _STRING_END:
            end = _STRING_END[token].match(text, pos)
            if end is None:
                raise _Unsure  # unterminated string: let the real parser decide
            pos = end.end()
        elif token == "#":
            newline = text.find("\n", pos)
            pos = length if newline < 0 else newline
        elif token in "([{":
            depth += 1
        elif token in ")]}":
            depth = max(depth - 1, 0)
        # A backslash continuation joins lines: no logical line starts after it.
    if start >= 0:
        segments.append(text[start:] + "\n")
    return "".join(segments)
