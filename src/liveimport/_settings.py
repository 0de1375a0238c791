"""Automatic-sync settings (N3, N4). They survive ``reset()``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

OnError = Literal["stop", "warn"]


def _grace_seconds(grace: object) -> float | None:
    """``grace`` as seconds, or None if it is not a finite number >= 0."""
    if isinstance(grace, bool) or not isinstance(grace, (int, float)):
        return None
    try:
        seconds = float(grace)
    except OverflowError:  # an int too large for a float
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


@dataclass
class Settings:
    """What the IPython integration does around each cell."""

    enabled: bool = True
    grace: float = 1.0
    report: bool = True
    on_error: OnError = "stop"
    hidden_magic: bool = True

    def update(
        self,
        enabled: object = None,
        grace: object = None,
        report: object = None,
        on_error: object = None,
    ) -> None:
        """Validate every given value first, then apply them all (or none)."""
        if enabled is not None and not isinstance(enabled, bool):
            raise ValueError(f"auto_sync: enabled must be True or False, not {enabled!r}")
        if report is not None and not isinstance(report, bool):
            raise ValueError(f"auto_sync: report must be True or False, not {report!r}")
        seconds = None if grace is None else _grace_seconds(grace)
        if grace is not None and seconds is None:
            raise ValueError(
                f"auto_sync: grace must be a finite number of seconds >= 0, not {grace!r}"
            )
        if on_error is not None and on_error not in ("stop", "warn"):
            raise ValueError(f"auto_sync: on_error must be 'stop' or 'warn', not {on_error!r}")
        if enabled is not None:
            self.enabled = enabled
        if seconds is not None:
            self.grace = seconds
        if report is not None:
            self.report = report
        if on_error is not None:
            self.on_error = on_error

    def set_hidden_magic(self, enabled: object) -> None:
        if not isinstance(enabled, bool):
            raise ValueError(f"hidden_cell_magic: enabled must be True or False, not {enabled!r}")
        self.hidden_magic = enabled


#: The process-wide settings. ``reset()`` keeps them.
SETTINGS = Settings()
