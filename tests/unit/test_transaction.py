"""``_transaction``: one sync's analysis, reloads and error locations (C2, C7)."""

from __future__ import annotations

import sys

import pytest

import liveimport
from helpers import states
from liveimport import _api


def test_c2_a_file_deleted_between_poll_and_analysis_is_skipped(modules, imp):
    from liveimport._transaction import Transaction

    path = modules.write("racy", "X = 1\n")
    imp("import racy")
    modules.write("racy", "X = 2\n")
    engine = _api.engine()
    changed = engine.tracker.poll()
    assert [r.name for r in changed] == ["racy"]
    path.unlink()  # the user deletes it while the sync is starting
    assert Transaction(engine.tracker, engine.journals.values(), changed).run() == []
    assert states()["racy"] == "missing"
    assert sys.modules["racy"].X == 1


def test_c7_syntax_error_raised_by_module_code_is_located_where_it_points(modules, imp):
    modules.write("compiles", "X = 1\n")
    imp("import compiles")
    modules.write("compiles", "X = 2\ncompile('1 +', 'generated.py', 'exec')\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    error = info.value
    assert (error.phase, error.file, error.line) == ("reload", "generated.py", 1)
    assert sys.modules["compiles"].X == 1


def test_c7_reload_error_points_at_the_module_not_the_library(modules, imp):
    """C7: an error raised inside a library the module calls is reported at the
    module's own line, not in the library's frame."""
    path = modules.write("usesjson", "import json\nX = 1\n")
    imp("import usesjson")
    modules.write("usesjson", "import json\nX = 2\njson.loads('{bad')\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    assert (info.value.file, info.value.line) == (str(path), 3)
    assert "JSONDecodeError" in str(info.value)


def test_c7_reload_error_falls_back_to_the_innermost_user_frame(modules, outside_modules, imp):
    helper = outside_modules.write("untracked_helper", "def boom():\n    raise KeyError('x')\n")
    modules.write("callsboom", "X = 1\n")
    imp("import callsboom")
    modules.write("callsboom", "import untracked_helper\nuntracked_helper.boom()\n")
    with pytest.raises(liveimport.ModuleError) as info:
        liveimport.sync()
    # The module's own line is preferred; the helper is outside the workspace.
    assert info.value.line == 2 and info.value.file.endswith("callsboom.py")
    assert str(helper).endswith("untracked_helper.py")
