"""N3/N4: settings validation is all-or-nothing."""

from __future__ import annotations

import math

import pytest

from liveimport._settings import Settings


@pytest.mark.parametrize(
    "kwargs",
    [
        {"enabled": "yes"},
        {"report": 1},
        {"grace": -1},
        {"grace": math.inf},
        {"grace": math.nan},
        {"grace": True},
        {"grace": "1"},
        {"grace": 10**400},
        {"on_error": "ignore"},
        {"enabled": False, "grace": -1},
    ],
)
def test_n4_bad_values_change_nothing(kwargs):
    settings = Settings()
    before = dict(vars(settings))
    with pytest.raises(ValueError, match="auto_sync: "):
        settings.update(**kwargs)
    assert vars(settings) == before


def test_n4_none_leaves_settings_and_values_apply():
    settings = Settings()
    settings.update(enabled=False, grace=2, report=False, on_error="warn")
    assert (settings.enabled, settings.grace, settings.report, settings.on_error) == (
        False,
        2.0,
        False,
        "warn",
    )
    settings.update()
    assert settings.grace == 2.0 and isinstance(settings.grace, float)


def test_n3_hidden_magic_switch():
    settings = Settings()
    settings.set_hidden_magic(False)
    assert settings.hidden_magic is False
    with pytest.raises(ValueError, match="hidden_cell_magic"):
        settings.set_hidden_magic("off")
    assert settings.hidden_magic is False
