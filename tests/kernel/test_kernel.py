"""N5, N6, A3 through a real ipykernel, as a notebook frontend sees them."""

from __future__ import annotations

import sys

import pytest

import liveimport

pytestmark = pytest.mark.kernel


def texts(outputs, mime="text/plain"):
    return [o["data"][mime] for o in outputs if "data" in o and mime in o["data"]]


def test_section0_kernel_runs_the_interpreter_and_liveimport_under_test(kernel):
    """§0: the kernel the suite drives is this interpreter with this liveimport,
    so each interpreter CI runs is the one the kernel tests check."""
    outputs = kernel.ok("import sys, liveimport\nprint(sys.executable, liveimport.__file__)")
    assert outputs[0]["text"].split() == [sys.executable, liveimport.__file__]


def test_n5_report_arrives_first_as_markdown_display_data(kernel, modules):
    modules.write("kbase", "value = 1\n")
    modules.write("ktop", "from kbase import value\nresult = value * 10\n")
    kernel.ok("%%liveimport\nfrom ktop import result")
    modules.write("kbase", "value = 2\n")
    outputs = kernel.ok("print('cell body')\nresult")
    first = outputs[0]
    assert first["type"] == "display_data"
    markdown = first["data"]["text/markdown"]
    assert markdown.startswith("```console\n") and markdown.rstrip().endswith("```")  # N5 (r2)
    assert "Reloaded kbase modified" in markdown
    assert "Reloaded ktop because kbase reloaded" in markdown
    assert outputs[1]["type"] == "stream" and outputs[1]["text"] == "cell body\n"
    assert texts(outputs[2:]) == ["20"]


def test_n5_silent_and_bootstrap_executions_defer_to_the_next_user_cell(kernel, modules):
    modules.write("kdefer", "value = 1\n")
    kernel.ok("%%liveimport\nfrom kdefer import value")
    modules.write("kdefer", "value = 2\n")
    assert kernel.ok("value", silent=True) == []  # silent: no sync at all
    outputs = kernel.ok("boot = value", store_history=False)
    assert outputs == []  # synced, but shows nothing
    kernel.ok("liveimport.auto_sync(grace=3600)", store_history=False)
    outputs = kernel.ok("boot")
    assert "Reloaded kdefer modified" in texts(outputs, "text/markdown")[0]
    assert texts(outputs)[-1] == "2"


def test_n6_failed_sync_ends_the_cell_with_error_status_and_a_short_message(kernel, modules):
    modules.write("kfail", "value = 1\n")
    kernel.ok("%%liveimport\nfrom kfail import value")
    modules.write("kfail", "value = 2\nraise ValueError('oops')\n")
    reply, outputs = kernel.execute("ran = True")
    assert reply["status"] == "error"
    errors = [o for o in outputs if o["type"] == "error"]
    assert len(errors) == 1 and len(outputs) == 1
    lines = errors[0]["traceback"]
    assert len(lines) <= 7
    assert any("ValueError: oops" in line for line in lines)
    assert any(str(modules.path("kfail")) in line and "line 2" in line for line in lines)
    text = " ".join(" ".join(lines).split())
    assert "Nothing was reloaded, and this cell did not run." in text
    assert text.endswith(
        'liveimport.auto_sync(on_error="warn") to run cells on the previous code. If kfail '
        "can no longer reload at all, drop its import from your #_%%liveimport --clear cell."
    )
    # A bootstrap-style execution is never blocked, and lets us look inside.
    outputs = kernel.ok("print('ran' in globals())", store_history=False)
    assert outputs == [{"type": "stream", "name": "stdout", "text": "False\n"}]


def test_a3_status_renders_as_html_with_the_graph(kernel, modules):
    modules.write("kleaf", "X = 1\n")
    modules.write("kroot", "import kleaf\n")
    kernel.ok("%%liveimport\nimport kroot")
    outputs = kernel.ok("liveimport.status()")
    html = texts(outputs, "text/html")
    assert len(html) == 1 and "<table" in html[0] and "data:image/svg+xml;base64," in html[0]
    assert (
        "kleaf" in html[0]
        and "imported by <code style='white-space:nowrap'>kroot</code>" in html[0]
    )
    outputs = kernel.ok("%liveimport")
    assert "data:image/svg+xml;base64," in texts(outputs, "text/html")[0]


def test_n2_registration_cell_with_await_and_semicolon_in_a_real_kernel(kernel, modules):
    """The kernel runs cells inside its event loop, which a magic body could
    not await in; registration cells now run as ordinary cells."""
    modules.write("kawait", "value = 1\n")
    outputs = kernel.ok(
        "#_%%liveimport --clear\nimport asyncio\nawait asyncio.sleep(0)\n"
        "from kawait import value\nvalue;"
    )
    assert texts(outputs) == []  # the trailing ';' hides the value
    modules.write("kawait", "value = 2\n")
    outputs = kernel.ok("value")
    assert "Reloaded kawait modified" in texts(outputs, "text/markdown")[0]
    assert texts(outputs)[-1] == "2"


def test_n6_warn_mode_message_is_the_first_output_on_stderr(kernel, modules):
    """N6: under on_error="warn" the message comes at the top of the cell's
    output, before anything the cell prints, as a stderr stream (which
    JupyterLab shows as a stderr block at that place)."""
    modules.write("kwarn", "value = 1\n")
    kernel.ok("%%liveimport\nfrom kwarn import value")
    kernel.ok("liveimport.auto_sync(on_error='warn')", store_history=False)
    modules.write("kwarn", "value = 2\nraise ValueError('warned')\n")
    outputs = kernel.ok(
        "import sys\nprint('body out')\nprint('body err', file=sys.stderr)\nvalue * 10"
    )
    first = outputs[0]
    assert first["type"] == "stream" and first["name"] == "stderr"
    assert first["text"].startswith("LiveImport: kwarn raised an exception while reloading.")
    assert "ValueError: warned" in first["text"]
    assert "this cell runs on the previous code" in first["text"]
    assert "body err" not in first["text"]
    rest = [(o["type"], o.get("name"), o.get("text")) for o in outputs[1:-1]]
    assert ("stream", "stdout", "body out\n") in rest
    assert texts(outputs[-1:]) == ["10"]  # the previous code


