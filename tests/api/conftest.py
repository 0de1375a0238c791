"""Fixtures for the public-API tests: a notebook-like namespace, "execute then
register" (what ``%%liveimport`` does), and an execution log that survives reloads.

Public names only: ``import liveimport``; nothing here imports IPython.
"""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

import liveimport

#: Appended to a module's source, records each execution of the module in the
#: ``lilog`` module (outside the workspace, never tracked, never reloaded). It uses
#: ``__import__`` so that it adds no import dependency.
LOG = "\n__import__('lilog').events.append(__name__)\n"


@pytest.fixture
def ns() -> dict[str, Any]:
    """A fresh namespace standing in for a notebook's globals()."""
    return {"__name__": "notebook"}


@pytest.fixture
def imp(ns: dict[str, Any]) -> Callable[..., None]:
    """``imp(src, namespace=None, **kw)``: execute the import source for real in
    the namespace (default ``ns``), then register it, as ``%%liveimport`` does."""

    def run(src: str, namespace: dict[str, Any] | None = None, **kw: Any) -> None:
        target = ns if namespace is None else namespace
        exec(textwrap.dedent(src), target)
        liveimport.register(target, src, **kw)

    return run


class Log:
    """``events``: names of modules (whose source includes ``line``) in the
    order they executed. ``clear()`` empties it."""

    line = LOG

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def clear(self) -> None:
        self.events.clear()


@pytest.fixture
def log(outside_modules: Any) -> Log:
    outside_modules.write("lilog", "events = []\n")
    module = importlib.import_module("lilog")
    return Log(module.events)
