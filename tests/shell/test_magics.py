"""N2 ``%%liveimport``, N3 hidden cell magic, N7 ``%liveimport``."""

from __future__ import annotations

import traceback

import pytest
from IPython.core.error import UsageError

import liveimport


@pytest.fixture
def mods(modules):
    modules.write("n2a", "A = 'a'\nclass Thing:\n    pass\n")
    modules.write("n2b", "B = 'b'\n")
    return modules


def test_n2_cell_runs_like_ordinary_code_then_registers_its_imports(shell, mods):
    result = shell.run(
        "%%liveimport\nimport n2a\nfrom n2b import B as bee\nran = 'yes'\nif True:\n"
        "    import json\nbee + '!'"
    )
    assert result.success
    assert result.result == "b!"  # the last expression is displayed as usual
    assert shell.ns["ran"] == "yes"
    assert liveimport.registered(shell.ns) == ["import n2a", "from n2b import B as bee"]


def test_n2_ipython_syntax_in_the_cell(shell, mods, tmp_path):
    result = shell.run("%%liveimport\nimport n2a\nhere = %pwd\nlisting = !echo hi\nhere")
    assert result.success, result.error_in_exec
    assert isinstance(shell.ns["here"], str)
    assert list(shell.ns["listing"]) == ["hi"]
    assert liveimport.registered(shell.ns) == ["import n2a"]


def test_n2_failing_cell_errors_and_registers_nothing_even_with_clear(shell, mods, capsys):
    assert shell.run("%%liveimport\nimport n2a").success
    result = shell.run("%%liveimport --clear\nfrom n2b import B\n1/0\nafter = 1")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "after" not in shell.ns
    assert liveimport.registered(shell.ns) == ["import n2a"]
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out
    assert "_magics.py" not in out  # LiveImport's own frames are hidden


def test_n2_clear_discards_earlier_registrations(shell, mods):
    shell.run("%%liveimport\nimport n2a")
    shell.run("%%liveimport\nfrom n2b import B")
    assert liveimport.registered(shell.ns) == ["import n2a", "from n2b import B"]
    assert shell.run("%%liveimport -c\nfrom n2b import B").success
    assert liveimport.registered(shell.ns) == ["from n2b import B"]


@pytest.mark.parametrize("line", ["--clear # keep {only} $this", "-c", "# just a comment", ""])
def test_n2_options_and_comments(shell, mods, line):
    shell.run("%%liveimport\nimport n2a")
    assert shell.run(f"%%liveimport {line}\nfrom n2b import B").success
    expected = ["from n2b import B"] if "-c" in line else ["import n2a", "from n2b import B"]
    assert liveimport.registered(shell.ns) == expected


@pytest.mark.parametrize("line", ["--bogus", "-x", "clear", "-c extra"])
def test_n2_unknown_options_and_stray_words_are_usage_errors(shell, mods, line):
    result = shell.run(f"%%liveimport {line}\nimport n2a\nran = 1")
    assert isinstance(result.error_in_exec, UsageError)
    assert "ran" not in shell.ns
    assert liveimport.registered(shell.ns) == []


@pytest.mark.parametrize("first", ["#_%%liveimport", "# _%%liveimport", "#_%%liveimport -c # x"])
def test_n3_hidden_magic_runs_like_the_cell_magic(shell, mods, first):
    shell.run("%%liveimport\nfrom n2b import B")
    result = shell.run(f"{first}\nimport n2a\nn2a.A")
    assert result.success
    assert result.result == "a"
    expected = ["import n2a"] if "-c" in first else ["from n2b import B", "import n2a"]
    assert liveimport.registered(shell.ns) == expected


def test_n3_hidden_magic_usage_error(shell, mods):
    result = shell.run("#_%%liveimport --nope\nimport n2a")
    assert isinstance(result.error_in_exec, UsageError)
    assert liveimport.registered(shell.ns) == []


def test_n3_hidden_cell_magic_can_be_switched_off(shell, mods):
    liveimport.hidden_cell_magic(False)
    result = shell.run("#_%%liveimport\nimport n2a\nn2a.A")
    assert result.success and result.result == "a"  # a plain comment now
    assert liveimport.registered(shell.ns) == []
    liveimport.hidden_cell_magic(True)
    shell.run("#_%%liveimport\nimport n2a")
    assert liveimport.registered(shell.ns) == ["import n2a"]


def test_n3_only_the_first_line_counts(shell, mods):
    assert shell.run("x = 1\n#_%%liveimport\nimport n2a").success
    assert liveimport.registered(shell.ns) == []


