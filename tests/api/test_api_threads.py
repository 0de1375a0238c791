"""C2 thread safety: concurrent sync()/register() calls are serialised; no change
is lost, none is reloaded twice."""

from __future__ import annotations

import os
import sys
import threading
from collections import Counter

import liveimport

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
        results: list[list[str]] = [[] for _ in range(THREADS)]

        def work(index: int, results=results) -> None:
            for _ in range(3):
                results[index].extend(e.module for e in liveimport.sync())

        errors = run_threads(work)
        assert errors == []
        reloaded = Counter(name for result in results for name in result)
        assert reloaded == Counter({"th_a": 1, "th_b": 1}), version
        assert log.events == [("th_a", version)]
        assert (ns["VERSION"], ns["V"]) == (version, version)
        log.clear()


def test_c2_concurrent_syncs_while_files_change_lose_nothing(modules, ns, imp, log):
    modules.write("th_a", versioned(0))
    imp("from th_a import VERSION")
    log.clear()
    stop = threading.Event()
    errors: list[BaseException] = []
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def syncer() -> None:
        try:
            while not stop.is_set():
                events = liveimport.sync()
                with lock:
                    counts.update(e.module for e in events)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=syncer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        for version in range(1, 41):
            write_atomically(modules, "th_a", versioned(version))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    counts.update(e.module for e in liveimport.sync())
    assert ns["VERSION"] == 40
    assert sys.modules["th_a"].VERSION == 40
    versions = [v for _, v in log.events]
    assert versions == sorted(versions)  # never went back to an older version
    assert versions[-1] == 40
    assert counts["th_a"] == len(log.events)  # one event per execution, none lost
    assert liveimport.sync() == []


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
