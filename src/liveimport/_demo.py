"""``python -m liveimport demo``: LiveImport at work in a real IPython shell.

Everything happens in a throwaway directory: a three-module chain, a
``%%liveimport`` cell, edits to the files, a broken edit and its fix.
"""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from IPython.core.interactiveshell import ExecutionResult

UNITS = textwrap.dedent(
    """\
    # units.py: constants everything else builds on
    GRAVITY = 9.81  # m/s^2
"""
)

PHYSICS = textwrap.dedent(
    """\
    # physics.py: formulas, using units
    from units import GRAVITY


    def fall_distance(seconds):
        return 0.5 * GRAVITY * seconds**2
"""
)

SIMULATOR = textwrap.dedent(
    """\
    # simulator.py: what the notebook calls
    from physics import fall_distance


    def simulate(seconds):
        return f"after {seconds} s a dropped stone has fallen {fall_distance(seconds):.1f} m"
"""
)


class Demo:
    def __init__(self, root: Path, out: TextIO, pause: float) -> None:
        self.root = root
        self.out = out
        self.pause = pause
        self.clock = time.time_ns()
        self.colour = out.isatty()

    def say(self, text: str) -> None:
        bold, plain = ("\033[1;36m", "\033[0m") if self.colour else ("", "")
        self.out.write(f"\n{bold}# {text}{plain}\n")
        self.out.flush()
        self.wait()

    def wait(self, factor: float = 1.0) -> None:
        if self.pause:
            time.sleep(self.pause * factor)

    def write(self, name: str, source: str) -> None:
        path = self.root / f"{name}.py"
        path.write_text(source)
        # A fresh, strictly later mtime each time: the demo edits faster than
        # some filesystems' timestamp resolution.
        self.clock = max(self.clock + 1_000_000, time.time_ns())
        os.utime(path, ns=(self.clock, self.clock))
        self.out.write(f"--- {path.name} ---\n{source}")
        self.out.flush()
        self.wait(0.5)


def run(fast: bool = False, out: TextIO | None = None) -> int:
    """Run the demonstration; returns a process exit status."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    stream = out if out is not None else sys.stdout
    old_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="liveimport-demo-") as tmp:
        root = Path(tmp).resolve()
        demo = Demo(root, stream, 0.0 if fast else 1.2)
        os.chdir(root)
        sys.path.insert(0, str(root))
        config = Config()
        config.HistoryManager.enabled = False
        if not stream.isatty():
            config.InteractiveShell.colors = "nocolor"
        shell = InteractiveShell.instance(config=config)
        from . import _ipython

        # ``python -m liveimport`` imported liveimport before any shell existed,
        # so the notebook's ``import liveimport`` below would find nothing to do.
        _ipython.install(shell)
        try:
            return _script(demo, shell, stream)
        finally:
            _ipython.uninstall(shell)
            InteractiveShell.clear_instance()
            sys.path.remove(str(root))
            os.chdir(old_cwd)
            for name in ("units", "physics", "simulator"):
                sys.modules.pop(name, None)


def _script(demo: Demo, shell: object, stream: TextIO) -> int:
    from IPython.core.interactiveshell import InteractiveShell

    assert isinstance(shell, InteractiveShell)

    run_cell: Callable[..., ExecutionResult] = shell.run_cell

    def cell(code: str) -> bool:
        stream.write(f"\nIn [{shell.execution_count}]: " + code.replace("\n", "\n   ...: ") + "\n")
        stream.flush()
        demo.wait(0.5)
        result = run_cell(code, store_history=True)
        stream.flush()
        demo.wait()
        return bool(result.success)

    demo.say(f"A throwaway workspace: {demo.root}")
    demo.say("Three modules in a chain: simulator imports physics, physics imports units.")
    demo.write("units", UNITS)
    demo.write("physics", PHYSICS)
    demo.write("simulator", SIMULATOR)

    demo.say("In a notebook, `import liveimport` is all the setup there is.")
    ok = cell("import liveimport")
    # A notebook's workspace is its own directory; this process started elsewhere.
    # And the demo types far faster than a person: no grace period between cells.
    run_cell("liveimport.workspace('.'); liveimport.auto_sync(grace=0)", store_history=False)

    demo.say("A %%liveimport cell runs like any cell, then registers its imports.")
    ok &= cell("%%liveimport --clear\nfrom simulator import simulate")
    ok &= cell("simulate(2)")

    demo.say("Now edit units.py. Nobody imports it in the notebook, yet...")
    demo.write("units", UNITS.replace("9.81  # m/s^2", "1.62  # m/s^2, on the Moon"))
    demo.say("...the next cell reloads units, then physics and simulator, in that order.")
    ok &= cell("simulate(2)")

    demo.say("A broken edit: physics.py now refers to a name that does not exist.")
    demo.write("physics", PHYSICS.replace("0.5 * GRAVITY", "HALF * GRAVITY") + "\nHALF = half\n")
    demo.say("The sync fails, nothing is reloaded, and the cell does not run.")
    stopped = not cell("simulate(2)")

    demo.say("Fix the file and simply run the cell again.")
    demo.write("physics", PHYSICS.replace("0.5 * GRAVITY", "HALF * GRAVITY") + "\nHALF = 0.5\n")
    ok &= cell("simulate(2)")

    demo.say("%liveimport shows what is tracked, why, and in what state.")
    ok &= cell("%liveimport")

    demo.say("That's LiveImport. Read docs/guide.md for the details.")
    if not (ok and stopped):
        stream.write("\nThe demo did not go as planned; please report this.\n")
        return 1
    return 0