def test_n7_line_magic_shows_status(shell, mods, capsys):
    shell.run("%%liveimport\nimport n2a")
    capsys.readouterr()
    assert shell.run("%liveimport").success
    out = capsys.readouterr().out
    assert "n2a" in out and "registered" in out and "import n2a" in out


def test_n7_line_magic_takes_no_arguments(shell, mods):
    result = shell.run("%liveimport --clear")
    assert isinstance(result.error_in_exec, UsageError)


def test_n2_cell_magic_called_outside_a_running_cell_names_the_next_cell(shell, mods):
    # Code (an extension, a test) may call the magic directly; its code is then
    # named after the cell about to run, so tracebacks still say "Cell In[n]".
    ip = shell.ip
    number = ip.execution_count
    assert ip.run_cell_magic("liveimport", "", "import n2a\nn2a.A") == "a"
    assert liveimport.registered(shell.ns) == ["import n2a"]
    with pytest.raises(ZeroDivisionError) as caught:
        ip.run_cell_magic("liveimport", "--clear", "from n2b import B\n1/0")
    frame = traceback.extract_tb(caught.value.__traceback__)[-1]
    assert ip.compile.format_code_name(frame.filename) == ("Cell", f"In[{number}]")
    assert frame.lineno == 2 and frame.line == "1/0"
    assert liveimport.registered(shell.ns) == ["import n2a"]  # failed: nothing registered


def test_n2_top_level_await_runs_in_a_registration_cell(shell, mods):
    """N2: a registration cell runs as the ordinary cell it is, top-level
    ``await`` included, then registers its imports."""
    result = shell.run(
        "#_%%liveimport --clear\nimport asyncio\nawait asyncio.sleep(0)\nfrom n2b import B"
    )
    assert result.success, result.error_in_exec
    assert liveimport.registered(shell.ns) == ["import asyncio", "from n2b import B"]


def test_n2_trailing_semicolon_hides_the_last_value(shell, mods):
    assert shell.run("%%liveimport\nfrom n2b import B\nB;").result is None
    assert shell.run("%%liveimport\nfrom n2b import B\nB").result == "b"


def test_n2_line_numbers_of_the_body_are_those_of_the_cell(shell, mods):
    result = shell.run("#_%%liveimport\nimport n2a\n\nraise ValueError('line 4')")
    assert not result.success
    frames = traceback.extract_tb(result.error_in_exec.__traceback__)
    assert frames[-1].lineno == 4
    assert liveimport.registered(shell.ns) == []


def test_n2_a_cell_that_ran_but_cannot_register_says_so(shell, mods, capsys):
    result = shell.run("%%liveimport\nimport n2a\ndel n2a")
    assert result.success
    err = capsys.readouterr().err
    assert "this cell ran, but its imports were not registered" in err
    assert "ValueError: No name n2a in namespace: run `import n2a` first" in err  # C1 (r2)
    assert liveimport.registered(shell.ns) == []


def test_c1_star_import_registered_from_a_cell_needs_only_the_module_loaded(shell, mods):
    """C1 (r2): ``register(globals(), "from m import *")`` after ``import m``
    registers, although the cell never bound ``m``'s names; a sync binds them."""
    cell = "import n2a, liveimport\nliveimport.register(globals(), 'from n2a import *')"
    assert shell.run(cell).success
    assert "A" not in shell.ns
    assert liveimport.registered(shell.ns) == ["from n2a import *"]
    mods.write("n2a", "A = 'a2'\nclass Thing:\n    pass\n")
    assert shell.run("liveimport.sync()").success
    assert shell.ns["A"] == "a2"


def test_n2_a_silent_execution_runs_the_body_without_registering(shell, mods):
    """Frontends' silent=True executions fire no cell events; documented."""
    result = shell.run("%%liveimport\nfrom n2b import B\nseen = B", silent=True)
    assert result.success and shell.ns["seen"] == "b"
    assert liveimport.registered(shell.ns) == []


def test_n2_the_magic_called_from_code_inside_a_cell_runs_and_registers(shell, mods):
    result = shell.run(
        "value = get_ipython().run_cell_magic('liveimport', '--clear', "
        "'import n2a\\nfrom n2b import B\\nmade = B * 2')"
    )
    assert result.success, result.error_in_exec
    assert shell.ns["value"] is None  # no final expression: nothing to show
    assert shell.ns["made"] == "bb"
    assert liveimport.registered(shell.ns) == ["import n2a", "from n2b import B"]
