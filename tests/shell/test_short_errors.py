"""§5 (r2): in a notebook, a bad argument to a public function shows the user's
own call and one clear message, not a traceback through LiveImport's internals.
The exception raised is the same as in plain Python."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest
from IPython.core.interactiveshell import InteractiveShell

import liveimport
from helpers.ipython_shell import close_shell
from liveimport import _ipython

PACKAGE = os.path.dirname(liveimport.__file__)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shown(capsys) -> str:
    captured = capsys.readouterr()
    return ANSI.sub("", captured.out + captured.err)


def shown_short(capsys) -> tuple[str, list[str]]:
    """What the shell printed for an error shown the short way (§5 (r2)): no
    frame of LiveImport's own and at most five non-blank lines; the text and
    those lines."""
    text = shown(capsys)
    lines = [line for line in text.splitlines() if line.strip()]
    assert PACKAGE not in text and "_api.py" not in text, text  # no LiveImport internals
    assert len(lines) <= 5, text
    return text, lines


BAD_CALLS = [
    pytest.param(
        "liveimport.auto_sync(grace=-1)", ValueError, "auto_sync: grace must be", id="N4-grace"
    ),
    pytest.param(
        "liveimport.auto_sync(on_error='later')",
        ValueError,
        "auto_sync: on_error must be",
        id="N4-on_error",
    ),
    pytest.param(
        "liveimport.register(globals(), 'import s5_nosuch')",
        ValueError,
        "Module s5_nosuch",
        id="C1-unknown-module",
    ),
    pytest.param(
        "liveimport.register(globals(), 'x = 1')",
        ValueError,
        "is not an import statement",
        id="C1-not-an-import",
    ),
    pytest.param(
        "liveimport.register(globals(), 'import (')", SyntaxError, "invalid syntax", id="C1-syntax"
    ),
    pytest.param(
        "liveimport.register([], 'import os')",
        TypeError,
        "namespace must be a dict",
        id="C1-namespace",
    ),
    pytest.param(
        "liveimport.register(globals(), 'from . import x')",
        ImportError,
        "outside any package",
        id="C1-relative",
    ),
    pytest.param(
        "liveimport.register(globals(), 'import os', clear='no')",
        TypeError,
        "clear must be",
        id="C1-clear",
    ),
    pytest.param(
        "liveimport.workspace('/nope/s5')", ValueError, "does not exist", id="C5-missing-dir"
    ),
    pytest.param(
        "liveimport.hidden_cell_magic('yes')",
        ValueError,
        "hidden_cell_magic: enabled",
        id="N3-flag",
    ),
    pytest.param(
        "liveimport.sync(observer=3)", TypeError, "observer must be callable", id="C2-observer"
    ),
    pytest.param(
        "liveimport.registered(3)", TypeError, "namespace must be a dict", id="A3-namespace"
    ),
]


@pytest.mark.parametrize(("call", "kind", "message"), BAD_CALLS)
def test_s5_bad_argument_shows_the_users_call_and_one_message(shell, capsys, call, kind, message):
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    result = shell.run(call)
    assert type(result.error_in_exec) is kind  # the documented exception itself
    text, lines = shown_short(capsys)
    assert call in text  # the user's own call
    last = lines[-1]
    assert last.startswith(f"{kind.__name__}: ") and message in last


def test_s5_the_exception_keeps_its_whole_traceback_for_debugging(shell, capsys):
    shell.ns["liveimport"] = liveimport
    result = shell.run("liveimport.workspace('/nope/s5')")
    error = result.error_in_exec
    files = []
    tb = error.__traceback__
    while tb is not None:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    assert any(f.startswith(PACKAGE) for f in files)  # only its display is short
    assert sys.last_value is error  # %tb and %debug see this error
    shell.run("%tb")
    assert PACKAGE in shown(capsys)


def test_s5_a_call_from_the_users_own_function_shows_both_frames(shell, capsys):
    shell.ns["liveimport"] = liveimport
    shell.run("def configure():\n    liveimport.auto_sync(grace='soon')\n")
    capsys.readouterr()
    result = shell.run("configure()")
    assert isinstance(result.error_in_exec, ValueError)
    text = shown(capsys)
    assert "configure()" in text and "liveimport.auto_sync(grace='soon')" in text
    assert PACKAGE not in text


def test_s5_register_of_a_module_that_cannot_be_parsed_is_short_too(shell, modules, capsys):
    modules.write("s5mod", "value = 1\n")
    shell.run("import s5mod")
    modules.write("s5mod", "value = (\n")
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    result = shell.run("liveimport.register(globals(), 'import s5mod')")
    error = result.error_in_exec
    assert isinstance(error, liveimport.ModuleError) and error.phase == "analysis"
    text, lines = shown_short(capsys)
    assert "Analysis of s5mod" in lines[-1]
    assert "The above exception" not in text  # the message says it all


def test_s5_other_errors_show_as_ipython_shows_them(shell, capsys):
    """The user's own errors, and errors raised inside the user's code that
    LiveImport called, keep IPython's full traceback."""
    capsys.readouterr()
    shell.run("def mine():\n    raise ValueError('mine')\nmine()")
    text = shown(capsys)
    assert "ValueError: mine" in text and "----> 3 mine()" in text and "raise ValueError" in text
    shell.ns["liveimport"] = liveimport
    shell.run("liveimport.register(globals(), 'import (', clear=False)")
    capsys.readouterr()
    assert not shell.run("int('x')").success
    assert "invalid literal" in shown(capsys)


