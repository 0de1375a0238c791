"""A real Jupyter server (JupyterLab and Notebook 7) and the page operations the
browser tests need: open a notebook, run cells, read outputs.

The server runs on 127.0.0.1 with a free port, a token, and config, data,
runtime, settings and IPython directories of its own, so nothing on the machine
changes it and it changes nothing on the machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

STARTUP_SECONDS = 90
#: Where a failing test leaves its screenshots.
ARTIFACTS = Path(
    os.environ.get("LIVEIMPORT_BROWSER_ARTIFACTS")
    or Path(tempfile.gettempdir()) / "liveimport-browser-artifacts"
)
#: Pages open right now, whatever fixture opened them: a failing test
#: leaves a screenshot of each.
LIVE_PAGES: list[Any] = []


@contextlib.contextmanager
def new_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context, closed on the way out."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    LIVE_PAGES.append(page)
    try:
        yield page
    finally:
        LIVE_PAGES.remove(page)
        context.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class JupyterServer:
    """``python -m jupyterlab`` in a sandbox of temporary directories; the
    ``notebook`` package's server extension serves Notebook 7 from it too."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / "root"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = base / "server.log"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for variable, name in (
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
            ("IPYTHONDIR", "ipython"),
        ):
            path = self.base / name
            path.mkdir(parents=True, exist_ok=True)
            env[variable] = str(path)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env.pop("JUPYTER_PATH", None)
        # Coverage of the kernels is not what these tests measure.
        env.pop("COVERAGE_PROCESS_START", None)
        return env

    def write_settings(self) -> None:
        settings = self.base / "settings"
        for plugin, values in {
            # No news or update pop-ups over the notebook.
            "@jupyterlab/apputils-extension/notification": {
                "fetchNews": "false",
                "checkForUpdates": False,
            },
            "@jupyterlab/apputils-extension/themes": {"theme": "JupyterLab Light"},
            # Every cell in the DOM, so tests can measure any of them.
            "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        }.items():
            path = settings / (plugin + ".jupyterlab-settings")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.write_settings()
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                env=self.environment(),
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Jupyter server exited:\n{self.log_path.read_text()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.25)
        raise RuntimeError(f"Jupyter server did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # The server and its kernels share one process group of their own.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            self.url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self, notebooks: list[str]) -> None:
        """Shut down the kernels of these notebooks (paths relative to the root)."""
        for session in self.api("GET", "/api/sessions"):
            if session["path"] in notebooks:
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def lab_url(self, notebook: str) -> str:
        # ``reset``: open only this notebook, not whatever the last page had open.
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def notebook7_url(self, notebook: str) -> str:
        return f"{self.url}/notebooks/{notebook}?token={self.token}"

    def write_notebook(self, name: str, cells: list[str]) -> Path:
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        path = self.root / name
        nbformat.write(notebook, path)
        return path


class Files:
    """Module files in one test's directory (its kernel's working directory, so
    LiveImport's default workspace). Every write gets a later explicit mtime."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.clock = 1_700_000_000

    def write(self, name: str, source: str) -> Path:
        path = self.directory / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        self.clock += 1
        os.utime(path, ns=(self.clock * 10**9, self.clock * 10**9))
        return path


#: The notebook panel the frontend shows (JupyterLab and Notebook 7 alike).
_PANEL = "jupyterapp.shell.currentWidget"
_READY = f"""() => {{
    const panel = window.jupyterapp && {_PANEL};
    return !!(panel && panel.content && panel.content.widgets.length
        && panel.sessionContext.session?.kernel?.status === 'idle');
}}"""


class Notebook:
    """One notebook open in a page, in JupyterLab (``"lab"``) or Notebook 7
    (``"notebook7"``); cells are driven through the frontend's own commands."""

    def __init__(self, page: Any, server: JupyterServer, path: str, frontend: str) -> None:
        self.page = page
        self.server = server
        self.path = path
        self.frontend = frontend

    def open(self) -> None:
        url = (
            self.server.lab_url(self.path)
            if self.frontend == "lab"
            else (self.server.notebook7_url(self.path))
        )
        self.page.goto(url)
        self.page.wait_for_function(_READY)

    def wait_idle(self) -> None:
        self.page.wait_for_function(_READY)

    def run(self, index: int) -> bool:
        """Run cell ``index`` as the user would (select it, run it); returns
        the frontend's verdict: ``False`` when the cell ended in an error."""
        ok = self.page.evaluate(
            f"""async (index) => {{
                const notebook = {_PANEL}.content;
                notebook.activeCellIndex = index;
                notebook.deselectAll();
                return await jupyterapp.commands.execute('notebook:run-cell');
            }}""",
            index,
        )
        self.wait_idle()
        self.wait_rendered(index)
        return bool(ok)

    def wait_rendered(self, index: int) -> None:
        """Until every output of cell ``index`` shows something: renderers
        such as Markdown's fill their node after the kernel has replied."""
        self.page.wait_for_function(
            f"""(index) => {{
                const cell = {_PANEL}.content.widgets[index].node;
                return [...cell.querySelectorAll('.jp-OutputArea-output')].every(
                    (o) => o.innerText.trim().length > 0 || o.querySelector('img'));
            }}""",
            arg=index,
        )

    def set_source(self, index: int, source: str) -> None:
        self.page.evaluate(
            f"([index, source]) => {_PANEL}.content.widgets[index].model.sharedModel"
            ".setSource(source)",
            [index, source],
        )

    def command(self, name: str, args: dict[str, Any] | None = None) -> Any:
        return self.page.evaluate(
            "async ([name, args]) => await jupyterapp.commands.execute(name, args)",
            [name, args or {}],
        )

    def cell(self, index: int) -> Any:
        cells = self.page.locator(".jp-Notebook .jp-Cell")
        return cells.last if index == -1 else cells.nth(index)

    def output(self, index: int) -> Any:
        return self.cell(index).locator(".jp-OutputArea")

    def trusted(self, index: int) -> bool:
        return bool(
            self.page.evaluate(f"(index) => {_PANEL}.content.widgets[index].model.trusted", index)
        )

    def save(self) -> None:
        self.command("docmanager:save")
