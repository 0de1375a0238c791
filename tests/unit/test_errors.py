"""``_errors``: ``ModuleError`` presents itself as liveimport's and says what failed where (C7)."""

from __future__ import annotations

from liveimport import ModuleError


def test_c7_module_error_text_names_module_phase_location_cause():
    try:
        try:
            1 / 0  # noqa: B018
        except ZeroDivisionError as cause:
            raise ModuleError("symcode", "reload", "/w/symcode.py", 12) from cause
    except ModuleError as error:
        text = str(error)
    assert "symcode" in text and "reload" in text
    assert "/w/symcode.py, line 12" in text
    assert "ZeroDivisionError: division by zero" in text
    assert ModuleError.__module__ == "liveimport"
    assert repr(ModuleError("m", "analysis")) == "ModuleError(module='m', phase='analysis')"


def test_c7_module_error_without_location_or_cause():
    error = ModuleError("m", "rebind", detail="m has no attribute 'x'")
    assert error.location is None
    assert str(error).endswith("[phase: rebind]: m has no attribute 'x'")
    bare = ModuleError("m", "analysis", "/f.py")
    assert bare.location == "/f.py" and bare.cause_text == "unknown cause"
    bare.__cause__ = SyntaxError("invalid syntax")
    assert bare.cause_text == "SyntaxError: invalid syntax"
    bare.__cause__ = KeyError()
    assert bare.cause_text == "KeyError"
