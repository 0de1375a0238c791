"""``ReloadEvent``: one successful module reload."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ._text import age, join_names

Reason = Literal["modified", "dependent"]


@dataclass(frozen=True, slots=True)
class ReloadEvent:
    """A module LiveImport reloaded during a sync.

    ``reason`` is ``"modified"`` when the module's own source changed and
    ``"dependent"`` when it was reloaded only because modules it imports
    (``after``) reloaded earlier in the same sync. ``mtime`` is the source
    file's modification time, in seconds since the epoch, as last seen.
    """

    module: str
    reason: Reason
    mtime: float
    after: list[str] = field(default_factory=list)
    #: When ``after`` is empty for a dependent: the module it depends on that
    #: was still re-executing further up an import cycle (C6).
    _via: tuple[str, ...] = field(default=(), repr=False, compare=False)

    __module__ = "liveimport"

    def __str__(self) -> str:
        if self.reason == "modified":
            return f"Reloaded {self.module} modified {age(time.time() - self.mtime)}"
        causes = self.after or list(self._via)
        if not causes:
            return f"Reloaded {self.module} with its import cycle"
        return f"Reloaded {self.module} because {join_names(causes)} reloaded"


#: What ``sync(observer=...)`` accepts: a callable given each ``ReloadEvent``
#: of a sync that committed, in reload order. Its return value is ignored.
Observer = Callable[[ReloadEvent], object]
