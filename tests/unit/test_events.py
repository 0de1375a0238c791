"""``_events``: what a ``ReloadEvent`` says about itself (C6)."""

from __future__ import annotations

import time

from liveimport import ReloadEvent


def test_c6_a_dependent_with_nothing_reloaded_before_it_reads_as_a_cycle_member():
    from liveimport import ReloadEvent

    assert str(ReloadEvent("ring", "dependent", 0.0, [])) == "Reloaded ring with its import cycle"


def test_c6_event_fields_and_text():
    now = time.time()
    event = ReloadEvent("symcode", "modified", now - 36.2)
    assert str(event) == "Reloaded symcode modified 36 seconds ago"
    assert event.after == []
    dep = ReloadEvent("simulator", "dependent", now, ["symcode", "units", "timeutils"])
    assert str(dep) == "Reloaded simulator because symcode, units, and timeutils reloaded"
    assert repr(ReloadEvent).startswith("<class 'liveimport.ReloadEvent'")
