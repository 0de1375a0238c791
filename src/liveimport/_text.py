"""English phrasing shared by events, errors, reports and status output."""

from __future__ import annotations

from collections.abc import Sequence

_UNITS: tuple[tuple[str, float], ...] = (
    ("day", 86400.0),
    ("hour", 3600.0),
    ("minute", 60.0),
    ("second", 1.0),
)


def plural(count: int, word: str) -> str:
    """``plural(1, "module") == "1 module"``, ``plural(2, "module") == "2 modules"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def join_names(names: Sequence[str]) -> str:
    """Join names the way a person writes them: ``a``, ``a and b``, ``a, b, and c``."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f", and {names[-1]}"


def age(seconds: float) -> str:
    """Describe how long ago something happened: ``"36 seconds ago"``.

    Ages under a second read in milliseconds; anything not in the past (clock
    skew, a file stamped in the future) reads ``"just now"``.
    """
    if seconds < 0.001:
        return "just now"
    if seconds < 1.0:
        return plural(int(seconds * 1000), "millisecond") + " ago"
    for unit, size in _UNITS:
        if seconds >= size:
            return plural(int(seconds // size), unit) + " ago"
    raise AssertionError("unreachable: the smallest unit is one second")  # pragma: no cover
