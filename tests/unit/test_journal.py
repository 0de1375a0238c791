"""C3: the journal's last-binder rule, without touching real files."""

from __future__ import annotations

import sys
import types

import pytest

from liveimport._journal import Journal
from liveimport._statements import Binding, Unbindable


@pytest.fixture
def fake_modules():
    """Two in-memory modules (plain ModuleType objects in sys.modules)."""
    made = {}
    for name, attrs in {
        "jt_highlight": {"red": "h-red", "blue": "h-blue", "_private": 1},
        "jt_format": {"red": "f-red", "__all__": ["red"]},
    }.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules[name] = made[name] = module
    yield made
    for name in made:
        del sys.modules[name]


def add(journal, binding):
    journal.add(binding, binding.referenced_modules(sys.modules))


def test_c3_later_star_wins_over_earlier_star(fake_modules):
    journal = Journal({"__name__": "nb"})
    add(journal, Binding("from", "jt_highlight", "*"))
    add(journal, Binding("from", "jt_format", "*"))
    assert journal.plan({"jt_highlight"}) == {"blue": "h-blue"}
    assert journal.plan({"jt_format"}) == {"red": "f-red"}
    add(journal, Binding("from", "jt_highlight", "*"))  # re-running the first cell
    assert journal.statements() == ["from jt_format import *", "from jt_highlight import *"]
    assert journal.plan({"jt_highlight"}) == {"red": "h-red", "blue": "h-blue"}


def test_c3_explicit_binder_after_star_wins(fake_modules):
    journal = Journal({})
    add(journal, Binding("from", "jt_highlight", "*"))
    add(journal, Binding("from", "jt_format", "red", "blue"))
    assert journal.plan({"jt_highlight"}) == {"red": "h-red"}
    assert journal.plan({"jt_format"}) == {"blue": "f-red"}
    assert journal.plan({"jt_format", "jt_highlight"}) == {"red": "h-red", "blue": "f-red"}


def test_c3_only_bindings_of_reloaded_modules(fake_modules):
    journal = Journal({"__name__": "nb"})
    assert not journal
    add(journal, Binding("import", "jt_format"))
    assert journal and journal.name == "nb"
    assert journal.references_any({"jt_format"})
    assert not journal.references_any({"jt_highlight"})
    assert journal.plan({"jt_highlight"}) == {}
    assert journal.plan({"jt_format"}) == {"jt_format": fake_modules["jt_format"]}
    journal.clear()
    assert not journal and journal.plan({"jt_format"}) == {}
    assert Journal({}).name == "<namespace>"


def test_c3_missing_attribute_is_unbindable(fake_modules):
    journal = Journal({})
    add(journal, Binding("from", "jt_format", "red"))
    del fake_modules["jt_format"].red
    with pytest.raises(Unbindable):
        journal.plan({"jt_format"})


def test_c3_star_of_unloaded_module_binds_nothing(fake_modules):
    journal = Journal({})
    add(journal, Binding("from", "jt_highlight", "red"))
    add(journal, Binding("from", "jt_format", "*"))
    del sys.modules["jt_format"]
    try:
        assert journal.plan({"jt_highlight"}) == {"red": "h-red"}
    finally:
        sys.modules["jt_format"] = fake_modules["jt_format"]
