"""Runs one real-package scenario in a fresh interpreter (see test_realworld.py).

Usage: ``python driver.py PLAN_JSON`` where the plan names the workspace (a
copy of an installed package's sources), the import statements to execute
and register, and the scripted edits. Each step edits files with explicit
mtimes, syncs, and records, as JSON on stdout:

* ``events``: module, reason, after of each ``ReloadEvent``;
* ``expected``: the reload set of the C4 (r2) model (tests/helpers/c4model.py)
  for the tracked modules whose stamps changed since the last successful sync;
  ``missed``/``extra`` compare it with the events, ``order`` lists events that
  came before a dependency they do not import through a cycle edge (C2);
* ``mismatches``: differences from a fresh interpreter on the same files and
  statements (tests/helpers/oracle.py), stale references included;
* ``checks``: Python expressions (evaluated in the namespace) that were not
  true, e.g. ``isinstance(click.command()(f), click.Command)``;
* for a step that must fail: whether ``ModuleError`` was raised with the
  expected module and text, and whether anything changed (identities of every
  tracked module's ``__dict__`` entries, ``sys.modules``, the namespace).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent


def _setup_path(workspace: str) -> None:
    # The workspace copy must win over the installed package; the helpers come last.
    sys.path.insert(0, workspace)
    sys.path.append(str(TESTS))


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


class Files:
    """The workspace's files, their original texts and mtimes, and explicit
    new mtimes for every write."""

    def __init__(self, root: Path, package: str, clock_ns: int) -> None:
        self.root = root
        self.package = package
        self.clock = clock_ns
        self.original: dict[str, tuple[str, int]] = {}
        self.history: dict[str, list[str]] = {}
        for path in sorted((root / package).rglob("*.py")):
            rel = str(path.relative_to(root))
            self.original[rel] = (path.read_text(encoding="utf-8"), path.stat().st_mtime_ns)

    def write(self, rel: str, text: str, mtime_ns: int | None = None) -> None:
        path = self.root / rel
        if path.exists():
            self.history.setdefault(rel, []).append(path.read_text(encoding="utf-8"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if mtime_ns is None:
            self.clock += 10**9
            mtime_ns = self.clock
        os.utime(path, ns=(mtime_ns, mtime_ns))

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def texts(self) -> tuple[dict[str, str], set[str]]:
        sources: dict[str, str] = {}
        packages: set[str] = set()
        for path in sorted((self.root / self.package).rglob("*.py")):
            name = module_name(self.root, path)
            sources[name] = path.read_text(encoding="utf-8")
            if path.name == "__init__.py":
                packages.add(name)
        return sources, packages

    def stamps(self) -> dict[str, tuple[int, int]]:
        out = {}
        for path in sorted((self.root / self.package).rglob("*.py")):
            st = path.stat()
            out[module_name(self.root, path)] = (st.st_mtime_ns, st.st_size)
        return out


def apply(files: Files, op: dict[str, Any]) -> None:
    from helpers.edits import insert_in_body

    kind, rel = op["op"], op["file"]
    if kind == "append":
        files.write(rel, files.read(rel) + op["text"])
    elif kind == "replace":
        text = files.read(rel)
        assert op["old"] in text, (rel, op["old"])
        files.write(rel, text.replace(op["old"], op["new"], 1))
    elif kind == "create":
        files.write(rel, op["text"])
    elif kind == "body":
        files.write(rel, insert_in_body(files.read(rel), op["function"], op["line"]))
    elif kind == "revert":
        text, mtime = files.original[rel]
        files.write(rel, text, mtime_ns=mtime)
    elif kind == "undo":
        previous = files.history[rel][-1]
        files.write(rel, previous)
    else:
        raise ValueError(kind)


def main() -> None:
    plan = json.loads(sys.argv[1])
    root = Path(plan["workspace"]).resolve()
    _setup_path(str(root))
    import liveimport
    from helpers import c4model, oracle

    liveimport.workspace(root)
    files = Files(root, plan["package"], plan["clock_ns"])
    statements: list[str] = plan["statements"]
    ns: dict[str, Any] = {"__name__": "notebook"}
    started = time.perf_counter()
    for statement in statements:
        exec(statement, ns)
        liveimport.register(ns, statement)
    register_s = time.perf_counter() - started

    def tracked() -> list[str]:
        return sorted(
            m.name for m in liveimport.status().modules if m.name.split(".")[0] == plan["package"]
        )

    def fresh_run(only: list[str]) -> dict[str, Any]:
        return oracle.fresh_snapshot([str(root)], statements, [str(root)], only=only)

    # Values that differ between two fresh interpreters are not the sync's doing.
    baseline_tracked = tracked()
    first = fresh_run(baseline_tracked)
    noisy = oracle.volatile(first, fresh_run(baseline_tracked))
    baseline = oracle.diff(
        first, oracle.namespace_fingerprint(ns, [str(root)], baseline_tracked), ignore=noisy
    )
    sources, packages = files.texts()
    model_tracked = sorted(
        m
        for m in c4model.simulate(
            c4model.Workspace(sources=sources, packages=packages), statements
        ).finish
    )
    report: dict[str, Any] = {
        "package": plan["package"],
        "tracked": len(baseline_tracked),
        "tracked_matches_model": model_tracked == baseline_tracked,
        "tracked_only_engine": sorted(set(baseline_tracked) - set(model_tracked)),
        "tracked_only_model": sorted(set(model_tracked) - set(baseline_tracked)),
        "volatile": sorted(noisy),
        "baseline_mismatches": baseline,
        "register_s": round(register_s, 3),
        "steps": [],
    }
    last_good_sources, last_good_packages = sources, packages
    last_good_stamps = files.stamps()

    for step in plan["steps"]:
        before_tracked = tracked()
        before_loaded = {n for n in before_tracked if n in sys.modules}
        kept = {n: oracle.public_names(sys.modules[n]) for n in before_loaded}
        state = oracle.identity_state(ns, before_tracked)
        for op in step["ops"]:
            apply(files, op)
        result: dict[str, Any] = {"name": step["name"], "expect": step["expect"]}
        t0 = time.perf_counter()
        try:
            events = liveimport.sync()
        except liveimport.ModuleError as err:
            result["sync_s"] = round(time.perf_counter() - t0, 3)
            result["outcome"] = "fail"
            result["error"] = str(err)
            result["error_module"] = err.module
            result["error_phase"] = err.phase
            result["unchanged"] = oracle.identity_state(ns, before_tracked) == state
            result["tracked_unchanged"] = tracked() == before_tracked
            report["steps"].append(result)
            continue
        result["sync_s"] = round(time.perf_counter() - t0, 3)
        result["outcome"] = "ok"
        result["events"] = [[e.module, e.reason, list(e.after)] for e in events]
        now_tracked = tracked()
        fresh = fresh_run(now_tracked)
        if "error" in fresh:
            result["mismatches"] = [f"fresh import failed: {fresh['error']}"]
        else:
            result["mismatches"] = oracle.diff(
                fresh,
                oracle.namespace_fingerprint(ns, [str(root)], now_tracked),
                kept_names=kept,
                ignore=noisy,
            )
        result["checks"] = [c for c in step.get("checks", []) if not eval(c, ns)]

        stamps = files.stamps()
        changed = {m for m in before_loaded if stamps.get(m) != last_good_stamps.get(m)}
        old_sim = c4model.simulate(
            c4model.Workspace(sources=last_good_sources, packages=last_good_packages), statements
        )
        new_sources, new_packages = files.texts()
        new_sim = c4model.simulate(
            c4model.Workspace(sources=new_sources, packages=new_packages), statements
        )
        expected = c4model.reload_set(old_sim, changed) & before_loaded
        expected_new = c4model.reload_set(new_sim, changed) & before_loaded
        got = [e.module for e in events]
        result["changed"] = sorted(changed)
        result["expected"] = sorted(expected)
        result["model_agrees_old_new"] = expected == expected_new
        result["missed"] = sorted(expected - set(got))
        result["extra"] = sorted(set(got) - expected - expected_new)
        result["duplicates"] = len(got) != len(set(got))
        position = {m: i for i, m in enumerate(got)}
        result["order"] = [
            f"{e.importer} reloaded before {e.target}"
            for e in new_sim.edges
            if not e.cycle
            and e.importer in position
            and e.target in position
            and position[e.target] > position[e.importer]
        ]
        result["model_order"] = (
            c4model.reload_order(
                c4model.Workspace(sources=new_sources, packages=new_packages),
                statements,
                expected,
                before_loaded,
            )
            == got
        )
        report["steps"].append(result)
        last_good_sources, last_good_packages = new_sources, new_packages
        last_good_stamps = stamps
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
