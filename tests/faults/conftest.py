"""The fault matrix's common world: ``a`` imports ``b``, both logged and registered.

Nothing here imports IPython.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def ab(modules, log, ns, imp) -> dict[str, Any]:
    """``a`` imports ``b``; the namespace registered ``from a import fa`` and
    ``from b import fb``."""
    modules.write("b", "def fb(): return 'b1'\n" + log.line)
    modules.write("a", "from b import fb\ndef fa(): return 'a1:' + fb()\n" + log.line)
    imp("from a import fa\nfrom b import fb")
    log.clear()
    return ns
