"""Concurrency and re-entrancy (C2 thread safety, §5): many threads syncing
and registering while files change; module code that calls LiveImport while
it is being reloaded."""

from __future__ import annotations

import os
import sys
import threading

import pytest

import liveimport
from helpers import snapshot
from liveimport import ModuleError

N_MODULES = 6


def _source(i: int, version: int) -> str:
    dep = f"import cc{i - 1}\n" if i else ""
    return f"{dep}V = {version}\ndef f(): return {version}\n"


def test_c2_threads_syncing_and_registering_while_files_change(modules, imp):
    for i in range(N_MODULES):
        modules.write(f"cc{i}", _source(i, 0))
    main = {"__name__": "main"}
    imp("\n".join(f"from cc{i} import f as f{i}" for i in range(N_MODULES)), namespace=main)
    clock = threading.Lock()
    versions = dict.fromkeys(range(N_MODULES), 0)
    errors: list[BaseException] = []
    stop = threading.Event()
    namespaces = [{"__name__": f"t{k}"} for k in range(3)]

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
            with clock:
                versions[i] += 1
                version = versions[i]
                mtime = modules.tick()
            path = modules.path(f"cc{i}")
            tmp = path.with_name(f".cc{i}.tmp")
            tmp.write_text(_source(i, version))
            os.utime(tmp, ns=(mtime, mtime))
            os.replace(tmp, path)  # atomic: a reader never sees half a file
            if stop.is_set():
                return
        stop.set()

    def syncer():
        while not stop.is_set():
            for event in liveimport.sync():
                assert event.module.startswith("cc")

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
    liveimport.sync()
    assert liveimport.sync() == []
    for i in range(N_MODULES):
        module = sys.modules[f"cc{i}"]
        assert versions[i] == module.V
        assert main[f"f{i}"] is module.f
        if i:
            assert module.__dict__[f"cc{i - 1}"] is sys.modules[f"cc{i - 1}"]
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


def test_c2_concurrent_syncs_reload_each_change_once(modules, log, imp):
    modules.write("once", "X = 1\n" + log.line)
    ns: dict = {"__name__": "ns"}
    imp("from once import X", namespace=ns)
    log.clear()
    modules.write("once", "X = 2\n" + log.line)
    barrier = threading.Barrier(8)
    results: list[list] = []

    def run():
        barrier.wait()
        results.append(liveimport.sync())

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert log.events == ["once"]
    assert sorted(len(r) for r in results) == [0] * 7 + [1]
    assert ns["X"] == 2


# -- re-entrancy from module code -------------------------------------------------


def test_c2_module_calling_sync_while_reloading(modules, log, ns, imp):
    modules.write("re_s", "X = 1\n")
    imp("from re_s import X")
    modules.write("re_s", "import liveimport\nNESTED = liveimport.sync()\nX = 2\n" + log.line)
    [event] = liveimport.sync()
    assert event.module == "re_s"
    assert sys.modules["re_s"].NESTED == []  # nothing left to do inside
    assert log.events == ["re_s"] and ns["X"] == 2
    assert liveimport.sync() == []


def test_c1_module_registering_while_reloading(modules, log, ns, imp):
    """A module that registers its own imports when it runs (e.g. a notebook
    helper) may be reloaded: the registration is kept, the sync completes."""
    modules.write("re_dep", "Y = 1\n")
    modules.write("re_r", "X = 1\n")
    imp("from re_r import X")
    modules.write(
        "re_r",
        "import liveimport\nfrom re_dep import Y\n"
        "liveimport.register(globals(), 'from re_dep import Y')\nX = 2\n",
    )
    [event] = liveimport.sync()
    assert event.module == "re_r" and ns["X"] == 2
    module_ns = vars(sys.modules["re_r"])
    assert liveimport.registered(module_ns) == ["from re_dep import Y"]
    modules.write("re_dep", "Y = 2\n")
    events = liveimport.sync()
    assert [e.module for e in events] == ["re_dep", "re_r"]
    assert sys.modules["re_r"].Y == 2


def test_a1_module_registering_then_failing_while_reloading(modules, ns, imp):
    modules.write("re_f", "X = 1\n")
    imp("from re_f import X")
    modules.write(
        "re_f",
        "import liveimport\nliveimport.register(globals(), 'import liveimport')\n"
        "raise RuntimeError('after registering')\n",
    )
    before = snapshot(["re_f"], ns)
    with pytest.raises(ModuleError, match="after registering"):
        liveimport.sync()
    # The module and the user's namespace are restored (A1). The registration
    # the module code made is a side effect on a registry, like a file it
    # writes: A1 does not undo it, and it must not break anything.
    module, contents = before.modules["re_f"]
    assert sys.modules["re_f"] is module and vars(module) == contents
    assert all(vars(module)[k] is v for k, v in contents.items())
    namespace, ns_contents = before.namespaces[0]
    assert namespace == ns_contents
    modules.write("re_f", "X = 3\n")
    liveimport.sync()
    assert ns["X"] == 3
