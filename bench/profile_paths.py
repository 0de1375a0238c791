"""Profile one LiveImport path on a generated workload (cProfile or tracemalloc).

Usage::

    python bench/profile_paths.py PATH [--variant realistic] [--n 1000] [--reps 20]

PATH is one of ``register``, ``nochange``, ``cell``, ``leaf``, ``cascade``,
``memory``. Prints the top functions by own time and by cumulative time (or,
for ``memory``, the allocation sites of the cascade's peak), to find where a
path that misses its issue-5 target spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import io
import os
import pstats
import sys
import tempfile
import time
import tracemalloc
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import generate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "path", choices=["register", "nochange", "cell", "leaf", "cascade", "memory"]
    )
    parser.add_argument("--variant", default="realistic")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--filter", default="", help="only functions whose path matches")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="liveimport-prof-")) / "wl"
    wl = generate(directory, args.variant, args.n)
    sys.path.insert(0, wl.directory)
    os.chdir(wl.directory)
    clock = [int(time.time()) + 10]

    def touch(name: str) -> None:
        clock[0] += 1
        ns = clock[0] * 10**9
        path = os.path.join(wl.directory, f"{name}.py")
        text = Path(path).read_text().split("# bench revision")[0]
        Path(path).write_text(f"{text}# bench revision {clock[0]:012d}\n")
        os.utime(path, ns=(ns, ns))

    shell: Any = None
    if args.path == "cell":
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=config)
        import numpy  # noqa: F401
        import pandas  # noqa: F401

    import liveimport

    source = wl.register_source()
    ns: dict[str, Any] = shell.user_ns if shell is not None else {"__name__": "__prof__"}
    exec(compile(source, "<imports>", "exec"), ns)  # noqa: S102
    liveimport.workspace(wl.directory)
    profiler = cProfile.Profile()

    if args.path == "register":
        profiler.enable()
        liveimport.register(ns, source)
        profiler.disable()
    else:
        liveimport.register(ns, source)
        liveimport.sync()

    if args.path == "nochange":
        profiler.enable()
        for _ in range(args.reps):
            liveimport.sync()
        profiler.disable()
    elif args.path == "cell":
        shell.run_line_magic("load_ext", "liveimport")
        liveimport.auto_sync(True, grace=0)
        with redirect_stdout(io.StringIO()):
            for _ in range(5):
                shell.run_cell("pass", store_history=True)
            profiler.enable()
            for _ in range(args.reps):
                shell.run_cell("pass", store_history=True)
            profiler.disable()
    elif args.path in ("leaf", "cascade"):
        name = wl.leaf if args.path == "leaf" else wl.root
        for _ in range(args.reps):
            touch(name)
            gc.collect()
            profiler.enable()
            liveimport.sync()
            profiler.disable()
    elif args.path == "memory":
        modules = [sys.modules[n] for n in wl.names]
        shallow = sum(sys.getsizeof(m.__dict__) for m in modules)
        touch(wl.root)
        gc.collect()
        tracemalloc.start(8)
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        before = tracemalloc.take_snapshot()
        # Take a snapshot at the peak: right after the last reload of the sync
        # (every A1 snapshot and every new module object is alive then).
        holder: list[Any] = []
        original_reload = importlib.reload
        count = [0]

        def reload(module: Any) -> Any:
            result = original_reload(module)
            count[0] += 1
            if count[0] == len(modules):
                holder.append(tracemalloc.take_snapshot())
            return result

        importlib.reload = reload
        try:
            liveimport.sync()
        finally:
            importlib.reload = original_reload
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        print(f"dict shallow {shallow / 1024:.0f} KiB, cascade peak {peak / 1024:.0f} KiB")
        if holder:
            stats = holder[0].compare_to(before, "lineno")
            print("allocation sites alive right after the last reload:")
            for stat in stats[: args.top]:
                print(f"  {stat.size_diff / 1024:9.1f} KiB {stat.count_diff:7d}  {stat.traceback}")
        return

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    restrict: list[Any] = [args.filter, args.top] if args.filter else [args.top]
    stats.sort_stats("tottime").print_stats(*restrict)
    stats.sort_stats("cumulative").print_stats(*restrict)
    print(out.getvalue())


if __name__ == "__main__":
    main()
