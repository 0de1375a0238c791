"""A2: stale instances are found by name; nothing is changed."""

from __future__ import annotations

import sys
import types

from liveimport._stale import stale_names


def test_a2_finds_instances_of_replaced_classes():
    module = types.ModuleType("st_models")
    sys.modules["st_models"] = module
    try:
        exec("class Net:\n    class Inner: pass\nclass Other: pass\n", module.__dict__)
        old_net, old_inner, other = module.Net(), module.Net.Inner(), module.Other()

        def local_class():
            class Local:
                pass

            return Local()

        ns = {
            "net": old_net,
            "inner": old_inner,
            "other": other,
            "_hidden": old_net,
            "Net": module.Net,
            "local": local_class(),
            "n": 3,
        }
        for value in ns.values():
            if type(value).__module__ == __name__:
                type(value).__module__ = "st_models"
        assert stale_names(ns, {"st_models"}) == []
        exec("class Net:\n    class Inner: pass\n", module.__dict__)  # "reload"
        del module.Other
        assert stale_names(ns, {"st_models"}) == ["net", "inner", "other"]
        assert stale_names(ns, set()) == []
        assert stale_names(ns, {"elsewhere"}) == []
        del sys.modules["st_models"]
        assert stale_names(ns, {"st_models"}) == []
    finally:
        sys.modules.pop("st_models", None)


def test_a2_a_class_kept_under_another_name_is_not_stale():
    """A2: a class the module keeps under another name (``Point =
    namedtuple("Pt", ...)``) is the module's own class, not a stale one."""
    from collections import namedtuple

    module = types.ModuleType("st_shapes")
    sys.modules["st_shapes"] = module
    try:
        module.Point = namedtuple("Pt", "x y")
        module.Point.__module__ = "st_shapes"
        ns = {"p": module.Point(1, 2)}
        assert stale_names(ns, {"st_shapes"}) == []  # kept (e.g. across reloads)
        module.Point = namedtuple("Pt", "x y")  # a reload that made a new class
        module.Point.__module__ = "st_shapes"
        assert stale_names(ns, {"st_shapes"}) == ["p"]
    finally:
        del sys.modules["st_shapes"]
