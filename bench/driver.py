"""Benchmark driver: runs in a subprocess, in the venv of the implementation under test.

Stand-alone on purpose (standard library, ``liveimport``, IPython, numpy and
pandas only): the same file drives our package and the PyPI package, each in its
own interpreter, and writes raw samples as JSON to ``--out``. ``bench.py``
computes medians and ratios.

Modes:

* ``register``: import the N workload modules (the floor), then ``register()``
  the N ``import`` statements. One sample per process, so every sample sees a
  fresh interpreter with warm ``.pyc`` files and nothing tracked yet.
* ``steady``: import and register once, then interleave over rounds the no-change
  sync, the leaf change, the cascade and the per-cell overhead in an IPython
  shell, each against its floor; finally the cascade's peak memory.

If ``liveimport`` cannot be imported (``--impl none``, or the engine has not
landed yet), only the floors are measured.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import itertools
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

# The clock: CPU time of this process by default. The machine is shared (2 cores,
# other people's test suites), and CPU time of an in-memory workload is what the
# wall time would be on an idle machine; ``--clock wall`` uses perf_counter.
perf = time.process_time_ns


class Files:
    """The workload description and explicit-mtime changes (never sleeps)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        spec = json.loads((Path(directory) / "workload.json").read_text())
        self.names: list[str] = spec["names"]
        self.root: str = spec["root"]
        self.leaf: str = spec["leaf"]
        self.files = [os.path.join(directory, f"{name}.py") for name in self.names]
        # Whole seconds ahead of anything written so far: the .pyc (which records
        # the source mtime in whole seconds) is invalidated as by a real edit.
        self.clock = int(time.time()) + 10
        self.originals: dict[str, str] = {}

    def touch(self, name: str) -> None:
        """Edit ``name``: new content (a fixed-width revision comment, so a
        hash-checked .pyc is invalid too) and an explicit new mtime."""
        self.clock += 1
        path = os.path.join(self.directory, f"{name}.py")
        original = self.originals.get(name)
        if original is None:
            with open(path) as f:
                original = self.originals[name] = f.read().split("# bench revision")[0]
        with open(path, "w") as f:
            f.write(f"{original}# bench revision {self.clock:012d}\n")
        os.utime(path, ns=(self.clock * 10**9, self.clock * 10**9))


def load_liveimport(impl: str) -> Any:
    if impl == "none":
        return None
    try:
        import liveimport
    except ImportError as exc:  # the engine may not exist yet
        print(f"driver: liveimport unavailable: {exc!r}", file=sys.stderr)
        return None
    return liveimport


# --------------------------------------------------------------------------- register


def mode_register(args: argparse.Namespace) -> dict[str, Any]:
    files = Files(args.dir)
    sys.path.insert(0, args.dir)
    li = load_liveimport(args.impl)
    source = "".join(f"import {name}\n" for name in files.names)
    code = compile(source, "<imports>", "exec")
    ns: dict[str, Any] = {"__name__": "__bench__"}
    gc.collect()
    t0 = perf()
    exec(code, ns)  # noqa: S102
    t1 = perf()
    result: dict[str, Any] = {"import_floor": (t1 - t0) / 1e9, "register": None}
    if li is not None:
        li.workspace(args.dir)
        gc.collect()
        t0 = perf()
        li.register(ns, source)
        t1 = perf()
        result["register"] = (t1 - t0) / 1e9
    return result


# --------------------------------------------------------------------------- steady


