"""A7: ``python -m liveimport enable`` / ``disable`` edit the default IPython
profile's config (found through ``IPYTHONDIR``), idempotently, touching nothing
else, and say what changed and where."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import run_python
from liveimport import _ipyconfig
from liveimport.__main__ import main

APPEND = 'c.InteractiveShellApp.extensions.append("liveimport")'


@pytest.fixture
def ipythondir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ipythondir"
    monkeypatch.setenv("IPYTHONDIR", str(path))
    return path


def config(ipythondir: Path) -> Path:
    return ipythondir / "profile_default" / "ipython_config.py"


def cli(*args: str, ipythondir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPYTHONDIR": str(ipythondir)}
    return run_python("-m", "liveimport", *args, env=env, check=False)


def existing_config(ipythondir: Path, text: str) -> Path:
    """The profile's config file, written with ``text`` before the test runs."""
    path = config(ipythondir)
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return path


def loaded_extensions(ipythondir: Path, cwd: Path) -> str:
    """What a real IPython started with this IPYTHONDIR has loaded (with
    ``cwd`` on its path, where ``myext`` is an extension of the user's own)."""
    (cwd / "myext.py").write_text("def load_ipython_extension(ip):\n    pass\n")
    env = {**os.environ, "IPYTHONDIR": str(ipythondir), "PYTHONPATH": str(cwd)}
    probe = "print(sorted(get_ipython().extension_manager.loaded))"
    return run_python("-m", "IPython", "--no-banner", "-c", probe, env=env, cwd=cwd).stdout


def test_a7_enable_creates_the_profile_config_and_a_real_ipython_loads_liveimport(
    ipythondir, tmp_path
):
    out = cli("enable", ipythondir=ipythondir)
    assert out.returncode == 0, out.stderr
    path = config(ipythondir)
    assert f"Created {path}:\n  line 4: added {APPEND}\n" in out.stdout
    assert "python -m liveimport disable" in out.stdout
    text = path.read_text()
    assert text.startswith("c = get_config()")
    assert text.splitlines()[3] == APPEND
    assert "'liveimport'" in loaded_extensions(ipythondir, tmp_path)


def test_a7_enable_twice_changes_nothing_the_second_time(ipythondir, capsys):
    assert main(["enable"]) == 0
    first = config(ipythondir).read_text()
    capsys.readouterr()
    assert main(["enable"]) == 0
    assert config(ipythondir).read_text() == first
    path = config(ipythondir)
    assert capsys.readouterr().out == (
        f"LiveImport is already enabled in {path} (line 4); nothing changed.\n"
    )


def test_a7_enable_keeps_an_existing_config_and_its_other_extensions(ipythondir, tmp_path):
    original = textwrap.dedent(
        """\
        # my settings
        c = get_config()  # noqa
        c.InteractiveShellApp.extensions = ["myext"]
        c.TerminalInteractiveShell.confirm_exit = False"""  # no final newline
    )
    path = existing_config(ipythondir, original)
    out = cli("enable", ipythondir=ipythondir)
    assert out.returncode == 0, out.stderr
    assert f"Changed {path}:\n  line 7: added {APPEND}\n" in out.stdout
    text = path.read_text()
    assert text.startswith(original + "\n")
    assert text.splitlines()[6] == APPEND
    assert "'liveimport', 'myext'" in loaded_extensions(ipythondir, tmp_path)
    assert cli("disable", ipythondir=ipythondir).returncode == 0
    assert path.read_text() == original + "\n"
    loaded = loaded_extensions(ipythondir, tmp_path)
    assert "liveimport" not in loaded and "'myext'" in loaded


def test_a7_disable_undoes_enable_exactly_and_repeats_harmlessly(ipythondir, capsys):
    original = "c = get_config()\nc.InteractiveShellApp.exec_lines = ['x = 1']\n"
    path = existing_config(ipythondir, original)
    assert main(["enable"]) == 0
    assert main(["disable"]) == 0
    assert path.read_text() == original
    assert capsys.readouterr().out.endswith(
        f"Changed {path}:\n  line 5: removed {APPEND}\n"
        "IPython shells and Jupyter kernels started from now on do not load it.\n"
    )
    assert main(["disable"]) == 0
    assert path.read_text() == original
    assert capsys.readouterr().out == f"LiveImport is not enabled in {path}; nothing changed.\n"


def test_a7_disable_without_a_config_file_creates_nothing(ipythondir, capsys):
    assert main(["disable"]) == 0
    path = config(ipythondir)
    assert not path.exists()
    assert capsys.readouterr().out == (
        f"LiveImport is not enabled in {path} (there is no such file); nothing changed.\n"
    )


