"""LiveImport benchmark (issue 5): every path against its physical floor, same run.

Usage::

    python bench/bench.py [--quick] [--n 10,100,1000] [--variant plain,realistic] [--pypi]

For each variant and N it generates a workload (``bench/workload.py``: N modules
in a seeded random DAG of top-level imports) in a temporary directory, then runs
``bench/driver.py`` in subprocesses:

* ``register`` once per round per implementation, each in a fresh interpreter
  (warm ``.pyc``, nothing tracked): import floor, then ``register()``;
* ``steady`` once per implementation: no-change sync vs a stat loop, leaf change
  vs stat loop + ``importlib.reload``, cascade vs reloading the same modules in
  dependency order, per-cell overhead in an IPython ``InteractiveShell`` (with
  numpy and pandas imported) vs a plain shell and vs ``%autoreload 2``, and the
  cascade's peak memory (tracemalloc). Ours and its floor alternate, interleaved
  over rounds; medians are reported with ratios to the floors of the same process.

``--pypi`` also runs the same driver against the ``liveimport`` package from PyPI
in its own throwaway venv (created on first use, see ``--pypi-venv``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workload import VARIANTS, Workload, generate

DRIVER = HERE / "driver.py"
NO_BYTECODE = False
DEFAULT_PYPI_VENV = Path(tempfile.gettempdir()) / "pypi-liveimport-venv"

# Targets from issue 5.
T_SYNC = 1.05
T_CELL_US = 15.0
T_REGISTER = 1.5
T_LEAF = 1.5
T_CASCADE = 1.05
T_MEMORY = 2.0


# --------------------------------------------------------------------------- running


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_pypi_venv(venv: Path) -> Path:
    python = venv_python(venv)
    check = [str(python), "-c", "import liveimport, IPython, numpy, pandas"]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python
    print(f"setting up {venv} (liveimport from PyPI, ipython, numpy, pandas) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "liveimport", "ipython", "numpy", "pandas"],
        check=True,
    )
    return python


def ours_available(python: str) -> bool:
    probe = subprocess.run(
        [python, "-c", "import liveimport; liveimport.sync"],
        capture_output=True,
        cwd="/",
        check=False,
    )
    return probe.returncode == 0


def run_driver(python: str, mode: str, workload: Workload, impl: str, *extra: str) -> Any:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["PYTHONHASHSEED"] = "0"
    # Python's default: reloads write .pyc files (this machine's shells set
    # PYTHONDONTWRITEBYTECODE=1; --no-bytecode keeps that condition instead).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if NO_BYTECODE:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    cmd = [python, str(DRIVER), mode, "--dir", workload.directory, "--out", out]
    cmd += ["--impl", impl, *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    try:
        if proc.returncode != 0:
            raise RuntimeError(
                f"driver failed ({' '.join(cmd)}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        return json.loads(Path(out).read_text())
    finally:
        os.unlink(out)


# --------------------------------------------------------------------------- analysis


def med(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def paired(num: list[float] | None, den: list[float] | None) -> float | None:
    """Median of the ratios of samples taken side by side (robust to load drift)."""
    if not num or not den:
        return None
    return statistics.median(a / b for a, b in zip(num, den, strict=False) if b > 0)


def paired_diff(a: list[float] | None, b: list[float] | None) -> float | None:
    if not a or not b:
        return None
    return statistics.median(x - y for x, y in zip(a, b, strict=False))


def summarise(reg: list[dict[str, Any]], steady: dict[str, Any]) -> dict[str, Any]:
    s = steady["samples"]
    regs = [r for r in reg if r["register"] is not None]
    out: dict[str, Any] = {
        "ratio_register": paired([r["register"] for r in regs], [r["import_floor"] for r in regs]),
        "ratio_sync": paired(s["sync"], s["stat_floor"]),
        "ratio_leaf": paired(s["leaf"], s["leaf_floor"]),
        "ratio_cascade": paired(s["cascade"], s["cascade_floor"]),
        "import_floor": med([r["import_floor"] for r in reg]),
        "register": med([r["register"] for r in reg if r["register"] is not None]),
        "stat_floor": med(s["stat_floor"]),
        "sync": med(s["sync"]),
        "leaf_floor": med(s["leaf_floor"]),
        "leaf": med(s["leaf"]),
        "cascade_floor": med(s["cascade_floor"]),
        "cascade": med(s["cascade"]),
        "cell_plain": med(s["cell_plain"]),
        "cell_stat": med(s["cell_stat"]),
        "cell_liveimport": med(s["cell_liveimport"]),
        "cell_liveimport_ids": med(s.get("cell_liveimport_ids")),
        "cell_autoreload": med(s["cell_autoreload"]),
        "memory": steady.get("memory"),
        "notes": sorted(set(steady.get("notes", []))),
        "sys_modules": steady.get("sys_modules"),
    }
    # Per-cell overhead: median of (cell with hooks - plain cell) over batches run
    # side by side.
    for key in ("cell_stat", "cell_liveimport", "cell_autoreload"):
        out[key + "_overhead"] = paired_diff(s[key], s["cell_plain"])
    # With cell ids, against a plain cell that carries an id too.
    out["cell_liveimport_ids_overhead"] = paired_diff(
        s.get("cell_liveimport_ids"), s.get("cell_plain_ids")
    )
    # What the hooks cost beyond the package's own no-change sync, both run
    # inside a cell side by side (a hook that only calls sync() is the floor).
    out["cell_sync_overhead"] = paired_diff(s.get("cell_sync"), s["cell_plain"])
    out["cell_beyond_sync"] = paired_diff(s.get("cell_liveimport"), s.get("cell_sync"))
    ids, plain_ids = s.get("cell_liveimport_ids"), s.get("cell_plain_ids")
    sync_cell, plain = s.get("cell_sync"), s["cell_plain"]
    out["cell_ids_beyond_sync"] = (
        statistics.median(
            (a - b) - (c - d) for a, b, c, d in zip(ids, plain_ids, sync_cell, plain, strict=False)
        )
        if ids and plain_ids and sync_cell and plain
        else None
    )
    return out


def fmt_t(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    a = abs(seconds)
    if a < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if a < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def fmt_b(n: float | None) -> str:
    if n is None:
        return "—"
    if abs(n) < 1024 * 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n / 1024 / 1024:.1f} MiB"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_r(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}x"


def verdict(ok: bool | None, by: str = "") -> str:
    if ok is None:
        return "pending"
    return "met" if ok else f"MISSED{(' ' + by) if by else ''}"


def rows_for(variant: str, n: int, res: dict[str, Any]) -> list[list[str]]:
    """Table rows: variant, N, path, floor, ours, ours/floor, target, verdict, PyPI
    (its own time, its own floor from the same process, its ratio)."""
    ours = res.get("ours") or {}
    pypi = res.get("pypi") or {}
    rows: list[list[str]] = []

    def timed(path: str, key: str, floor_key: str, target: float, only: bool = True) -> None:
        o, f = ours.get(key), ours.get(floor_key)
        r = ours.get("ratio_" + key)
        if not only:
            tgt, ok = "—", None
            v = "—"
        else:
            tgt = f"≤ {target:.2f}x"
            ok = None if r is None else r <= target
            v = verdict(ok, f"by {r / target:.2f}x" if r is not None else "")
        pr = pypi.get("ratio_" + key)
        rows.append(
            [
                variant,
                str(n),
                path,
                fmt_t(f),
                fmt_t(o),
                fmt_r(r),
                tgt,
                v,
                fmt_t(pypi.get(key)),
                fmt_t(pypi.get(floor_key)),
                fmt_r(pr),
            ]
        )

    timed(
        "register",
        "register",
        "import_floor",
        T_REGISTER,
        only=(variant == "realistic" and n == 1000),
    )
    timed("no-change sync", "sync", "stat_floor", T_SYNC)
    # per-cell overhead: floor column is the plain cell; target = sync + 15 µs
    sync_t = ours.get("sync")

    def against_sync(overhead: float | None) -> tuple[str, str]:
        """The ratio column and the verdict of a per-cell overhead."""
        if overhead is None or sync_t is None:
            return "—", "pending"
        limit = sync_t + T_CELL_US * 1e-6
        by = f"by {(overhead - limit) * 1e6:.1f} µs"
        return f"sync{(overhead - sync_t) * 1e6:+.1f} µs", verdict(overhead <= limit, by)

    oc = ours.get("cell_liveimport_overhead")
    pc = pypi.get("cell_liveimport_overhead")
    # The same with cell ids, as notebook frontends send them (A4 remembers each
    # run), against a plain cell with an id.
    oi = ours.get("cell_liveimport_ids_overhead")
    for path, overhead, theirs, their_ratio in (
        (
            "per-cell overhead",
            oc,
            pc,
            "—"
            if pc is None or pypi.get("sync") is None
            else f"sync{(pc - pypi['sync']) * 1e6:+.1f} µs",
        ),
        ("  per-cell, with cell ids", oi, pypi.get("cell_liveimport_ids_overhead"), ""),
    ):
        shown, v = against_sync(overhead)
        rows.append(
            [
                variant,
                str(n),
                path,
                fmt_t(ours.get("cell_stat_overhead")),
                fmt_t(overhead),
                shown,
                "≤ sync+15 µs",
                v,
                fmt_t(theirs),
                fmt_t(pypi.get("cell_stat_overhead")) if their_ratio else "",
                their_ratio,
            ]
        )
    # The hooks beyond the package's own sync, both measured inside a cell.
    bs, bi = ours.get("cell_beyond_sync"), ours.get("cell_ids_beyond_sync")
    rows.append(
        [
            variant,
            str(n),
            "  per-cell beyond in-cell sync",
            fmt_t(ours.get("cell_sync_overhead")),
            fmt_t(bs),
            "ids: " + fmt_t(bi),
            f"≤ {T_CELL_US:.0f} µs",
            verdict(None if bs is None or bi is None else max(bs, bi) <= T_CELL_US * 1e-6),
            fmt_t(pypi.get("cell_beyond_sync")),
            fmt_t(pypi.get("cell_sync_overhead")),
            "ids: " + fmt_t(pypi.get("cell_ids_beyond_sync")),
        ]
    )
    # Against the existing package: the whole per-cell overhead, ours minus its.
    pi = pypi.get("cell_liveimport_ids_overhead")
    vs = None if oc is None or pc is None else oc - pc
    vs_ids = None if oi is None or pi is None else oi - pi
    rows.append(
        [
            variant,
            str(n),
            "  per-cell, ours minus PyPI",
            "—",
            "—" if vs is None else f"{vs * 1e6:+.1f} µs",
            "—" if vs_ids is None else f"ids: {vs_ids * 1e6:+.1f} µs",
            "≤ 0",
            verdict(None if vs is None or vs_ids is None else max(vs, vs_ids) <= 0),
            "",
            "",
            "",
        ]
    )
    ar = ours.get("cell_autoreload_overhead")
    rows.append(
        [
            variant,
            str(n),
            "  autoreload 2 per-cell",
            fmt_t(ours.get("cell_stat_overhead")),
            fmt_t(ar),
            fmt_r(ratio(ar, oc)) + " of ours" if ar is not None and oc else "—",
            "—",
            "(reference)",
            "",
            "",
            "",
        ]
    )
    timed("leaf change", "leaf", "leaf_floor", T_LEAF)
    timed("cascade", "cascade", "cascade_floor", T_CASCADE)
    mo, mp = ours.get("memory") or {}, pypi.get("memory") or {}

    def extra(m: dict[str, Any]) -> float | None:
        return None if "peak" not in m else m["peak"] - m["floor_peak"]

    eo, ep = extra(mo), extra(mp)
    rm = ratio(eo, mo.get("dict_shallow"))
    rows.append(
        [
            variant,
            str(n),
            "cascade peak extra mem",
            fmt_b(mo.get("dict_shallow")),
            fmt_b(eo),
            fmt_r(rm),
            f"≤ {T_MEMORY:.2f}x",
            verdict(None if rm is None else rm <= T_MEMORY, f"by {(rm or 0) / T_MEMORY:.2f}x"),
            fmt_b(ep),
            fmt_b(mp.get("dict_shallow")),
            fmt_r(ratio(ep, mp.get("dict_shallow"))),
        ]
    )
    return rows


HEADER = [
    "variant",
    "N",
    "path",
    "floor",
    "ours",
    "ours/floor",
    "target",
    "verdict",
    "PyPI",
    "PyPI floor",
    "PyPI/floor",
]


def render(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADER)]
    fmt = "  ".join(f"{{:{'<' if i < 3 else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*HEADER), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*r) for r in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="2 rounds, no realistic N=1000 (< 1 minute)"
    )
    parser.add_argument("--n", default=None, help="comma-separated N (default 10,100,1000)")
    parser.add_argument("--variant", default="plain,realistic")
    parser.add_argument("--pypi", action="store_true", help="also run the PyPI package")
    parser.add_argument("--pypi-venv", type=Path, default=DEFAULT_PYPI_VENV)
    parser.add_argument("--python", default=sys.executable, help="interpreter with ours")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument(
        "--cell-procs",
        type=int,
        default=2,
        help="extra processes a package for the per-cell rows only (default 2)",
    )
    parser.add_argument(
        "--clock",
        default="cpu",
        choices=["cpu", "wall"],
        help="process CPU time (default; robust on a shared machine) or wall time",
    )
    parser.add_argument("--json", type=Path, default=None, help="write raw results here")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="run the drivers with PYTHONDONTWRITEBYTECODE=1 (default: write .pyc)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--keep", action="store_true", help="keep the generated workloads")
    args = parser.parse_args()

    global NO_BYTECODE
    NO_BYTECODE = args.no_bytecode
    variants = [v for v in args.variant.split(",") if v]
    for v in variants:
        if v not in VARIANTS:
            parser.error(f"unknown variant {v!r}")
    ns = [int(x) for x in (args.n or "10,100,1000").split(",")]
    rounds = args.rounds or (2 if args.quick else 5)

    impls: dict[str, tuple[str, str]] = {}
    ours_ok = ours_available(args.python)
    impls["ours"] = (args.python, "liveimport" if ours_ok else "none")
    if not ours_ok:
        print("note: our liveimport cannot be imported yet; measuring floors only", flush=True)
    if args.pypi:
        impls["pypi"] = (str(ensure_pypi_venv(args.pypi_venv)), "liveimport")

    start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="liveimport-bench-"))
    results: dict[str, Any] = {
        "rounds": rounds,
        "quick": args.quick,
        "clock": args.clock,
        "argv": sys.argv[1:],
        "bytecode": not args.no_bytecode,
        "workloads": [],
    }
    rows: list[list[str]] = []
    try:
        for variant in variants:
            for n in ns:
                # Fewer rounds where one sample is long (realistic N = 1000);
                # --quick skips it unless --n asks for it.
                heavy = n * (30 if variant == "realistic" else 1) > 3000
                if heavy and args.quick and args.n is None:
                    continue
                t0 = time.perf_counter()
                wl = generate(root / f"{variant}-{n}", variant, n)
                r_reg = max(2, rounds - 2) if heavy else rounds
                r_steady = max(2, rounds - 2) if heavy else rounds
                reg: dict[str, list[dict[str, Any]]] = {k: [] for k in impls}
                for _ in range(r_reg):
                    for name, (python, impl) in impls.items():
                        reg[name].append(
                            run_driver(python, "register", wl, impl, "--clock", args.clock)
                        )
                res: dict[str, Any] = {"variant": variant, "n": n, "lines": wl.lines}
                cells = ["--cells", "20" if args.quick else "50", "--cell-reps", "6"]
                steadies: dict[str, dict[str, Any]] = {}
                for name, (python, impl) in impls.items():
                    extra = ["--rounds", str(r_steady), "--percell", "--memory"]
                    extra += ["--clock", args.clock, *cells, "--reps", "2"]
                    if name == "ours":
                        extra.append("--autoreload")
                    steadies[name] = run_driver(python, "steady", wl, impl, *extra)
                # Per-cell differences are microseconds on a cell of 20-2000 µs:
                # more samples, from more processes, taken in turn with the
                # other package's, so that load drifts hit both alike.
                order = list(impls.items())
                for p in range(args.cell_procs):
                    for name, (python, impl) in order[::-1] if p % 2 == 0 else order:
                        extra = ["--rounds", str(r_steady), "--percell", "--cells-only"]
                        extra += ["--clock", args.clock, *cells]
                        more = run_driver(python, "steady", wl, impl, *extra)
                        for key, values in more["samples"].items():
                            if key.startswith("cell_"):
                                steadies[name]["samples"][key] += values
                for name, steady in steadies.items():
                    res[name] = summarise(reg[name], steady)
                    res[name]["raw"] = {"register": reg[name], "steady": steady}
                results["workloads"].append(res)
                new = rows_for(variant, n, res)
                rows += new
                print(
                    f"[{variant} N={n}: {time.perf_counter() - t0:.1f} s]\n"
                    + render(new, False)
                    + "\n",
                    flush=True,
                )
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    elapsed = time.perf_counter() - start
    results["elapsed_s"] = elapsed
    print(render(rows, args.markdown))
    notes = {
        f"{r['variant']} N={r['n']} {k}: {note}"
        for r in results["workloads"]
        for k in impls
        for note in (r.get(k) or {}).get("notes", [])
    }
    for note in sorted(notes):
        print("note:", note)
    print(f"\n{len(ns) * len(variants)} workloads, {rounds} rounds, total {elapsed:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