class Hooks:
    """Snapshots of what an extension installs in a shell, to switch it on and off.

    Swapping the shell's event callbacks and transformer lists between snapshots
    lets one process interleave "plain shell", "with LiveImport" and "with
    autoreload" cells, so all three see the same interpreter state.
    """

    def __init__(self, shell: Any) -> None:
        self.shell = shell

    def _lists(self) -> dict[str, list[Any]]:
        shell = self.shell
        itm = shell.input_transformer_manager
        lists = {f"event:{k}": v for k, v in shell.events.callbacks.items()}
        lists["cleanup"] = itm.cleanup_transforms
        lists["line"] = itm.line_transforms
        lists["token"] = itm.token_transformers
        lists["post"] = shell.input_transformers_post
        lists["ast"] = shell.ast_transformers
        return lists

    def snapshot(self) -> dict[str, list[Any]]:
        return {k: list(v) for k, v in self._lists().items()}

    def restore(self, snap: dict[str, list[Any]]) -> None:
        for k, current in self._lists().items():
            current[:] = snap.get(k, [])

    @staticmethod
    def differ(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> bool:
        return a != b


def make_shell() -> Any:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    return InteractiveShell.instance(config=config)


def batch(fn: Any, k: int) -> float:
    t0 = perf()
    for _ in range(k):
        fn()
    return (perf() - t0) / 1e9 / k


def mode_steady(args: argparse.Namespace) -> dict[str, Any]:
    files = Files(args.dir)
    sys.path.insert(0, args.dir)
    out: dict[str, Any] = {"notes": []}

    shell = make_shell() if args.percell else None
    hooks = Hooks(shell) if shell is not None else None
    snap_plain = hooks.snapshot() if hooks else None

    if shell is not None:
        import numpy  # noqa: F401  (autoreload's cost grows with sys.modules)
        import pandas  # noqa: F401

    li = load_liveimport(args.impl)
    source = "".join(f"import {name}\n" for name in files.names)
    ns: dict[str, Any] = shell.user_ns if shell is not None else {"__name__": "__bench__"}
    exec(compile(source, "<imports>", "exec"), ns)  # noqa: S102
    modules = [sys.modules[name] for name in files.names]
    leaf = sys.modules[files.leaf]
    stat = os.stat
    paths = files.files

    def stat_loop() -> None:
        for p in paths:
            stat(p)

    snap_li = None
    if li is not None:
        li.workspace(args.dir)
        li.register(ns, source)
        li.sync()
        if hooks is not None:
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                # Our package: %load_ext (N1); the PyPI package installs itself
                # when imported under IPython: import it again from the shell.
                shell.run_cell("import liveimport", store_history=False)
                if hasattr(li, "load_ipython_extension"):
                    shell.run_line_magic("load_ext", "liveimport")
            li.auto_sync(True, grace=0)
            snap_li = hooks.snapshot()
            if not Hooks.differ(snap_plain, snap_li):
                out["notes"].append("liveimport installed no IPython hooks: per-cell pending")
                snap_li = None
            hooks.restore(snap_plain)

    snap_ar = None
    if hooks is not None and args.autoreload:
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            shell.run_line_magic("load_ext", "autoreload")
            shell.run_line_magic("autoreload", "2")
        snap_ar = hooks.snapshot()
        hooks.restore(snap_plain)

    snap_stat = None
    if hooks is not None:
        # The per-cell floor: a pre_run_cell hook that only runs the stat loop.
        shell.events.register("pre_run_cell", lambda *_: stat_loop())
        snap_stat = hooks.snapshot()
        hooks.restore(snap_plain)

    snap_sync = None
    if hooks is not None and li is not None:
        # The package's no-change sync measured where the per-cell path runs
        # it, inside a cell: a pre_run_cell hook that only calls ``sync()``.
        # What the real hooks cost beyond it is their own work.
        sync_only = li.sync
        shell.events.register("pre_run_cell", lambda *_: sync_only())
        snap_sync = hooks.snapshot()
        hooks.restore(snap_plain)

    sync = li.sync if li is not None else None
    reload = importlib.reload

    # Batch size for the no-change loop: ~20 ms of stat floor per batch.
    t_stat = batch(stat_loop, 10)
    k_nc = max(1, min(20000, int(0.02 / max(t_stat, 1e-9))))
    samples: dict[str, list[float]] = {
        key: []
        for key in (
            "stat_floor",
            "sync",
            "leaf_floor",
            "leaf",
            "cascade_floor",
            "cascade",
            "cell_plain",
            "cell_plain_ids",
            "cell_stat",
            "cell_sync",
            "cell_liveimport",
            "cell_liveimport_ids",
            "cell_autoreload",
        )
    }
    cell_code = "pass"
    k_cell = args.cells

    def run_cells(snap: Any, k: int, ids: bool = False) -> float:
        hooks.restore(snap)
        sink = io.StringIO()
        # With ids, cells carry a frontend cell id as ipykernel passes it (A4),
        # cycling through 50 cells of a notebook.
        counter = itertools.count()

        def one() -> None:
            if ids:
                cell_id = f"cell-{next(counter) % 50}"
                shell.run_cell(cell_code, store_history=True, cell_id=cell_id)
            else:
                shell.run_cell(cell_code, store_history=True)

        with contextlib.redirect_stdout(sink):
            for _ in range(3):  # warm-up: let autoreload/LiveImport catch up
                one()
            t = batch(one, k)
        hooks.restore(snap_plain)
        return t

    def leaf_floor() -> float:
        files.touch(files.leaf)
        gc.collect()
        t0 = perf()
        stat_loop()
        reload(leaf)
        return (perf() - t0) / 1e9

    def leaf_ours() -> float:
        files.touch(files.leaf)
        gc.collect()
        t0 = perf()
        events = sync()
        t = (perf() - t0) / 1e9
        if events is not None and len(events) != 1:
            out["notes"].append(f"leaf sync reloaded {len(events)} modules")
        return t

    def cascade_floor() -> float:
        files.touch(files.root)
        gc.collect()
        t0 = perf()
        for m in modules:
            reload(m)
        return (perf() - t0) / 1e9

    def cascade_ours() -> float:
        files.touch(files.root)
        gc.collect()
        t0 = perf()
        events = sync()
        t = (perf() - t0) / 1e9
        if events is not None and len(events) != len(modules):
            out["notes"].append(f"cascade sync reloaded {len(events)} of {len(modules)} modules")
        return t

    for r in range(args.rounds):
        flip = r % 2 == 1  # alternate which side goes first
        sections = not args.cells_only  # sections 1-3 (extra per-cell runs skip them)
        # 1. no-change sync vs stat loop
        for _ in range(args.reps if sections else 0):
            pair = [("stat_floor", stat_loop)]
            if sync is not None:
                pair.append(("sync", sync))
            for key, fn in reversed(pair) if flip else pair:
                samples[key].append(batch(fn, k_nc))
        # 2. leaf change
        for _ in range(args.reps if sections else 0):
            pair2 = [("leaf_floor", leaf_floor)]
            if sync is not None:
                pair2.append(("leaf", leaf_ours))
            for key, fn2 in reversed(pair2) if flip else pair2:
                samples[key].append(fn2())
        # 3. cascade
        for _ in range(args.cascade_reps if sections else 0):
            pair3 = [("cascade_floor", cascade_floor)]
            if sync is not None:
                pair3.append(("cascade", cascade_ours))
            for key, fn3 in reversed(pair3) if flip else pair3:
                samples[key].append(fn3())
        if sync is not None:
            sync()  # nothing left pending for the shell
        # 4. per-cell overhead
        if hooks is not None:
            configs = [("cell_plain", snap_plain), ("cell_stat", snap_stat)]
            configs.append(("cell_plain_ids", snap_plain))
            if snap_sync is not None:
                configs.append(("cell_sync", snap_sync))
            if snap_li is not None:
                configs.append(("cell_liveimport", snap_li))
                configs.append(("cell_liveimport_ids", snap_li))
            if snap_ar is not None:
                configs.append(("cell_autoreload", snap_ar))
            for _ in range(args.cell_reps or args.reps):
                for key, snap in reversed(configs) if flip else configs:
                    # autoreload costs milliseconds a cell: fewer cells a batch
                    k = max(5, k_cell // 5) if key == "cell_autoreload" else k_cell
                    samples[key].append(run_cells(snap, k, ids=key.endswith("_ids")))

    out["samples"] = samples
    out["k_nochange"] = k_nc
    out["sys_modules"] = len(sys.modules)

    # 5. peak memory of a cascade (tracemalloc), floor = the reload loop.
    def traced(fn: Any) -> tuple[int, int]:
        # The collector off while tracing: otherwise the peak depends on when a
        # collection of the old modules' cyclic garbage happens to run.
        gc.collect()
        gc.disable()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        peak = tracemalloc.get_traced_memory()[1] - base
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        gc.enable()
        return peak, retained

    if args.memory and not args.cells_only:
        dict_bytes = sum(sys.getsizeof(m.__dict__) for m in modules)
        files.touch(files.root)
        floor_peak, floor_retained = traced(lambda: [reload(m) for m in modules])
        mem: dict[str, Any] = {
            "dict_shallow": dict_bytes,
            "floor_peak": floor_peak,
            "floor_retained": floor_retained,
        }
        if sync is not None:
            files.touch(files.root)
            peak, retained = traced(sync)
            mem["peak"] = peak
            mem["retained"] = retained
        out["memory"] = mem
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["register", "steady"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--impl", default="liveimport", choices=["liveimport", "none"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cascade-reps", type=int, default=1)
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--cell-reps", type=int, default=0, help="per-cell batches a round")
    parser.add_argument(
        "--cells-only", action="store_true", help="only the per-cell batches (sections 4)"
    )
    parser.add_argument("--percell", action="store_true")
    parser.add_argument("--autoreload", action="store_true")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--clock", default="cpu", choices=["cpu", "wall"])
    args = parser.parse_args()
    if args.clock == "wall":
        global perf
        perf = time.perf_counter_ns
    os.chdir(args.dir)
    result = mode_register(args) if args.mode == "register" else mode_steady(args)
    result["clock"] = args.clock
    result["python"] = sys.version.split()[0]
    li = sys.modules.get("liveimport")
    result["liveimport"] = getattr(li, "__file__", None) if li else None
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
