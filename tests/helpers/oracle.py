"""The fresh-import oracle: what a brand-new interpreter gives for the same
files and the same registered statements, as a structural fingerprint.

C4 (r2) promises that after a sync "every tracked module and every registered
name is what a fresh import of the edited files gives". This module computes a
JSON fingerprint of a namespace and of every loaded module under a workspace
directory, in-process (:func:`namespace_fingerprint`) and in a fresh child interpreter
(:func:`fresh_snapshot`), so the two can be compared with :func:`diff`:

* functions by their code, recursively (bytecode, constants, names, line),
  and their defaults;
* classes by their bases and members (the same check on each member);
* instances of workspace classes by their class and attributes;
* constants by value; sets by sorted content (hash order differs per process);
* modules by name.

:func:`identity_state` records the identity of everything a failed sync must
leave alone (A1).

:func:`stale_references` lists objects that are not the ones their defining
module now holds (a class or function whose ``__qualname__`` resolves to
another object, an instance of a class its module no longer defines, a module
object that is not ``sys.modules``' entry): C2/C4 "no stale reference".

The file also runs as the child (:func:`child_main`): it takes a JSON request
as its argument and writes the fingerprint on stdout. Standard library only.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
import subprocess
import sys
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

Fingerprint = Any

#: How far into nested objects the fingerprint looks (module value = DEPTH).
DEPTH = 4
#: Longer sequences are fingerprinted by their first items and their length.
MAX_ITEMS = 64
_SKIP_CLASS_MEMBERS = frozenset(
    {"__dict__", "__weakref__", "__module__", "__qualname__", "_abc_impl", "__slotnames__"}
)
_PRIMITIVES = (int, float, complex, str, bytes, bool, type(None), type(Ellipsis))


def _short(text: str) -> str:
    if len(text) <= 160:
        return text
    return "sha1:" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _key(fp: Fingerprint) -> str:
    return json.dumps(fp, sort_keys=True)


def code_fingerprint(code: types.CodeType) -> Fingerprint:
    """Bytecode, constants (code objects recursively), names and position."""
    consts: list[Fingerprint] = []
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            consts.append(code_fingerprint(const))
        elif isinstance(const, frozenset):
            consts.append(["frozenset", sorted(_short(repr(c)) for c in const)])
        else:
            consts.append(_short(repr(const)))
    return [
        "code",
        getattr(code, "co_qualname", code.co_name),
        code.co_firstlineno,
        code.co_argcount,
        code.co_kwonlyargcount,
        code.co_flags,
        hashlib.sha1(code.co_code).hexdigest(),
        consts,
        list(code.co_names),
        list(code.co_varnames),
        list(code.co_freevars),
        list(code.co_cellvars),
    ]


def _where(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}:{getattr(obj, '__qualname__', '?')}"


def fingerprint(value: Any, depth: int = DEPTH) -> Fingerprint:
    """A JSON-serialisable structural fingerprint of ``value`` (see module doc)."""
    if isinstance(value, _PRIMITIVES):
        return ["value", type(value).__name__, _short(repr(value))]
    if isinstance(value, types.ModuleType):
        return ["module", value.__name__]
    if isinstance(value, enum.Enum):
        return ["enum", _where(type(value)), value.name, _short(repr(value.value))]
    if depth <= 0:
        return ["object", _where(type(value)) if not isinstance(value, type) else _where(value)]
    inner = depth - 1
    if isinstance(value, types.FunctionType):
        return [
            "function",
            _where(value),
            code_fingerprint(value.__code__),
            fingerprint(value.__defaults__, inner),
            fingerprint(value.__kwdefaults__, inner),
        ]
    if isinstance(value, (staticmethod, classmethod)):
        return [type(value).__name__, fingerprint(value.__func__, inner)]
    if isinstance(value, property):
        return ["property", *(fingerprint(f, inner) for f in (value.fget, value.fset, value.fdel))]
    if isinstance(value, type):
        members = {
            name: fingerprint(member, inner)
            for name, member in sorted(vars(value).items())
            if name not in _SKIP_CLASS_MEMBERS
        }
        return ["class", _where(value), [_where(b) for b in value.__bases__], members]
    if isinstance(value, (list, tuple)):
        items = [fingerprint(v, inner) for v in value[:MAX_ITEMS]]
        return [type(value).__name__, len(value), items]
    if isinstance(value, (set, frozenset)):
        if len(value) > MAX_ITEMS:
            return ["set", len(value)]
        return ["set", sorted(_key(fingerprint(v, inner)) for v in value)]
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return ["dict", len(value), sorted(_short(repr(k)) for k in value)[:MAX_ITEMS]]
        pairs = sorted((_key(fingerprint(k, 1)), fingerprint(v, inner)) for k, v in value.items())
        return ["dict", [list(p) for p in pairs]]
    if isinstance(value, re.Pattern):
        return ["pattern", _short(repr(value.pattern)), value.flags]
    wrapped = getattr(value, "__wrapped__", None)
    if callable(value) and isinstance(wrapped, types.FunctionType):
        return ["wrapped", _where(type(value)), fingerprint(wrapped, inner)]
    if isinstance(value, (types.BuiltinFunctionType, types.MethodDescriptorType)):
        return ["builtin", _where(value)]
    attrs = getattr(value, "__dict__", None)
    if isinstance(attrs, dict) and len(attrs) <= MAX_ITEMS:
        fields = {
            str(k): fingerprint(v, inner)
            for k, v in sorted(attrs.items(), key=lambda kv: str(kv[0]))
        }
        return ["instance", _where(type(value)), fields]
    return ["object", _where(type(value))]


def public_names(module: types.ModuleType) -> list[str]:
    return sorted(n for n in vars(module) if not n.startswith("_"))


def under(path: str | None, roots: Iterable[str]) -> bool:
    if not path:
        return False
    real = os.path.realpath(path)
    return any(real == r or real.startswith(r + os.sep) for r in roots)


def workspace_modules(roots: Iterable[str]) -> dict[str, types.ModuleType]:
    """Every loaded module whose file (or package directory) is under ``roots``."""
    real_roots = [os.path.realpath(r) for r in roots]
    found: dict[str, types.ModuleType] = {}
    for name, module in list(sys.modules.items()):
        if not isinstance(module, types.ModuleType):
            continue
        file = getattr(module, "__file__", None)
        paths = list(getattr(module, "__path__", None) or [])
        if under(file, real_roots) or any(under(p, real_roots) for p in paths):
            found[name] = module
    return found


def namespace_fingerprint(
    namespace: Mapping[str, Any], roots: Iterable[str], only: Iterable[str] | None = None
) -> dict[str, Any]:
    """The fingerprint of ``namespace`` (names not starting with ``__``) and of
    every workspace module's public names (only those named in ``only``, when
    given), plus the stale references."""
    roots = list(roots)
    mods = workspace_modules(roots)
    if only is not None:
        keep = set(only)
        mods = {name: m for name, m in mods.items() if name in keep}
    return {
        "namespace": {
            k: fingerprint(v) for k, v in sorted(namespace.items()) if not k.startswith("__")
        },
        "modules": {
            name: {n: fingerprint(getattr(m, n)) for n in public_names(m)}
            for name, m in sorted(mods.items())
        },
        "stale": stale_references(namespace, mods),
    }


def identity_state(namespace: Mapping[str, Any], module_names: Iterable[str]) -> dict[str, Any]:
    """The identity of every ``sys.modules`` entry, of every value in the named
    modules' ``__dict__`` and in ``namespace``: equal before and after a failed
    sync when it changed nothing (A1)."""
    return {
        "sys.modules": {k: id(v) for k, v in sys.modules.items()},
        "dicts": {
            n: {k: id(v) for k, v in vars(sys.modules[n]).items()}
            for n in module_names
            if n in sys.modules
        },
        "ns": {k: id(v) for k, v in namespace.items()},
    }


# ---------------------------------------------------------------- stale references


def _by_qualname(module: types.ModuleType, qualname: str) -> Any:
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _check(obj: Any, where: str, tracked: Mapping[str, types.ModuleType], out: list[str]) -> None:
    if isinstance(obj, types.ModuleType):
        if obj.__name__ in tracked and sys.modules.get(obj.__name__) is not obj:
            out.append(f"{where}: module {obj.__name__} is not sys.modules' entry")
        return
    if isinstance(obj, (type, types.FunctionType)):
        owner = getattr(obj, "__module__", None)
        qualname = getattr(obj, "__qualname__", "")
        if (
            owner in tracked
            and "<locals>" not in qualname
            and _by_qualname(tracked[owner], qualname) is not obj
        ):
            out.append(f"{where}: {owner}.{qualname} is not the object {owner} defines now")
        return
    cls = type(obj)
    owner = getattr(cls, "__module__", None)
    if (
        owner in tracked
        and "<locals>" not in cls.__qualname__
        and _by_qualname(tracked[owner], cls.__qualname__) is not cls
    ):
        out.append(f"{where}: instance of a class {owner}.{cls.__qualname__} no longer defines")


def stale_references(
    namespace: Mapping[str, Any], tracked: Mapping[str, types.ModuleType]
) -> list[str]:
    """Objects reachable from the namespace and the tracked modules' public
    names (one level into classes: bases and attributes) that are not what their
    defining tracked module holds now."""
    out: list[str] = []
    for name, value in sorted(namespace.items()):
        if not name.startswith("__"):
            _check(value, f"namespace.{name}", tracked, out)
    for mod_name, module in sorted(tracked.items()):
        for name in public_names(module):
            value = getattr(module, name)
            where = f"{mod_name}.{name}"
            _check(value, where, tracked, out)
            if isinstance(value, type) and value.__module__ == mod_name:
                for base in value.__bases__:
                    _check(base, f"{where}.__bases__", tracked, out)
                for attr, member in sorted(vars(value).items()):
                    if not attr.startswith("__"):
                        _check(member, f"{where}.{attr}", tracked, out)
    return out


# ---------------------------------------------------------------- comparing


def diff(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    *,
    kept_names: Mapping[str, Iterable[str]] | None = None,
    ignore: Iterable[str] = (),
) -> list[str]:
    """Every difference between two snapshots, as ``module.name`` paths.

    ``kept_names`` maps a module to names it had before the sync: those may
    remain in ``actual`` when ``expected`` lacks them (``importlib.reload``
    keeps names a new version stops defining). ``ignore`` holds paths that
    differ between any two fresh interpreters (see :func:`volatile`)."""
    ignored = set(ignore)
    kept = {m: set(ns) for m, ns in (kept_names or {}).items()}
    out: list[str] = []

    def compare(
        prefix: str, exp: Mapping[str, Any], act: Mapping[str, Any], keep: set[str]
    ) -> None:
        for name in sorted(set(exp) | set(act)):
            path = f"{prefix}.{name}"
            if path in ignored:
                continue
            if name not in act:
                out.append(f"{path}: missing (a fresh import defines it)")
            elif name not in exp:
                if name not in keep:
                    out.append(f"{path}: present, but a fresh import does not define it")
            elif exp[name] != act[name]:
                where = first_difference(exp[name], act[name])
                out.append(f"{path}: differs from a fresh import{where}")

    compare("namespace", expected["namespace"], actual["namespace"], set())
    exp_mods, act_mods = expected["modules"], actual["modules"]
    for mod in sorted(set(exp_mods) | set(act_mods)):
        if mod in ignored:
            continue
        if mod not in act_mods:
            out.append(f"{mod}: not loaded (a fresh import loads it)")
        elif mod not in exp_mods:
            out.append(f"{mod}: loaded, but a fresh import does not load it")
        else:
            compare(mod, exp_mods[mod], act_mods[mod], kept.get(mod, set()))
    fresh_stale = set(expected["stale"])
    out.extend(f"stale: {s}" for s in actual["stale"] if s not in fresh_stale)
    return out


def first_difference(expected: Any, actual: Any, at: str = "") -> str:
    """Where inside two fingerprints they first differ, e.g. ``" (at [3].__init__[2])"``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if expected.get(key) != actual.get(key):
                return first_difference(expected.get(key), actual.get(key), f"{at}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            if e != a:
                return first_difference(e, a, f"{at}[{i}]")
    text = f"{_short(json.dumps(expected))[:80]} != {_short(json.dumps(actual))[:80]}"
    return f" (at {at or 'top'}: {text})"


def volatile(first: Mapping[str, Any], second: Mapping[str, Any]) -> set[str]:
    """Paths whose fingerprints differ between two fresh runs of the same files
    (process-dependent values such as ids, times, terminal detection)."""
    paths: set[str] = set()
    for line in diff(first, second):
        if not line.startswith("stale: "):
            paths.add(line.split(":", 1)[0])
    return paths


# ---------------------------------------------------------------- the fresh child

_BOOT = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('_oracle_child', sys.argv[1])\n"
    "mod = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(mod)\n"
    "mod.child_main()\n"
)


