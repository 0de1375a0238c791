"""§0: the installed distribution, the package and the command line report one version."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

import liveimport
from liveimport.__main__ import main


def test_section0_version_is_the_distributions_version():
    """§0: ``liveimport.__version__`` is the version the installed distribution declares."""
    assert liveimport.__version__ == importlib.metadata.version("liveimport")


def test_section0_command_line_prints_the_version(capsys):
    """§0: ``liveimport --version`` prints the name and version and exits 0."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"liveimport {liveimport.__version__}\n"


def test_section0_python_m_liveimport_version_runs_without_ipython_loaded():
    """§0, §4: ``python -m liveimport --version`` works in a fresh interpreter and
    does not import IPython."""
    code = (
        "import runpy, sys\n"
        "sys.argv = ['liveimport', '--version']\n"
        "try:\n"
        "    runpy.run_module('liveimport', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as e:\n"
        "    print('IPython' in sys.modules, e.code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout == f"liveimport {liveimport.__version__}\nFalse 0\n"
    plain = subprocess.run(
        [sys.executable, "-m", "liveimport", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (plain.returncode, plain.stdout) == (0, f"liveimport {liveimport.__version__}\n")
