"""Command line: ``python -m liveimport demo [--fast] | enable | disable | --version``."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence

from ._version import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="liveimport", description="LiveImport: reload edited modules in a running notebook."
    )
    parser.add_argument("--version", action="version", version=f"liveimport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="watch LiveImport reload modules in a real IPython shell"
    )
    demo.add_argument("--fast", action="store_true", help="skip the pauses")
    commands.add_parser(
        "enable", help="load LiveImport in every IPython shell and Jupyter kernel (default profile)"
    )
    commands.add_parser("disable", help="undo enable: stop loading LiveImport by default")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("IPython") is None:
        what = "The demo needs" if args.command == "demo" else f"{args.command} edits a profile of"
        print(f"{what} IPython: pip install ipython", file=sys.stderr)
        return 2
    if args.command != "demo":
        from ._profile import run as configure

        return configure(args.command)
    from ._demo import run

    return run(fast=args.fast)


if __name__ == "__main__":
    sys.exit(main())
