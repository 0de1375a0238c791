"""Scripted source edits shared by the real-package tests and the sympy bench."""

from __future__ import annotations

import ast


def insert_in_body(text: str, function: str, line: str) -> str:
    """``line`` inserted as the first statement after the docstring of the
    top-level function ``function``."""
    tree = ast.parse(text)
    node = next(
        n
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function
    )
    first = node.body[0]
    is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    anchor = node.body[1] if is_doc and len(node.body) > 1 else first
    lines = text.splitlines(keepends=True)
    indent = " " * anchor.col_offset
    if is_doc and len(node.body) == 1:
        index = first.end_lineno or first.lineno
    else:
        index = anchor.lineno - 1
    lines.insert(index, f"{indent}{line}\n")
    return "".join(lines)
