"""N7 in IPython: ``%liveimport`` and a ``status()`` value display the HTML form."""

from __future__ import annotations

import liveimport
from liveimport._status_html import render_html


def html_of(shell, value: object) -> str:
    """The ``text/html`` form the shell's display formatter gives ``value``."""
    data, _ = shell.ip.display_formatter.format(value)
    return data.get("text/html", "")


def published_by(shell, code):
    published = []
    original = shell.ip.display_pub.publish

    def spy(data, *args, **kwargs):
        published.append(data)
        return original(data, *args, **kwargs)

    shell.ip.display_pub.publish = spy
    try:
        assert shell.run(code).success
    finally:
        shell.ip.display_pub.publish = original
    return published


def test_n7_magic_display_carries_html_with_the_picture_as_an_img(shell, modules):
    modules.write("n7m", "X = 1\n")
    shell.run("%%liveimport\nimport n7m")
    (data,) = published_by(shell, "%liveimport")
    assert "<img class='liveimport-graph' src='data:image/svg+xml;base64," in data["text/html"]
    assert "<svg" not in data["text/html"]
    assert "n7m" in data["text/plain"] and "n7m.py" in data["text/plain"]


def test_n7_a_status_value_displays_as_html_until_the_extension_is_unloaded(shell, modules):
    modules.write("n7v", "X = 1\n")
    shell.run("%%liveimport\nimport n7v")
    formatter = shell.ip.display_formatter
    html, _ = formatter.format(liveimport.status())
    assert html["text/html"] == render_html(liveimport.status())
    shell.run("%unload_ext liveimport")
    html, _ = formatter.format(liveimport.status())
    assert "text/html" not in html and "n7v" in html["text/plain"]
    shell.run("%load_ext liveimport")
    html, _ = formatter.format(liveimport.status())
    assert "liveimport-graph" in html["text/html"]


def test_n7_unloading_keeps_an_html_printer_someone_else_set(shell, modules):
    printers = shell.ip.display_formatter.formatters["text/html"]

    def mine(status):
        return "<p>mine</p>"

    printers.for_type(liveimport._status.Status, mine)
    shell.run("%unload_ext liveimport")
    assert html_of(shell, liveimport.status()) == "<p>mine</p>"


def test_a2_stale_variables_are_listed_in_the_html_status(shell, modules):
    modules.write("a2cls", "class Model:\n    pass\n")
    shell.run("%%liveimport\nimport a2cls")
    shell.run("net = a2cls.Model()\nhp = a2cls.Model()")
    modules.write("a2cls", "class Model:\n    pass\n")
    shell.run("pass")
    page = html_of(shell, liveimport.status())
    assert "Still using classes from before a reload: <code>net</code>, <code>hp</code>" in page
