"""LiveImport outside a notebook: register, edit, sync.

Run with ``python examples/quickstart.py``. It writes two small modules to a
temporary directory, imports and registers them, edits the one the other
depends on, and syncs.
"""

import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import liveimport

work = Path(tempfile.mkdtemp(prefix="liveimport-quickstart-"))
sys.path.insert(0, str(work))
liveimport.workspace(work)  # modules here are tracked when a tracked module imports them
clock = time.time_ns() - 10 * 10**9  # pretend the files were written seconds ago


def write(name: str, source: str) -> None:
    global clock
    clock += 10**9
    path = work / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    os.utime(path, ns=(clock, clock))  # explicit mtimes: no sleeping needed


write("units", "SCALE = 1000\n")
write(
    "physics",
    """
    from units import SCALE

    def energy(mass):
        return mass * SCALE
    """,
)

import physics  # noqa: F401  (run the imports for real, then register them)
from physics import energy

liveimport.register(globals(), "import physics\nfrom physics import energy")
print("before the edit:", energy(2))

write("units", "SCALE = 1\n")  # edit only the dependency
for event in liveimport.sync():
    print(event)
print("after the edit: ", energy(2))
print()
print(liveimport.status())
