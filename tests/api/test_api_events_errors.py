"""C6 ReloadEvent and C7 ModuleError: fields and English forms."""

from __future__ import annotations

import re
import time

import pytest

import liveimport
from liveimport import ModuleError, ReloadEvent


def event_ago(seconds: float) -> str:
    return str(ReloadEvent(module="m", reason="modified", mtime=time.time() - seconds))


def test_c6_fields():
    event = ReloadEvent(module="simulator", reason="dependent", mtime=12.5, after=["symcode"])
    assert event.module == "simulator"
    assert event.reason == "dependent"
    assert event.mtime == 12.5
    assert event.after == ["symcode"]
    assert ReloadEvent(module="m", reason="modified", mtime=1.0).after == []


def test_c6_modified_str():
    event = ReloadEvent(module="symcode", reason="modified", mtime=time.time() - 36.4)
    assert str(event) == "Reloaded symcode modified 36 seconds ago"


@pytest.mark.parametrize(
    ("after", "text"),
    [
        (["symcode"], "Reloaded simulator because symcode reloaded"),
        (["a", "b"], "Reloaded simulator because a and b reloaded"),
        (["a", "b", "c"], "Reloaded simulator because a, b, and c reloaded"),
        (["a", "b", "c", "d"], "Reloaded simulator because a, b, c, and d reloaded"),
    ],
)
def test_c6_dependent_str(after, text):
    event = ReloadEvent(module="simulator", reason="dependent", mtime=time.time(), after=after)
    assert str(event) == text


def test_c6_age_milliseconds():
    text = event_ago(0.25)
    match = re.fullmatch(r"Reloaded m modified (\d+) milliseconds ago", text)
    assert match, text
    assert 240 <= int(match.group(1)) <= 400


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (1.2, "1 second ago"),
        (5.5, "5 seconds ago"),
        (61, "1 minute ago"),
        (5 * 60 + 10, "5 minutes ago"),
        (3600 + 5, "1 hour ago"),
        (3 * 3600 + 100, "3 hours ago"),
        (86400 + 100, "1 day ago"),
        (2 * 86400 + 100, "2 days ago"),
    ],
)
def test_c6_ages_read_naturally(seconds, phrase):
    assert event_ago(seconds) == f"Reloaded m modified {phrase}"


def test_c6_str_of_real_events(modules, ns, imp):
    modules.write("ev_a", "X = 1\n")
    modules.write("ev_b", "import ev_a\n")
    modules.write("ev_c", "import ev_a\n")
    modules.write("ev_d", "import ev_b, ev_c\n")
    imp("import ev_d")
    modules.write("ev_a", "X = 2\n")
    events = liveimport.sync()
    texts = [str(e) for e in events]
    assert texts[0].startswith("Reloaded ev_a modified ")
    assert texts[0].endswith(" ago")
    assert set(texts[1:3]) == {
        "Reloaded ev_b because ev_a reloaded",
        "Reloaded ev_c because ev_a reloaded",
    }
    assert texts[3] in (
        "Reloaded ev_d because ev_b and ev_c reloaded",
        "Reloaded ev_d because ev_c and ev_b reloaded",
    )


def test_c7_is_a_public_runtime_error_class():
    """C7 (r2): code that catches ``RuntimeError`` catches ``ModuleError``."""
    assert issubclass(ModuleError, RuntimeError)
    assert ModuleError.__module__ == "liveimport"
    assert ReloadEvent.__module__ == "liveimport"


def test_c7_analysis_phase_for_syntax_error(modules, ns, imp):
    modules.write("er_a", "X = 1\n")
    imp("import er_a")
    path = modules.write("er_a", "X = 1\n\ndef broken(:\n    pass\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    err = info.value
    assert err.module == "er_a"
    assert err.phase == "analysis"
    assert isinstance(err.__cause__, SyntaxError)
    text = str(err)
    assert "Analysis of er_a" in text  # C7 (r2) form
    assert "analysis" in text
    assert f"{path}, line 3" in text
    assert "SyntaxError" in text


def test_c7_reload_phase_names_file_line_and_cause(modules, ns, imp):
    modules.write("er_a", "X = 1\n")
    imp("import er_a")
    path = modules.write("er_a", "X = 1\nY = 2\n\n\nraise LookupError('gone fishing')\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    err = info.value
    assert err.module == "er_a"
    assert err.phase == "reload"
    assert isinstance(err.__cause__, LookupError)
    text = str(err)
    assert "er_a" in text and "reload" in text
    assert str(path) in text
    assert re.search(r"\b5\b", text), text
    assert "LookupError" in text and "gone fishing" in text


def test_c7_reload_error_line_inside_a_called_function(modules, ns, imp):
    modules.write("er_a", "X = 1\n")
    imp("import er_a")
    path = modules.write("er_a", "def f():\n    return {}['k']\n\nX = f()\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    text = str(info.value)
    assert str(path) in text
    assert "KeyError" in text
    assert re.search(r"\b[24]\b", text), text


def test_c7_rebind_phase_when_registered_name_disappears(modules, ns, imp):
    modules.write("er_a", "x = 1\ny = 2\n")
    imp("from er_a import x")
    modules.write("er_a", "y = 3\nglobals().pop('x', None)\n")  # x disappears
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    err = info.value
    assert err.module == "er_a"
    assert err.phase == "rebind"
    assert err.__cause__ is not None
    text = str(err)
    assert "rebind" in text
    assert "name 'x' has disappeared from er_a" in text  # C7 (r2) form
    assert str(modules.root / "er_a.py") in text
    assert ns["x"] == 1


def test_c7_error_is_raised_from_sync_not_swallowed(modules, ns, imp):
    modules.write("er_a", "X = 1\n")
    imp("import er_a")
    modules.write("er_a", "import nonexistent_module_for_liveimport_tests\n")
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    assert isinstance(info.value.__cause__, ImportError)
    assert "nonexistent_module_for_liveimport_tests" in str(info.value)
