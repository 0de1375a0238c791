"""``_api``: argument checks and ``reset()`` of the public entry points (§5, A3)."""

from __future__ import annotations

import pytest

import liveimport
from liveimport import _api


def test_reset_keeps_the_same_engine_object(modules):
    engine = _api.engine()
    liveimport.reset()
    assert _api.engine() is engine  # in-place: concurrent callers never lose work


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ns: liveimport.register(ns, "import os", clear="no"), "clear must be True"),
        (
            lambda ns: liveimport.register(ns, "import os", allow_other_statements=1),
            "allow_other_statements must be True",
        ),
        (lambda ns: liveimport.workspace(".", extend="yes"), "extend must be True"),
    ],
)
def test_s5_flags_must_be_booleans_and_errors_change_nothing(modules, call, message):
    import os as os_module

    ns = {"os": os_module}
    liveimport.register(ns, "import os")
    before = (liveimport.registered(ns), liveimport.status())
    with pytest.raises(TypeError, match=message):
        call(ns)
    assert (liveimport.registered(ns), liveimport.status()) == before


def test_a3_reset_returns_the_workspace_to_its_default_and_keeps_settings(modules):
    from liveimport._settings import SETTINGS
    from liveimport._workspace import INITIAL_CWD

    liveimport.workspace(modules.root)
    liveimport.auto_sync(enabled=False, grace=2.5, report=False, on_error="warn")
    liveimport.hidden_cell_magic(False)
    liveimport.reset()
    assert liveimport.status().workspace == (INITIAL_CWD,)
    assert (SETTINGS.enabled, SETTINGS.grace, SETTINGS.report, SETTINGS.on_error) == (
        False,
        2.5,
        False,
        "warn",
    )
    assert SETTINGS.hidden_magic is False


def test_s0_the_public_surface_below_the_package_is_what_it_exports():
    """§0: ``_api.PUBLIC`` (what modules below the package recognise as public)
    is exactly what ``liveimport`` exports, plus ``poll_lazy_imports``."""
    exported = {getattr(liveimport, name) for name in liveimport.__all__}
    assert set(_api.PUBLIC) == exported | {liveimport.poll_lazy_imports}
    assert len(_api.PUBLIC) == len(set(_api.PUBLIC))
