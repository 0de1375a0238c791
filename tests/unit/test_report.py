"""N5 and N6 texts: wrapping at spaces only, the caret under a syntax error,
and the ways forward of a failed sync."""

from __future__ import annotations

import traceback

import pytest

import liveimport
from liveimport import ModuleError
from liveimport._report import WIDTH, as_markdown, caret_lines, failure_lines, wrap


def syntax_error(source: str) -> SyntaxError:
    try:
        compile(source, "mod.py", "exec")
    except SyntaxError as error:
        return error
    raise AssertionError("compiled")


@pytest.mark.parametrize(
    "source",
    [
        "meter = (1\n",
        "x = = 2\n",
        "a = 1 +\n",
        "if True\n  x = 1\n",
        'print "hi"\n',
        "é = ((( 1\n",
        "    def f(:\n        pass\n",
        "x = 1\n  y = 2\n",
        "def f():\n\treturn (\n",
    ],
)
def test_n6_caret_lines_match_pythons_own_syntax_error_display(source):
    error = syntax_error(source)
    python = traceback.format_exception_only(type(error), error)
    shown = "".join(python).splitlines()[1:-1]  # between the File line and the message
    assert caret_lines(error) == [line.replace("\t", "") for line in shown]


def test_n6_caret_lines_without_text_offset_or_with_blank_text():
    assert caret_lines(SyntaxError("bad")) == []
    assert caret_lines(SyntaxError("bad", ("m.py", 1, None, "x = (\n"))) == ["    x = ("]
    assert caret_lines(SyntaxError("bad", ("m.py", 1, 0, "x = (\n"))) == ["    x = ("]
    assert caret_lines(SyntaxError("bad", ("m.py", 1, 1, "   \n"))) == []


def test_n6_caret_spans_the_range_on_its_line_only():
    error = SyntaxError("bad", ("m.py", 1, 5, "x = yyy + 1\n", 1, 8))
    assert caret_lines(error) == ["    x = yyy + 1", "        ^^^"]
    error = SyntaxError("bad", ("m.py", 1, 5, "x = (yyy\n", 2, 1))  # ends on a later line
    assert caret_lines(error) == ["    x = (yyy", "        ^"]


def test_n5_wrap_breaks_only_at_spaces_and_keeps_long_names_whole():
    name = "configuration_defaults"
    line = f"Reloaded {name} because " + ", ".join(f"module_{i}" for i in range(12)) + " reloaded"
    lines = wrap(line)
    assert len(lines) > 1 and all(len(each) <= WIDTH for each in lines)
    assert " ".join(each.strip() for each in lines) == line
    assert all(each.startswith("  ") for each in lines[1:])  # continuation lines hang
    long_word = "x" * 100
    assert wrap(f"a {long_word} b") == ["a", f"  {long_word}", "  b"]
    assert wrap("  indented " + "word " * 20, hang="")[1].startswith("  word")
    assert wrap("") == [""]
    assert wrap("pkg.with-hyphen " * 6)[0].endswith("pkg.with-hyphen")  # no break at hyphens


def test_n6_interrupted_sync_says_how_to_retry_only_when_the_cell_stopped():
    stopped = failure_lines(KeyboardInterrupt(), outcome="stopped")
    assert stopped == [
        "LiveImport: the sync was interrupted.",
        "Nothing was reloaded, and this cell did not run. Run the cell again to",
        "retry.",
    ]
    runs = failure_lines(KeyboardInterrupt(), outcome="runs")
    assert runs[-1] == "Nothing was reloaded; this cell runs on the previous code."


def test_n6_rebind_and_analysis_failures_do_not_suggest_dropping_the_import():
    for phase in ("analysis", "rebind"):
        error = ModuleError("mod", phase, "/w/mod.py", 1)  # type: ignore[arg-type]
        text = " ".join(failure_lines(error, outcome="stopped"))
        assert "--clear" not in text and "Fix the file" in text
    error = ModuleError("mod", "reload", "/w/mod.py", 1)
    retried = " ".join(failure_lines(error, outcome="retried"))
    assert "other cells stay stopped" in retried and "--clear" in retried


def test_n6_long_cause_is_wrapped_under_its_indent():
    error = ModuleError("mod", "reload", "/w/mod.py", 3)
    error.__cause__ = ValueError("word " * 30)
    lines = failure_lines(error, outcome="stopped")
    assert lines[2].startswith("  ValueError: word") and lines[3].startswith("    word")
    assert all(len(line) <= WIDTH for line in lines[2:])


def test_n6_message_without_a_file():
    error = liveimport.ModuleError("n6nofile", "reload")
    error.__cause__ = ValueError("gone")
    lines = failure_lines(error, outcome="runs")
    assert lines == [
        "LiveImport: n6nofile raised an exception while reloading.",
        "  ValueError: gone",
        "Nothing was reloaded; this cell runs on the previous code. Fix the",
        "problem; a later cell retries the sync.",
    ]


def test_n6_unexpected_failure_asks_to_be_reported():
    lines = failure_lines(RuntimeError("engine bug"), outcome="stopped")
    assert lines == [
        "LiveImport: the sync failed unexpectedly (please report this).",
        "  RuntimeError: engine bug",
        "Nothing was reloaded, and this cell did not run. Fix the problem and run",
        'the cell again, or run liveimport.auto_sync(on_error="warn") to run',
        "cells on the previous code.",
    ]


def test_n5_markdown_block_is_fenced_console_and_longer_than_any_fence_in_the_lines():
    """N5 (r2): the notebook report block is fenced exactly ```` ```console ````."""
    assert as_markdown(["Reloaded a modified 1 second ago"]) == (
        "```console\nReloaded a modified 1 second ago\n```"
    )
    block = as_markdown(["odd ``` name", "x"])
    assert block.splitlines() == ["````console", "odd ``` name", "x", "````"]
