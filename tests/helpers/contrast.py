"""WCAG 2 contrast ratio of two colours, for the N7 colour checks."""

from __future__ import annotations

import re

AA = 4.5


def parse_colour(text: str) -> tuple[float, float, float, float]:
    """``#rrggbb``, ``rgb(r, g, b)`` or ``rgba(r, g, b, a)`` as (r, g, b, alpha), 0-255."""
    text = text.strip()
    if text.startswith("#"):
        digits = text[1:]
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    if len(numbers) == 3:
        numbers.append(1.0)
    r, g, b, a = numbers
    return (r, g, b, a)


def _luminance(colour: tuple[float, float, float, float]) -> float:
    channels = []
    for value in colour[:3]:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str, background: str) -> float:
    """Contrast of two opaque colours, from 1 (none) to 21 (black on white)."""
    a, b = _luminance(parse_colour(foreground)), _luminance(parse_colour(background))
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)