def test_s5_an_error_in_the_users_observer_keeps_its_frames(shell, modules, capsys):
    modules.write("s5obs", "value = 1\n")
    assert shell.run("%%liveimport\nimport s5obs").success
    liveimport.auto_sync(False)
    modules.write("s5obs", "value = 2\n")
    shell.ns["liveimport"] = liveimport
    shell.run("def watch(event):\n    raise ValueError('observer broke')\n")
    capsys.readouterr()
    result = shell.run("liveimport.sync(observer=watch)")
    assert isinstance(result.error_in_exec, ValueError)
    text = shown(capsys)
    assert "raise ValueError('observer broke')" in text  # the user's frame is there
    assert "ValueError: observer broke" in text


def test_s5_reload_failure_of_an_explicit_sync_keeps_the_modules_traceback(shell, modules, capsys):
    modules.write("s5boom", "value = 1\n")
    assert shell.run("%%liveimport\nimport s5boom").success
    liveimport.auto_sync(False)
    modules.write("s5boom", "value = 2\nraise KeyError('in the module')\n")
    shell.ns["liveimport"] = liveimport
    capsys.readouterr()
    result = shell.run("liveimport.sync()")
    assert isinstance(result.error_in_exec, liveimport.ModuleError)
    text = shown(capsys)
    # The module's own frame, as IPython shows it (or, if its formatter
    # fails, as Python does).
    assert re.search(re.escape(str(modules.path("s5boom"))) + r'(:2|", line 2)', text)
    assert "The above exception was the direct cause" in text


def test_s5_another_extensions_exception_handler_is_left_alone(modules):
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance()
    seen = []

    def theirs(self, etype, value, tb, tb_offset=None):
        seen.append(value)

    ip.set_custom_exc((ValueError,), theirs)
    try:
        ip.run_line_magic("load_ext", "liveimport")
        ip.user_ns["liveimport"] = liveimport
        ip.run_cell("liveimport.auto_sync(grace=-1)")
        assert len(seen) == 1 and isinstance(seen[0], ValueError)
        _ipython.uninstall(ip)
        assert ip.custom_exceptions == (ValueError,)  # still theirs
    finally:
        _ipython.uninstall(ip)
        close_shell(ip)


def test_s5_unload_removes_the_handler(shell):
    assert shell.ip.custom_exceptions
    shell.ip.run_line_magic("unload_ext", "liveimport")
    assert shell.ip.custom_exceptions == ()
    shell.ip.run_line_magic("load_ext", "liveimport")
    assert shell.ip.custom_exceptions


def test_s5_the_short_display_leaves_the_exceptions_chain_intact(shell, modules, capsys):
    modules.write("s5chain", "value = 1\n")
    shell.run("import s5chain")
    modules.write("s5chain", "value = (\n")
    shell.ns["liveimport"] = liveimport
    result = shell.run("liveimport.register(globals(), 'import s5chain')")
    error = result.error_in_exec
    assert isinstance(error.__cause__, SyntaxError)  # C7: still the original exception
    assert "SyntaxError" not in shown(capsys).splitlines()[-1].split(":")[0]


def test_s5_plain_python_raises_the_same_exceptions_and_messages(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text(
        textwrap.dedent(
            """
            import liveimport
            for call in (lambda: liveimport.auto_sync(grace=-1),
                         lambda: liveimport.workspace('/nope/s5'),
                         lambda: liveimport.register(globals(), 'x = 1')):
                try:
                    call()
                except ValueError as error:
                    print(type(error).__name__, error)
            """
        )
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=60
    )
    lines = out.stdout.splitlines()
    assert lines[0].startswith("ValueError auto_sync: grace must be")
    assert lines[1].startswith("ValueError workspace: '/nope/s5' does not exist")
    assert "is not an import statement" in lines[2]


def test_s5_pdb_on_still_starts_the_debugger(shell):
    calls = []
    shell.ip.call_pdb = True
    shell.ip.debugger = lambda force=False: calls.append(force)  # no interactive pdb here
    shell.ns["liveimport"] = liveimport
    shell.run("liveimport.auto_sync(grace=-1)")
    assert calls == [True]


def test_s5_only_frames_that_enter_liveimport_from_outside_are_trimmed():
    from liveimport._tracebacks import _public_code, user_frames

    public = _public_code()
    try:
        int("x")
    except ValueError as error:
        assert user_frames(error.__traceback__, public) is None  # never entered LiveImport
    try:
        liveimport.auto_sync(grace=-1)
    except ValueError as error:
        tb = error.__traceback__
        trimmed = user_frames(tb, public)
        assert trimmed is not None and trimmed.tb_next is None  # this frame only
        assert trimmed.tb_frame is tb.tb_frame
        assert user_frames(tb.tb_next, public) is None  # starts inside LiveImport
    from liveimport import _settings

    try:
        _settings.SETTINGS.update(grace=-1)  # an internal function, not a public one
    except ValueError as error:
        assert user_frames(error.__traceback__, public) is None
