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


def test_c6_str_of_real_events(scenario):
    scenario.start(
        {
            "ev_a": "X = 1\n",
            "ev_b": "import ev_a\n",
            "ev_c": "import ev_a\n",
            "ev_d": "import ev_b, ev_c\n",
        },
        "import ev_d",
    )
    texts = [str(e) for e in scenario.sync({"ev_a": "X = 2\n"})]
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


@pytest.mark.parametrize(
    ("source", "phase", "cause", "line", "pieces"),
    [
        ("x = 1\n\ndef broken(:\n    pass\n", "analysis", SyntaxError, 3, ["Analysis of er_a"]),
        ("x = 1\n\n\n\nraise LookupError('no')\n", "reload", LookupError, 5, ["LookupError: no"]),
        ("def f():\n    return {}['k']\n\nx = f()\n", "reload", KeyError, 2, ["KeyError"]),
        ("import no_module_li_tests\n", "reload", ImportError, 1, ["no_module_li_tests"]),
        (
            "globals().pop('x', None)\n",
            "rebind",
            Exception,
            None,
            ["'x' has disappeared from er_a"],
        ),
    ],
    ids=["analysis", "reload", "reload-in-a-function", "reload-import", "rebind"],
)
def test_c7_the_error_names_module_phase_file_line_and_cause(
    modules, ns, imp, source, phase, cause, line, pieces
):
    """C7: the ModuleError a failed sync raises (not swallows) names the module,
    the phase, the file and line where the module's own code failed, and the
    cause; nothing is rebound."""
    modules.write("er_a", "x = 1\n")
    imp("import er_a\nfrom er_a import x")
    path = modules.write("er_a", source)
    with pytest.raises(ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.module, error.phase, error.file, error.line) == ("er_a", phase, str(path), line)
    assert isinstance(error.__cause__, cause)
    text = str(error)
    assert "er_a" in text and phase in text and str(path) in text
    if line is not None:
        assert f"{path}, line {line}" in text
    if phase != "rebind":
        pieces = [type(error.__cause__).__name__, *pieces]
    for piece in pieces:
        assert piece in text, text
    assert ns["x"] == 1
