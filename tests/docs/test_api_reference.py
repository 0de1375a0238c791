"""§0: every public name has an entry in the generated API reference
(docs/api.md), and every entry documents the object users import."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import liveimport

API_PAGE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
_DIRECTIVE = re.compile(r"^::: ([\w.]+)$", re.MULTILINE)
#: Public beyond ``__all__`` (§0): the snapshot types ``status()`` returns.
SNAPSHOT_TYPES = ("Status", "ModuleStatus", "NamespaceStatus")


def documented() -> dict[str, object]:
    """The objects docs/api.md documents, by their last name component."""
    objects: dict[str, object] = {}
    for path in _DIRECTIVE.findall(API_PAGE.read_text()):
        module_name, _, name = path.rpartition(".")
        objects[name] = getattr(importlib.import_module(module_name), name)
    return objects


def exported_names() -> list[str]:
    names = [*liveimport.__all__, *SNAPSHOT_TYPES]
    if hasattr(liveimport, "poll_lazy_imports"):
        names.append("poll_lazy_imports")
    return names


def test_section0_every_public_name_has_a_reference_entry():
    """§0: add a ``::: liveimport.<name>`` line to docs/api.md for a new public name."""
    missing = [name for name in exported_names() if name not in documented()]
    assert not missing, f"docs/api.md has no entry for {missing}"


def test_section0_reference_entries_document_what_users_import(modules):
    """§0, A3: an entry documents the very object ``liveimport`` exports; the
    snapshot types are the types ``status()`` actually returns."""
    objects = documented()
    for name in exported_names():
        if hasattr(liveimport, name):
            assert objects[name] is getattr(liveimport, name), name
    modules.write("apiref_mod", "X = 1\n")
    ns: dict[str, object] = {"__name__": "apiref"}
    exec("import apiref_mod", ns)
    liveimport.register(ns, "import apiref_mod")
    snapshot = liveimport.status()
    assert type(snapshot) is objects["Status"]
    assert [type(m) for m in snapshot.modules] == [objects["ModuleStatus"]]
    assert [type(n) for n in snapshot.namespaces] == [objects["NamespaceStatus"]]