def fresh_snapshot(
    sys_path: list[str],
    statements: list[str],
    roots: list[str],
    *,
    only: Iterable[str] | None = None,
    timeout: float = 240.0,
) -> dict[str, Any]:
    """Run ``statements`` in order in a brand-new interpreter whose ``sys.path``
    starts with ``sys_path``, and return its :func:`namespace_fingerprint` of the namespace and
    the modules under ``roots``; ``{"error": ...}`` when a statement raised."""
    proc = start_fresh_snapshot(sys_path, statements, roots, only=only)
    return finish_fresh_snapshot(proc, timeout=timeout)


def start_fresh_snapshot(
    sys_path: list[str],
    statements: list[str],
    roots: list[str],
    *,
    only: Iterable[str] | None = None,
) -> subprocess.Popen[str]:
    request = json.dumps(
        {
            "sys_path": sys_path,
            "statements": statements,
            "roots": roots,
            "only": None if only is None else sorted(only),
        }
    )
    # The same environment as this process: module code may read it (rich's
    # Console keeps os.environ), so the child must see what the parent saw.
    return subprocess.Popen(
        [sys.executable, "-B", "-c", _BOOT, str(Path(__file__).resolve()), request],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=roots[0] if roots else None,
    )


def finish_fresh_snapshot(proc: subprocess.Popen[str], *, timeout: float = 240.0) -> dict[str, Any]:
    out, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"oracle child failed ({proc.returncode}):\n{err[-4000:]}")
    result: dict[str, Any] = json.loads(out)
    return result


def child_main() -> None:
    request = json.loads(sys.argv[2])
    if sys.path and sys.path[0] == "":  # ``-c`` puts the current directory first
        del sys.path[0]
    sys.path[:0] = request["sys_path"]
    sys.dont_write_bytecode = True
    namespace: dict[str, Any] = {"__name__": "notebook"}
    for statement in request["statements"]:
        try:
            exec(statement, namespace)
        except BaseException as exc:  # noqa: BLE001 - the workspace itself fails a fresh import
            json.dump({"error": f"{statement}: {type(exc).__name__}: {exc}"}, sys.stdout)
            return
    json.dump(namespace_fingerprint(namespace, request["roots"], request.get("only")), sys.stdout)
