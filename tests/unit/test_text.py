"""C6: English phrasing of ages and name lists."""

from __future__ import annotations

import pytest

from liveimport._text import age, join_names, plural


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "just now"),
        (0.0004, "just now"),
        (0.25, "250 milliseconds ago"),
        (1, "1 second ago"),
        (36.9, "36 seconds ago"),
        (60, "1 minute ago"),
        (150, "2 minutes ago"),
        (3600 * 5, "5 hours ago"),
        (86400, "1 day ago"),
        (86400 * 3.5, "3 days ago"),
    ],
)
def test_c6_ages_read_naturally(seconds, text):
    assert age(seconds) == text


def test_c6_name_lists():
    assert join_names([]) == ""
    assert join_names(["a"]) == "a"
    assert join_names(["a", "b"]) == "a and b"
    assert join_names(["a", "b", "c"]) == "a, b, and c"
    assert plural(1, "module") == "1 module"
    assert plural(0, "module") == "0 modules"
