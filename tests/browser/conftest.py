"""Real-browser fixtures: one Jupyter server and one headless Chromium for the
whole of tests/browser, stopped when its last test is done (Playwright's sync
API keeps an asyncio loop running that other suites must not see).

The tests need the ``browser`` extra (``jupyterlab``, ``notebook``,
``playwright``) and Debian's Chromium at ``/usr/bin/chromium``; without them
the whole directory is skipped. Every test gets a fresh page, and a directory
of its own under the server's root (so the kernel's working directory, and
LiveImport's default workspace, is that directory). A failing test leaves a
screenshot in the artifacts directory (``LIVEIMPORT_BROWSER_ARTIFACTS``, or a
``liveimport-browser-artifacts`` directory under the system's temp directory).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytest.importorskip("jupyterlab")
pytest.importorskip("notebook")
sync_api = pytest.importorskip("playwright.sync_api")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from .jupyter_harness import (
    ARTIFACTS,
    LIVE_PAGES,
    Files,
    JupyterServer,
    Notebook,
    new_page,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    jupyter = JupyterServer(tmp_path_factory.mktemp("jupyter"))
    try:
        jupyter.start()
        yield jupyter
    finally:
        jupyter.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # Here, before fixtures tear down, the failing test's pages are still open;
    # tests/conftest.py keeps the call's report on the item.
    report = getattr(item, "rep_call", None)
    if report is not None and report.failed and LIVE_PAGES:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.nodeid)
        for index, page in enumerate(LIVE_PAGES):
            path = ARTIFACTS / f"{name}-{index}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except sync_api.Error as error:
                report.sections.append(("screenshot", f"{path}: {error}"))
            else:
                report.sections.append(("screenshot", str(path)))
    return (yield)


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    with new_page(browser) as fresh:
        yield fresh


@pytest.fixture
def folder(request: pytest.FixtureRequest, server: JupyterServer) -> str:
    """This test's directory, relative to the server's root."""
    digest = hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:8]
    name = re.sub(r"\W+", "_", request.node.name)[:50] + "_" + digest
    (server.root / name).mkdir()
    return name


@pytest.fixture
def files(server: JupyterServer, folder: str) -> Files:
    return Files(server.root / folder)


@pytest.fixture
def open_notebook(page: sync_api.Page, server: JupyterServer, folder: str):
    """``open_notebook(cells, frontend="lab")``: write a notebook with these
    cells into this test's folder and open it in JupyterLab or Notebook 7.
    Its kernel shuts down after the test."""
    opened: list[str] = []

    def open_(cells: list[str], *, frontend: str = "lab", name: str = "test.ipynb") -> Notebook:
        path = f"{folder}/{name}"
        server.write_notebook(path, cells)
        opened.append(path)
        notebook = Notebook(page, server, path, frontend)
        notebook.open()
        return notebook

    yield open_
    server.shutdown_kernels(opened)