def test_a7_enable_sees_liveimport_the_user_listed_already(ipythondir, capsys):
    original = "c.InteractiveShellApp.extensions = [\n    'autoreload',\n    'liveimport',\n]\n"
    path = existing_config(ipythondir, original)
    assert main(["enable"]) == 0
    assert path.read_text() == original
    assert "already enabled" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (
            'c.InteractiveShellApp.extensions = ["liveimport"]\n',
            "c.InteractiveShellApp.extensions = []\n",
            1,
        ),
        (
            "c.InteractiveShellApp.extensions = ['a', 'liveimport', 'b']\n",
            "c.InteractiveShellApp.extensions = ['a', 'b']\n",
            1,
        ),
        (
            "x = 1\nc.IPKernelApp.extensions = ('a', 'liveimport')  # mine\n",
            "x = 1\nc.IPKernelApp.extensions = ('a')  # mine\n",
            2,
        ),
        (
            "c.InteractiveShellApp.extensions = [\n    'a',\n    'liveimport',\n]\n",
            "c.InteractiveShellApp.extensions = [\n    'a',\n]\n",
            3,
        ),
        (
            "c.InteractiveShellApp.extensions.extend(['liveimport'])\nx = 'liveimport'\n",
            "x = 'liveimport'\n",
            1,
        ),
        ("c.TerminalIPythonApp.extensions.insert(0, 'liveimport')\n", "", 1),
        (f"{_ipyconfig.MARKER}\n{APPEND}\nx = 1\n", "x = 1\n", 2),
        (
            (
                "c.InteractiveShellApp.extensions += ['liveimport', 'b']\n"
                "c.InteractiveShellApp.extensions.append('liveimport')\n"
            ),
            "c.InteractiveShellApp.extensions += ['b']\n",
            1,
        ),
    ],
)
def test_a7_disable_removes_every_liveimport_entry_and_nothing_else(before, after, change):
    edit = _ipyconfig.disable(before, "cfg.py")
    assert edit is not None
    assert edit.text == after
    assert edit.changes[0].startswith(f"line {change}: removed")


def test_a7_disable_reports_original_line_numbers():
    text = "c.InteractiveShellApp.extensions.append('liveimport')\n\n" + _ipyconfig.MARKER
    text += "\n" + APPEND + "\n"
    edit = _ipyconfig.disable(text, "cfg.py")
    assert edit is not None and edit.text == ""
    assert [c.partition(":")[0] for c in edit.changes] == ["line 1", "line 4"]


@pytest.mark.parametrize(
    ("text", "enabled"),
    [
        ("c.InteractiveShellApp.extensions = ['liveimport']\n", 1),
        ("c.InteractiveShellApp.extensions += ['liveimport']\n", 1),
        ("c.InteractiveShellApp.extensions.insert(0, 'liveimport')\n", 1),
        ("c.InteractiveShellApp.extensions.extend(['a', 'liveimport'])\n", 1),
        (
            (
                "c.InteractiveShellApp.extensions = ['liveimport']\n"
                "c.InteractiveShellApp.extensions = ['other']\n"
            ),
            None,
        ),
        (
            (
                "c.InteractiveShellApp.extensions.append('liveimport')\n"
                "c.InteractiveShellApp.extensions.remove('liveimport')\n"
            ),
            None,
        ),
        ("c.InteractiveShellApp.extensions += ['other']\nprint('liveimport')\n", None),
        (
            "c.InteractiveShellApp.extensions = ['liveimport']\nc.InteractiveShellApp.extensions.remove('x')\n",
            1,
        ),
        ("c.InteractiveShellApp.exec_lines.append('liveimport')\n", None),
        ("c.TerminalIPythonApp.extensions = ['liveimport']\n", None),  # not for kernels
        ("if True:\n    c.InteractiveShellApp.extensions = ['liveimport']\n", None),
    ],
)
def test_a7_enable_reads_the_files_extensions_statement_by_statement(text, enabled):
    assert _ipyconfig.enabling_line(text, "cfg.py") == enabled
    edit = _ipyconfig.enable(text, "cfg.py")
    assert (edit is None) == (enabled is not None)


def test_a7_a_config_that_is_not_python_is_left_alone(ipythondir, capsys):
    path = existing_config(ipythondir, "c.InteractiveShellApp.extensions = [\n")
    for command in ("enable", "disable"):
        assert main([command]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"liveimport {command}: {path} is not valid Python")
        assert "nothing was changed" in err
    assert path.read_text() == "c.InteractiveShellApp.extensions = [\n"


def test_a7_disable_refuses_an_edit_that_would_break_the_file(ipythondir, capsys):
    original = "if True:\n    c.InteractiveShellApp.extensions.append('liveimport')\n"
    path = existing_config(ipythondir, original)
    assert main(["disable"]) == 1
    err = capsys.readouterr().err
    assert "line 2: removing liveimport there would leave invalid Python" in err
    assert path.read_text() == original


def test_a7_an_unreadable_config_is_reported(ipythondir, capsys):
    path = config(ipythondir)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not text")
    assert main(["enable"]) == 1
    assert capsys.readouterr().err.startswith("liveimport enable: ")


def test_a7_without_ipython_says_how_to_get_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "IPython", None)  # as if not installed
    assert main(["enable"]) == 2
    assert capsys.readouterr().err == "enable edits a profile of IPython: pip install ipython\n"


@pytest.mark.kernel
def test_a7_a_jupyter_kernel_started_after_enable_has_liveimport_loaded(ipythondir, tmp_path):
    from jupyter_client.manager import start_new_kernel

    assert main(["enable"]) == 0
    seen: list[dict] = []
    env = {**os.environ, "IPYTHONDIR": str(ipythondir)}
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(tmp_path), env=env)
    try:
        reply = client.execute_interactive(
            "print('liveimport' in get_ipython().extension_manager.loaded, "
            "'liveimport' in get_ipython().magics_manager.magics['cell'])",
            output_hook=seen.append,
            timeout=60,
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    printed = [m["content"]["text"] for m in seen if m["msg_type"] == "stream"]
    assert printed == ["True True\n"]
