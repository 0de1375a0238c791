"""C2 thread safety (§5): concurrent sync(), register(), workspace(), status()
and reset() calls are serialised; while files change no change is lost, none
is reloaded twice, and no module goes back to an older version."""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
import types
from collections import Counter

import pytest

import liveimport
from helpers import names

THREADS = 4
ROUNDS = 15


def run_threads(target, count: int = THREADS) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def wrapper(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            target(index)
        except BaseException as exc:  # noqa: BLE001 - collected, asserted on
            errors.append(exc)

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


def versioned(version: int) -> str:
    return f"VERSION = {version}\n__import__('lilog').events.append(('th_a', VERSION))\n"


def write_atomically(modules, name: str, source: str) -> None:
    """Replace the file in one step (new inode, explicit new mtime), so a
    concurrent reader sees either the old or the new version, never half a file."""
    path = modules.path(name)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(source)
    ns_time = modules.tick()
    os.utime(temp, ns=(ns_time, ns_time))
    os.replace(temp, path)


def test_c2_concurrent_syncs_reload_each_change_exactly_once(modules, ns, imp, log):
    modules.write("th_a", versioned(0))
    modules.write("th_b", "import th_a\nV = th_a.VERSION\n")
    imp("from th_a import VERSION\nfrom th_b import V")
    log.clear()
    for version in range(1, ROUNDS + 1):
        modules.write("th_a", versioned(version))
        calls: list[list[list[str]]] = [[] for _ in range(THREADS)]

        def work(index: int, calls=calls) -> None:
            for _ in range(3):
                calls[index].append(names(liveimport.sync()))

        errors = run_threads(work)
        assert errors == []
        # exactly one sync did the whole change, in order; every other found nothing
        results = sorted((call for per_thread in calls for call in per_thread), key=len)
        assert results == [[]] * (3 * THREADS - 1) + [["th_a", "th_b"]], version
        assert log.events == [("th_a", version)]
        assert (ns["VERSION"], ns["V"]) == (version, version)
        log.clear()


N_MODULES = 6


def chained(i: int, version: int) -> str:
    """``cc<i>`` imports ``cc<i-1>``; each execution logs ``(name, version)``."""
    dep = f"import cc{i - 1}\n" if i else ""
    log = "__import__('lilog').events.append((__name__, V))\n"
    return f"{dep}V = {version}\ndef f(): return {version}\n{log}"


def test_c2_threads_syncing_and_registering_while_files_change(modules, imp, log):
    """One writer replaces files of a module chain atomically while three
    threads sync and three register: afterwards every module and binding is
    current, each reload was one execution and one event (none lost, none
    doubled), and no module ever went back to an older version."""
    for i in range(N_MODULES):
        modules.write(f"cc{i}", chained(i, 0))
    main = {"__name__": "main"}
    imp("\n".join(f"from cc{i} import f as f{i}" for i in range(N_MODULES)), namespace=main)
    log.clear()
    versions = dict.fromkeys(range(N_MODULES), 0)
    errors: list[BaseException] = []
    stop = threading.Event()
    namespaces = [{"__name__": f"t{k}"} for k in range(3)]
    counts: Counter[str] = Counter()
    counting = threading.Lock()

    def guard(function):
        def run():
            try:
                function()
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                errors.append(error)
                stop.set()

        return run

    def writer():
        for step in range(150):
            i = step % N_MODULES
            versions[i] += 1
            write_atomically(modules, f"cc{i}", chained(i, versions[i]))
            if stop.is_set():
                return
        stop.set()

    def syncer():
        while not stop.is_set():
            events = liveimport.sync()
            assert all(event.module.startswith("cc") for event in events)
            with counting:
                counts.update(names(events))

    def registrar(k: int):
        ns = namespaces[k]
        n = 0
        while not stop.is_set():
            i = n % N_MODULES
            imp(f"from cc{i} import V as v{i}", namespace=ns, clear=n % 7 == 0)
            assert liveimport.registered(ns)[-1] == f"from cc{i} import V as v{i}"
            liveimport.status()
            n += 1

    threads = [threading.Thread(target=guard(writer))]
    threads += [threading.Thread(target=guard(syncer)) for _ in range(3)]
    threads += [threading.Thread(target=guard(lambda k=k: registrar(k))) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors
    # No change is lost: one more sync brings everything up to date.
    counts.update(names(liveimport.sync()))
    assert liveimport.sync() == []
    for i in range(N_MODULES):
        module = sys.modules[f"cc{i}"]
        assert versions[i] == module.V
        assert main[f"f{i}"] is module.f
        if i:
            assert module.__dict__[f"cc{i - 1}"] is sys.modules[f"cc{i - 1}"]
        executed = [version for name, version in log.events if name == f"cc{i}"]
        assert executed == sorted(executed), f"cc{i} went back to an older version"
    assert counts == Counter(name for name, _ in log.events)  # one event per execution
    assert liveimport.registered(main) == [f"from cc{i} import f as f{i}" for i in range(N_MODULES)]
    # A registrar executes its statement, then registers it: a sync from
    # another thread can land in between, so the value it holds may predate
    # the registration (nothing rebinds it until the module changes again).
    # No registration may be lost: after one more change of every module,
    # every registered namespace is current.
    for i in range(N_MODULES):
        modules.touch(f"cc{i}")
    liveimport.sync()
    for ns in namespaces:
        assert liveimport.registered(ns)
        for statement in liveimport.registered(ns):
            name = statement.rsplit(" ", 1)[1]
            module = statement.split()[1]
            assert ns[name] is sys.modules[module].V


def test_c2_concurrent_register_and_sync(modules, imp, log):
    modules.write("th_a", versioned(0))
    modules.write("th_b", "X = 1\n")
    namespaces = [{"__name__": f"ns{i}"} for i in range(THREADS)]
    for namespace in namespaces:
        exec("from th_a import VERSION\nimport th_b", namespace)
    errors_box: list[BaseException] = []

    def work(index: int) -> None:
        namespace = namespaces[index]
        for round_ in range(20):
            liveimport.register(namespace, "from th_a import VERSION", clear=round_ % 5 == 0)
            liveimport.register(namespace, "import th_b")
            liveimport.sync()
            liveimport.registered(namespace)
            liveimport.status()

    errors_box.extend(run_threads(work))
    assert errors_box == []
    for namespace in namespaces:
        assert liveimport.registered(namespace) == ["from th_a import VERSION", "import th_b"]
    log.clear()
    modules.write("th_a", versioned(7))
    assert [e.module for e in liveimport.sync()] == ["th_a"]
    assert log.events == [("th_a", 7)]
    assert all(namespace["VERSION"] == 7 for namespace in namespaces)


def test_c2_concurrent_workspace_status_and_reset(modules, imp, log):
    modules.write("th_b", "X = 1\n")
    modules.write("th_a", "import th_b\n")
    spaces = [{"__name__": f"ns{i}"} for i in range(THREADS)]
    for space in spaces:
        exec("import th_a", space)

    def work(index: int) -> None:
        for round_ in range(25):
            if index == 0 and round_ % 5 == 4:
                liveimport.reset()
            elif index == 1:
                liveimport.workspace(modules.root) if round_ % 2 else liveimport.workspace()
            else:
                liveimport.register(spaces[index], "import th_a")
                modules.touch("th_b")
                liveimport.sync()
            str(liveimport.status())

    assert run_threads(work) == []
    # the engine is still usable and consistent afterwards
    liveimport.reset()
    liveimport.workspace(modules.root)
    liveimport.register(spaces[0], "import th_a")
    modules.write("th_b", "X = 2\n")
    assert [e.module for e in liveimport.sync()] == ["th_b", "th_a"]


def test_a1_keyboardinterrupt_while_a_sync_waits_for_an_import_lock_restores_everything(
    modules, imp
):
    """A1: Ctrl-C while the sync waits for a module that another thread is
    reloading leaves every module where it was, and no finder behind."""
    gate = types.ModuleType("lilog_gate")
    gate.entered, gate.release = threading.Event(), threading.Event()  # type: ignore[attr-defined]
    gate.release.set()  # type: ignore[attr-defined]
    sys.modules["lilog_gate"] = gate
    modules.write("kia", "X = 1\n")
    modules.write("kic", "Z = 1\n")
    modules.write(
        "kib",
        "import kia, kic, lilog_gate\nlilog_gate.entered.set()\nlilog_gate.release.wait(10)\n",
    )
    try:
        imp("import kib")
        before = {name: sys.modules[name] for name in ("kia", "kib", "kic")}
        finders = list(sys.meta_path)
        gate.entered.clear()  # type: ignore[attr-defined]
        gate.release.clear()  # type: ignore[attr-defined]
        modules.write("kia", "X = 2\n")
        reloader = threading.Thread(target=importlib.reload, args=(before["kib"],))
        reloader.start()
        assert gate.entered.wait(10)  # type: ignore[attr-defined]
        interrupt = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        interrupt.start()
        with pytest.raises(KeyboardInterrupt):
            liveimport.sync()
        interrupt.join()
        gate.release.set()  # type: ignore[attr-defined]
        reloader.join(10)
        assert {name: sys.modules.get(name) for name in before} == before
        assert sys.meta_path == finders and before["kia"].X == 1
        assert names(liveimport.sync()) == ["kia", "kib"] and sys.modules["kia"].X == 2
    finally:
        gate.release.set()  # type: ignore[attr-defined]
        del sys.modules["lilog_gate"]