def test_n6_repair_cells_run_in_a_real_kernel(kernel, modules):
    """N6: a %%writefile cell and a registration cell run while the sync fails;
    the registration cell's retried sync reports in that cell, after its output."""
    modules.write("kgood", "value = 1\n")
    modules.write("kbad", "flag = 1\n")
    kernel.ok("#_%%liveimport\nfrom kgood import value\nimport kbad")
    modules.write("kbad", "flag = 2\nraise ValueError('cannot reload')\n")
    reply, _ = kernel.execute("blocked = True")
    assert reply["status"] == "error"
    outputs = kernel.ok(f"%%writefile {modules.path('kgood')}\nvalue = 2\n")
    assert all("LiveImport" not in str(o) for o in outputs)
    outputs = kernel.ok("#_%%liveimport --clear\nfrom kgood import value\nprint('cell ran', value)")
    assert outputs[0] == {"type": "stream", "name": "stdout", "text": "cell ran 1\n"}
    assert outputs[-1]["type"] == "display_data"
    assert "Reloaded kgood modified" in outputs[-1]["data"]["text/markdown"]
    assert texts(kernel.ok("value")) == ["2"]


@pytest.mark.parametrize(
    ("call", "ename", "message"),
    [
        ("liveimport.auto_sync(grace=-1)", "ValueError", "grace must be a finite number"),
        ("liveimport.register(globals(), 'import (')", "SyntaxError", "invalid syntax"),
        ("liveimport.workspace('/nope/k5')", "ValueError", "does not exist"),
    ],
)
def test_s5_bad_argument_in_a_real_kernel_shows_the_call_and_one_message(
    kernel, modules, call, ename, message
):
    """§5 (r2): the error a notebook shows is the user's call and the message."""
    import os
    import re

    import liveimport

    reply, outputs = kernel.execute(call)
    assert reply["status"] == "error" and reply["ename"] == ename
    (error,) = [o for o in outputs if o["type"] == "error"]
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error["traceback"]))
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) <= 5, text
    assert call in text
    assert lines[-1].startswith(f"{ename}: ") and message in lines[-1]
    assert os.path.dirname(liveimport.__file__) not in text


def test_n5_long_report_lines_break_only_at_spaces_in_the_markdown(kernel, modules):
    """N5 (r2): a notebook breaks long lines of a code block anywhere (JupyterLab's
    output ``pre`` has ``word-break: break-all``), so the Markdown block comes
    with its long lines already broken at spaces, short enough to fit; the
    text/plain form keeps one line per reload."""
    bases = [
        "configuration_defaults",
        "environment_overrides",
        "schema_registry_loader",
        "measurement_units_table",
        "calibration_constants",
    ]
    for name in bases:
        modules.write(name, "value = 1\n")
    modules.write("settings_aggregator", "".join(f"import {name}\n" for name in bases))
    kernel.ok("%%liveimport\nimport settings_aggregator")
    for name in bases:
        modules.write(name, "value = 2\n")
    outputs = kernel.ok("pass")
    data = outputs[0]["data"]
    plain = data["text/plain"].splitlines()
    long_line = next(line for line in plain if line.startswith("Reloaded settings_aggregator"))
    assert len(long_line) > 72 and all(name in long_line for name in bases)
    block = data["text/markdown"].splitlines()
    assert block[0] == "```console" and block[-1] == "```"
    body = block[1:-1]
    assert all(len(line) <= 72 for line in body)
    start = next(i for i, line in enumerate(body) if line.startswith("Reloaded settings_agg"))
    rest = [line for line in body[start + 1 :] if line.startswith("  ")]
    assert rest  # continuation lines hang two spaces in
    assert " ".join(line.strip() for line in [body[start], *rest]) == long_line
    words = " ".join(body).split()
    assert all(any(name in word for word in words) for name in bases)  # never split


def test_n6_syntax_error_caret_and_reset_notice_in_a_real_kernel(kernel, modules):
    """N6: a blocked cell's error shows the offending line with a caret; a
    reset() cell then runs, showing the failure first and then which edits
    the reset dropped."""
    modules.write("kcaret", "value = 1\n")
    kernel.ok("#_%%liveimport\nfrom kcaret import value")
    modules.write("kcaret", "value = [1,\n")
    reply, outputs = kernel.execute("ran = True")
    assert reply["status"] == "error"
    lines = outputs[-1]["traceback"]
    at = lines.index("    value = [1,")
    assert (
        lines[at + 1] == "            ^" and lines[at + 2] == "  SyntaxError: '[' was never closed"
    )
    outputs = kernel.ok("liveimport.reset()")
    assert all((o["type"], o.get("name")) == ("stream", "stderr") for o in outputs)
    text = " ".join("".join(o["text"] for o in outputs).split())
    failure = text.index("LiveImport: kcaret could not be read or parsed.")
    notice = text.index("LiveImport: reset() dropped changes that never loaded: kcaret still runs")
    assert failure < notice  # the failure above the cell, the notice after it ran
    assert "this cell runs on the previous code" in text[failure:notice]
