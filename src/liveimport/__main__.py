"""Command line: ``python -m liveimport demo [--fast]``."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="liveimport", description="LiveImport: reload edited modules in a running notebook."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="watch LiveImport reload modules in a real IPython shell"
    )
    demo.add_argument("--fast", action="store_true", help="skip the pauses")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("IPython") is None:
        print("The demo needs IPython: pip install ipython", file=sys.stderr)
        return 2
    from ._demo import run

    return run(fast=args.fast)


if __name__ == "__main__":
    sys.exit(main())
