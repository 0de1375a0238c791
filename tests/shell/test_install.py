"""N1: installing and removing the integration, by every route."""

from __future__ import annotations

import os
import textwrap

import liveimport
from helpers import run_python
from liveimport import _ipython


def footprint(ip):
    """Everything of ours a shell can hold."""
    return (
        sum(getattr(cb, "__self__", None).__class__ is _ipython.Integration
            for event in ("pre_run_cell", "post_run_cell")
            for cb in ip.events.callbacks[event]),
        sum(isinstance(t, _ipython._Gate) for t in ip.ast_transformers),
        ip.input_transformers_cleanup.count(liveimport._magics.unhide),
        "liveimport" in ip.magics_manager.magics["cell"],
        "liveimport" in ip.magics_manager.magics["line"],
    )  # fmt: skip


# No AST transformer of ours between cells: the N6 gate is added only while a
# failed sync waits to reject its cell (any transformer makes IPython walk every
# cell's whole syntax tree).
INSTALLED = (2, 0, 1, True, True)
REMOVED = (0, 0, 0, False, False)


def test_n1_load_ext_installs_and_unload_ext_removes_everything(shell):
    assert footprint(shell.ip) == INSTALLED
    shell.run("%unload_ext liveimport")
    assert footprint(shell.ip) == REMOVED
    shell.run("%load_ext liveimport")
    assert footprint(shell.ip) == INSTALLED
    shell.run("%reload_ext liveimport")
    assert footprint(shell.ip) == INSTALLED


def test_n1_installing_twice_never_doubles_hooks_or_reports(shell, modules, capsys):
    _ipython.install(shell.ip)
    shell.run("%load_ext liveimport")
    liveimport.load_ipython_extension(shell.ip)
    assert footprint(shell.ip) == INSTALLED
    modules.write("n1twice", "value = 1\n")
    assert shell.run("%%liveimport\nimport n1twice").success
    modules.write("n1twice", "value = 2\n")
    capsys.readouterr()
    assert shell.run("n1twice.value").result == 2
    assert capsys.readouterr().out.count("Reloaded n1twice") == 1


def test_n1_unload_keeps_registrations_and_explicit_sync(shell, modules, capsys):
    modules.write("n1keep", "value = 1\n")
    shell.run("%%liveimport\nfrom n1keep import value")
    shell.run("%unload_ext liveimport")
    modules.write("n1keep", "value = 2\n")
    capsys.readouterr()
    assert shell.run("value").result == 1  # no automatic sync any more
    assert "Reloaded" not in capsys.readouterr().out
    assert liveimport.registered(shell.ns) == ["from n1keep import value"]
    assert [e.module for e in liveimport.sync()] == ["n1keep"]
    assert shell.ns["value"] == 2
    assert not shell.run("%%liveimport\nimport n1keep").success  # the magic is gone


