"""``python -m liveimport demo``: LiveImport at work in a real IPython shell.

Everything happens in a throwaway directory: a three-module chain and two
formatters, a registration cell with an alias and two star imports, edits
that show a dependent reload, rebinding in statement order and the stale-object
and stale-output notices, a broken edit that stops a cell and its fix,
``%liveimport why`` and the status display.
"""

from __future__ import annotations

import atexit
import inspect
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
    GRAVITY = 9.81  # m/s^2, on Earth
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

#: The same formula for a stone thrown down at ``V0`` m/s; ``{v0}`` is filled in.
PHYSICS_THROWN = textwrap.dedent(
    """\
    # physics.py: formulas, using units
    from units import GRAVITY

    V0 = {v0}  # m/s: the stone is thrown down


    def fall_distance(seconds):
        return V0 * seconds + 0.5 * GRAVITY * seconds**2
"""
)

SIMULATOR = textwrap.dedent(
    """\
    # simulator.py: what the notebook calls
    from physics import fall_distance


    class Stone:
        def __init__(self, seconds):
            self.seconds = seconds
            self.fallen = fall_distance(seconds)


    def simulate(seconds):
        return fall_distance(seconds)
"""
)

PLAIN = textwrap.dedent(
    """\
    # plain.py: a terse formatter
    def fmt(metres):
        return f"{metres:.1f} m"
"""
)

FANCY = textwrap.dedent(
    """\
    # fancy.py: a wordier formatter with the same name
    def fmt(metres):
        return f"about {metres:.1f} metres"
"""
)

MODULES = ("units", "physics", "simulator", "plain", "fancy")


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
            # Clean the shell up now rather than at interpreter exit, so that a
            # process running the demo more than once does not accumulate them.
            atexit.unregister(shell.atexit_operations)
            shell.atexit_operations()  # type: ignore[no-untyped-call]
            InteractiveShell.clear_instance()
            sys.path.remove(str(root))
            os.chdir(old_cwd)
            for name in MODULES:
                sys.modules.pop(name, None)


def _script(demo: Demo, shell: object, stream: TextIO) -> int:
    from IPython.core.interactiveshell import InteractiveShell

    assert isinstance(shell, InteractiveShell)

    run_cell: Callable[..., ExecutionResult] = shell.run_cell
    # Notebook frontends send each cell's id with its code (A4 needs them);
    # an IPython too old to take one runs the demo without.
    with_ids = "cell_id" in inspect.signature(run_cell).parameters
    outputs: list[str] = []

    def cell(code: str) -> bool:
        number = shell.execution_count
        stream.write(f"\nIn [{number}]: " + code.replace("\n", "\n   ...: ") + "\n")
        stream.flush()
        demo.wait(0.5)
        ids = {"cell_id": f"demo-cell-{number}"} if with_ids else {}
        result = run_cell(code, store_history=True, **ids)
        outputs.append(repr(result.result))
        stream.flush()
        demo.wait()
        return bool(result.success)

    demo.say(f"A throwaway folder for this demo: {demo.root}")
    demo.say("Three modules in a chain (simulator imports physics, physics imports units),")
    demo.write("units", UNITS)
    demo.write("physics", PHYSICS)
    demo.write("simulator", SIMULATOR)
    demo.say("and two formatters that both define fmt.")
    demo.write("plain", PLAIN)
    demo.write("fancy", FANCY)

    demo.say(
        "In a notebook, `import liveimport` is all the setup: the notebook's folder is\n"
        "# the workspace, and a one-second grace period keeps 'Run All' on one version\n"
        "# of the code. This demo started elsewhere and types faster than you, so it\n"
        "# names its workspace and turns the grace period off:"
    )
    ok = cell("import liveimport\nliveimport.workspace('.')\nliveimport.auto_sync(grace=0)")

    demo.say(
        "A registration cell runs like any cell, then LiveImport remembers its imports:\n"
        "# an alias, and two star imports where the later one wins fmt, as in Python."
    )
    ok &= cell(
        "#_%%liveimport --clear\n"
        "from simulator import Stone, simulate\n"
        "from units import GRAVITY as g\n"
        "from plain import *\n"
        "from fancy import *"
    )
    ok &= cell("stone = Stone(2)")
    ok &= cell("g, fmt(simulate(2))")

    demo.say("Edit units.py, which physics imports and the notebook took GRAVITY from as g...")
    demo.write("units", UNITS.replace("9.81  # m/s^2, on Earth", "1.62  # m/s^2, on the Moon"))
    demo.say(
        "...units reloads, then physics and simulator, which depend on it; the alias g\n"
        "# is rebound; `stone` still holds the old Stone class; and the cells whose\n"
        "# outputs came from the old code are named."
    )
    ok &= cell("g, fmt(simulate(2))")

    demo.say("Edit plain.py: the later `from fancy import *` still owns fmt, so fmt stays.")
    demo.write("plain", PLAIN.replace('f"{metres:.1f} m"', 'f"{metres:.2f} m (plain)"'))
    ok &= cell("fmt(simulate(2))")

    demo.say("A broken edit: physics.py now throws the stone, but with a name that does not exist.")
    demo.write("physics", PHYSICS_THROWN.format(v0="speed"))
    demo.say("The sync fails, nothing is reloaded, and the cell does not run.")
    stopped = not cell("fmt(simulate(2))")

    demo.say("Fix the file and run the cell again: the new code runs.")
    demo.write("physics", PHYSICS_THROWN.format(v0="5.0"))
    ok &= cell("fmt(simulate(2))")

    demo.say("Why is physics tracked, and what did the last sync do with it?")
    ok &= cell("%liveimport why physics")

    demo.say("%liveimport shows everything that is tracked, why, and in what state.")
    ok &= cell("%liveimport")

    demo.say(
        "That's LiveImport. `python -m liveimport enable` loads it in every IPython\n"
        "# shell and Jupyter kernel; docs/guide.md has the details."
    )
    # The outputs the story promises: the alias rebound, fmt kept by statement
    # order, and a fix whose result differs from what ran before the break.
    # (One entry per cell: In [1] is outputs[0].)
    before_break, after_fix = outputs[5], outputs[7]
    planned = (
        outputs[3] == repr((9.81, "about 19.6 metres"))
        and outputs[4] == repr((1.62, "about 3.2 metres"))
        and before_break == repr("about 3.2 metres")
        and after_fix == repr("about 13.2 metres")
    )
    if not (ok and stopped and planned):
        stream.write("\nThe demo did not go as planned; please report this.\n")
        return 1
    return 0
