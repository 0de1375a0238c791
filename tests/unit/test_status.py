"""``_status``: the ``Status`` snapshot's plain-text forms (A3)."""

from __future__ import annotations

import liveimport
from liveimport._status import Status


def test_a3_status_pretty_prints_as_its_text_table(modules):
    class Printer:
        def __init__(self):
            self.parts = []

        def text(self, value):
            self.parts.append(value)

    status = liveimport.status()
    assert isinstance(status, Status)
    printer = Printer()
    status._repr_pretty_(printer, False)
    assert printer.parts == [str(status)]
