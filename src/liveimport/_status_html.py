"""HTML rendering of ``Status`` for notebooks (placeholder until the IPython issue)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._status import Status


def render_html(status: Status) -> str:
    from ._status import render_text

    return "<pre>" + html.escape(render_text(status)) + "</pre>"