def test_n1_import_liveimport_under_ipython_installs(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config
        config = Config()
        config.HistoryManager.enabled = False
        ip = InteractiveShell.instance(config=config)
        assert "liveimport" not in sys.modules
        ip.run_cell("import liveimport", store_history=True)
        print("cell" , "liveimport" in ip.magics_manager.magics["cell"])
        ip.run_cell("%load_ext liveimport", store_history=True)
        print("hooks", len([c for c in ip.events.callbacks["pre_run_cell"]
                            if type(getattr(c, "__self__", None)).__name__ == "Integration"]))
        ip.run_cell("%unload_ext liveimport", store_history=True)
        print("after", "liveimport" in ip.magics_manager.magics["cell"])
        """
    )
    out = run_python("-c", script, cwd=tmp_path)
    lines = [
        line for line in out.stdout.splitlines() if line.startswith(("cell", "hooks", "after"))
    ]
    assert lines == ["cell True", "hooks 1", "after False"], out.stdout


def test_n1_unload_leaves_a_user_magic_that_replaced_ours(shell):
    def mine(line):
        return f"mine: {line}"

    shell.ip.register_magic_function(mine, "line", "liveimport")
    shell.run("%unload_ext liveimport")
    assert footprint(shell.ip)[:4] == REMOVED[:4]  # our hooks and cell magic are gone...
    assert shell.run("%liveimport hello").result == "mine: hello"  # ...the user's stays


def test_n1_unload_tolerates_pieces_already_removed_by_hand(shell, capsys):
    ip = shell.ip
    integration = _ipython._INSTALLED[id(ip)]
    ip.events.unregister("pre_run_cell", integration.pre_run_cell)
    ip.input_transformers_cleanup.remove(liveimport._magics.unhide)
    result = shell.run("%unload_ext liveimport")
    assert result.success, result.error_in_exec
    assert footprint(ip) == REMOVED
    shell.run("%load_ext liveimport")
    assert footprint(ip) == INSTALLED


def test_n1_shell_without_extension_manager(shell, modules, capsys):
    ip = shell.ip
    _ipython.uninstall(ip)
    ip.extension_manager = None  # the trait allows it (e.g. a bare embedded shell)
    _ipython.install(ip)
    assert footprint(ip) == INSTALLED
    modules.write("n1noext", "value = 1\n")
    assert shell.run("%%liveimport\nfrom n1noext import value").success
    modules.write("n1noext", "value = 2\n")
    assert shell.run("value").result == 2  # automatic sync works
    _ipython.uninstall(ip)
    assert footprint(ip) == REMOVED


def test_n1_import_liveimport_with_ipython_loaded_but_no_shell(tmp_path):
    script = textwrap.dedent(
        """
        import IPython
        from IPython.core.interactiveshell import InteractiveShell
        import liveimport
        from liveimport import _ipython
        print("shell", InteractiveShell.initialized(), len(_ipython._INSTALLED))
        """
    )
    out = run_python("-c", script, cwd=tmp_path)
    assert out.stdout.splitlines()[-1] == "shell False 0"


def test_n6_the_gate_exists_only_while_a_failed_sync_waits_for_its_cell(shell, modules):
    modules.write("gatemod", "value = 1\n")
    assert shell.run("%%liveimport\nfrom gatemod import value").success
    modules.write("gatemod", "value = 2\nraise RuntimeError('broken')\n")
    seen = []
    shell.ip.events.register(
        "pre_run_cell", lambda info: seen.append(footprint(shell.ip)[1])
    )  # runs after ours: the gate is armed by then
    assert not shell.run("ran = 1").success and "ran" not in shell.ns
    assert seen == [1]
    assert footprint(shell.ip) == INSTALLED  # disarmed once the cell ended
    modules.write("gatemod", "value = 3\n")
    assert shell.run("ran = value").success and shell.ns["ran"] == 3
    assert seen == [1, 0]


def test_n1_ipython_config_extensions_installs_it(tmp_path):
    """``c.InteractiveShellApp.extensions = ["liveimport"]`` in a real IPython."""
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "ipython_config.py").write_text(
        'c.InteractiveShellApp.extensions = ["liveimport"]\n'
    )
    probe = (
        "ip = get_ipython(); "
        "print('magic', 'liveimport' in ip.magics_manager.magics['cell']); "
        "print('hook', any(getattr(cb, '__self__', None).__class__.__name__ == 'Integration' "
        "for cb in ip.events.callbacks['pre_run_cell'])); "
        "print('imported', 'liveimport' in __import__('sys').modules)"
    )
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipythondir")}
    out = run_python(
        "-m",
        "IPython",
        f"--profile-dir={profile}",
        "--no-banner",
        "-c",
        probe,
        env=env,
        cwd=tmp_path,
    )
    assert "magic True" in out.stdout and "hook True" in out.stdout, out.stdout + out.stderr
    assert "imported True" in out.stdout
