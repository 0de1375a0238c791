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

# Where a top-level import may be: a line starting with the keyword (after
# optional form feeds), or the keyword after a semicolon, possibly with a
# backslash continuation in between. Each match lies in a logical line the
# scanner then hands to the parser whole.
# The line-start form is searched as "a newline, then the keyword" in the text
# with a newline put in front: a literal first character lets the regex engine
# skip ahead, about three times faster than an anchored pattern.
_LINE_START = re.compile(r"\n\f*(?:import|from)\b")
_AFTER_SEMICOLON = re.compile(r";[ \t\f]*(?:\\\n[ \t\f]*)*(?:import|from)\b")
_TOKEN = re.compile(r"'''|\"\"\"|['\"#()\[\]{}\n]|\\\n")
_STRING_END = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"', re.DOTALL),
}
# From 3.12 an f-string may nest quotes of its own kind (PEP 701), which this
# scanner does not model; files with f-strings are then parsed in full.
_FSTRING = re.compile(r"(?i)(?<![\w])(?:f|rf|fr)['\"]")
NESTED_FSTRING_QUOTES = sys.version_info >= (3, 12)


class _Unsure(Exception):
    pass


def top_level_imports(text: str) -> list[ast.Import | ast.ImportFrom]:
    """The top-level ``Import``/``ImportFrom`` nodes of ``text``, exactly as
    ``ast.parse(text).body`` has them. Raises ``SyntaxError`` only when the
    candidate lines or the whole file do not parse."""
    try:
        body = ast.parse(_import_lines(text)).body
    except (_Unsure, SyntaxError):
        body = ast.parse(text).body
    return [node for node in body if isinstance(node, (ast.Import, ast.ImportFrom))]


def _import_lines(text: str, *, fstrings_nest: bool = NESTED_FSTRING_QUOTES) -> str:
    """The column-0 logical lines of ``text`` that contain a candidate, joined.
    ``fstrings_nest`` says whether this Python's f-strings may nest quotes."""
    # A match at index i of "\n" + text is a line starting at index i of text.
    candidates = [m.start() for m in _LINE_START.finditer("\n" + text)]
    if ";" in text:
        candidates += [m.start() for m in _AFTER_SEMICOLON.finditer(text)]
        candidates.sort()
    if not candidates:
        return ""
    last = candidates[-1]
    if fstrings_nest and _FSTRING.search(text, 0, text.find("\n", last) % (len(text) + 1)):
        raise _Unsure
    segments: list[str] = []
    next_candidate = 0  # index of the first candidate not yet placed in a line
    depth = 0
    line_start = 0
    pos = 0
    length = len(text)
    while next_candidate < len(candidates):
        match = _TOKEN.search(text, pos)
        if match is None:
            line_end = length
        else:
            token = match.group()
            pos = match.end()
            if token in _STRING_END:
                end = _STRING_END[token].match(text, pos)
                if end is None:
                    raise _Unsure  # unterminated string: let the real parser decide
                pos = end.end()
                continue
            if token == "#":
                newline = text.find("\n", pos)
                pos = length if newline < 0 else newline
                continue
            if token in "([{":
                depth += 1
                continue
            if token in ")]}":
                depth = max(depth - 1, 0)
                continue
            if token != "\n" or depth:
                continue  # a backslash continuation, or a newline inside brackets
            line_end = pos
        # A logical line [line_start, line_end) has ended. The last one (no
        # more tokens) ends at the end of the text, past every candidate.
        if candidates[next_candidate] < line_end:
            while next_candidate < len(candidates) and candidates[next_candidate] < line_end:
                next_candidate += 1
            if text[line_start : line_start + 1].lstrip("\f") not in (" ", "\t"):
                segment = text[line_start:line_end]
                segments.append(segment if segment.endswith("\n") else segment + "\n")
        line_start = line_end
    return "".join(segments)
