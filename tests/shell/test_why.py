"""A5 and N7 in a real IPython shell: ``%liveimport why <module>`` prints
``status().explain``, and the status display hints at untracked imports."""

from __future__ import annotations

import os

import pytest
from IPython.core.error import UsageError

import liveimport
from liveimport._status_html import render_html


def test_n7_a5_why_magic_prints_the_explanation(shell, modules, capsys):
    modules.write("whylow", "X = 1\n")
    modules.write("whyhigh", "from whylow import X\n")
    assert shell.run("%%liveimport\nimport whyhigh").success
    capsys.readouterr()
    assert shell.run("%liveimport why whylow  # a comment").success
    out = capsys.readouterr().out
    assert out == liveimport.status().explain("whylow") + "\n"
    assert out.startswith("whylow is tracked: whyhigh imports it at top level")
    modules.write("whylow", "X = 2\n")
    assert shell.run("%liveimport why whyhigh").success  # a control cell syncs and runs
    out = capsys.readouterr().out
    assert "Reloaded whyhigh because whylow reloaded." in out


@pytest.mark.parametrize("line", ["why", "why a b", "what x", "--clear"])
def test_n7_why_magic_usage_errors(shell, line):
    result = shell.run(f"%liveimport {line}")
    assert isinstance(result.error_in_exec, UsageError)
    assert "%liveimport why <module>" in str(result.error_in_exec)


def test_a5_status_display_hints_at_untracked_imports(shell, modules, outside_modules):
    outside_modules.write("whyfar", "X = 1\n")
    modules.write("whynear", "import whyfar\n")
    assert shell.run("%%liveimport\nimport whynear").success
    os.chdir(modules.root)  # the notebook's folder; the fixture restores it
    status = liveimport.status()
    assert status.untracked_imports == ("whyfar",)
    page = render_html(status)
    assert "Imported by tracked modules but outside the workspace" in page
    assert "<code>whyfar</code>" in page and "(imported by whynear)" in page
    assert "To track them: <code>liveimport.workspace(&quot;../outside&quot;, extend=True)" in page
    liveimport.workspace(modules.root, outside_modules.root)
    assert "liveimport-untracked" not in render_html(liveimport.status())
