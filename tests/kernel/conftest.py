"""A real ipykernel driven through jupyter_client, one per test module.

Every message a test receives is kept, and printed if the test fails.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import start_new_kernel


class Kernel:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.transcript: list[str] = []

    def execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        timeout: float = 30,
        cell_id: str | None = None,
    ) -> tuple[dict, list[dict]]:
        """Run ``code``; return the execute reply and the iopub outputs, in order.
        With ``cell_id`` the request carries it in its metadata, as JupyterLab,
        Notebook 7 and VS Code send it."""
        if cell_id is None:
            msg_id = self.client.execute(code, silent=silent, store_history=store_history)
        else:
            content = {
                "code": code,
                "silent": silent,
                "store_history": store_history,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            }
            msg = self.client.session.msg("execute_request", content, metadata={"cellId": cell_id})
            self.client.shell_channel.send(msg)
            msg_id = msg["header"]["msg_id"]
        outputs: list[dict] = []
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=timeout)
            except queue.Empty:
                self.transcript.append(f"TIMEOUT waiting for output of {code!r}")
                raise
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                break
            if kind in ("display_data", "execute_result", "stream", "error"):
                outputs.append({"type": kind, **msg["content"]})
        reply = self.client.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=timeout)
        self.transcript.append(f">>> {code}\n{reply['content']['status']}: {outputs}")
        return reply["content"], outputs

    def ok(self, code: str, **kwargs: Any) -> list[dict]:
        reply, outputs = self.execute(code, **kwargs)
        assert reply["status"] == "ok", (code, reply, outputs)
        return outputs


@pytest.fixture(scope="module")
def kernel_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kernel]:
    cwd = tmp_path_factory.mktemp("kernel")
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd))
    try:
        yield Kernel(client)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel(
    kernel_session: Kernel, modules: Any, request: pytest.FixtureRequest
) -> Iterator[Kernel]:
    """The module's kernel, with LiveImport reset and this test's ``modules``
    root on its path and as its workspace."""
    kernel_session.transcript = []
    root = Path(modules.root)
    kernel_session.ok(
        "import sys, liveimport\n"
        "liveimport.reset()\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        f"liveimport.workspace({str(root)!r})\n"
        "liveimport.auto_sync(True, grace=0, report=True, on_error='stop')",
        store_history=False,
    )
    yield kernel_session
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print("\n---- kernel transcript ----\n" + "\n".join(kernel_session.transcript))
    kernel_session.ok(f"sys.path.remove({str(root)!r})", store_history=False)
