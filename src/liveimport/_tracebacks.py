"""§5 (r2): in a notebook, a bad argument to a public function shows the user's
own call and the one message, not a traceback through LiveImport's internals.

IPython shows every frame of a traceback, and always the innermost one, whatever
``__tracebackhide__`` says. So IPython's hook for custom exception display is
set for the exception types that LiveImport's public functions document; an
exception is shown short only when the frames it passed through end in a public
LiveImport function called from the user's code. Everything else is shown
exactly as IPython would have. The exception itself is never changed: code
that catches it, ``%tb`` and ``%debug`` see all of it.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from collections.abc import Callable
from types import CodeType, FunctionType, TracebackType
from typing import Any

from IPython.core.interactiveshell import InteractiveShell

from ._api import PUBLIC
from ._errors import ModuleError

#: What the public functions raise for bad input (§5, C1, C5, C7, N4).
DOCUMENTED: tuple[type[BaseException], ...] = (
    TypeError,
    ValueError,
    SyntaxError,
    ImportError,
    ModuleError,
)

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_PATHS = sysconfig.get_paths()
_STDLIB = tuple({os.path.abspath(_PATHS[key]) + os.sep for key in ("stdlib", "platstdlib")})
#: Installed packages, which may live inside the standard library's directory.
_INSTALLED = tuple({os.path.abspath(_PATHS[key]) + os.sep for key in ("purelib", "platlib")})


def _public_code() -> set[CodeType]:
    """The code of every public function and method of public classes."""
    codes: set[CodeType] = set()
    for value in PUBLIC:
        members = vars(value).values() if isinstance(value, type) else [value]
        codes.update(m.__code__ for m in members if isinstance(m, FunctionType))
    return codes


def _ours(code: CodeType) -> bool:
    return os.path.abspath(code.co_filename).startswith(_PACKAGE)


def _internal(code: CodeType) -> bool:
    """LiveImport's own code, or the standard library's that it called."""
    filename = os.path.abspath(code.co_filename)
    if filename.startswith(_PACKAGE):
        return True
    return filename.startswith(_STDLIB) and not filename.startswith(_INSTALLED)


def user_frames(tb: TracebackType | None, public: set[CodeType]) -> TracebackType | None:
    """``tb`` up to where the user's code called a public LiveImport function,
    or ``None`` if it does not pass through one that way, or if code of the
    user's runs further in (an observer, a module's ``__getattr__``): then the
    whole traceback is theirs to read."""
    entries: list[TracebackType] = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    first = next((i for i, e in enumerate(entries) if _ours(e.tb_frame.f_code)), None)
    if not first or entries[first].tb_frame.f_code not in public:
        return None
    if not all(_internal(entry.tb_frame.f_code) for entry in entries[first:]):
        return None
    trimmed: TracebackType | None = None
    for entry in reversed(entries[:first]):
        trimmed = TracebackType(trimmed, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return trimmed


Handler = Callable[..., None]


def make_handler() -> Handler:
    """The handler for ``InteractiveShell.set_custom_exc(DOCUMENTED, ...)``."""
    public = _public_code()

    def short_traceback(
        shell: InteractiveShell,
        etype: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
        tb_offset: int | None = None,
    ) -> None:
        # A module's own code that raised while reloading is the user's to read.
        reload = isinstance(value, ModuleError) and value.phase == "reload"
        trimmed = None if reload else user_frames(tb, public)
        if trimmed is None:
            # Not ours: exactly what IPython's run_code does without a handler.
            try:
                shell.showtraceback(running_compiled_code=True)
            except Exception:  # noqa: BLE001  # pragma: no cover - IPython 8.0 formatter raises
                # Raising here would unregister the handler; later IPythons
                # fall back to Python's own display in the same way.
                print("Unexpected exception formatting exception.", file=sys.stderr)
                traceback.print_exception(etype, value, tb)
            return
        ip: Any = shell  # IPython leaves these unannotated
        # Shown without its cause or context (the message says it all), which
        # are put back at once: the exception itself stays as it was raised.
        cause, context, suppress = value.__cause__, value.__context__, value.__suppress_context__
        value.__cause__, value.__context__ = None, None
        try:
            stb = ip.InteractiveTB.structured_traceback(etype, value, trimmed, tb_offset=tb_offset)
        finally:
            value.__cause__, value.__context__ = cause, context
            value.__suppress_context__ = suppress
        ip._get_exc_info((etype, value, tb))  # sys.last_*, for %tb and %debug
        ip._showtraceback(etype, value, stb)
        if ip.call_pdb:
            ip.debugger(force=True)

    return short_traceback


def install(shell: InteractiveShell) -> object | None:
    """Set the handler unless someone else's is set; returns what ``uninstall``
    needs to recognise it."""
    if shell.custom_exceptions:
        return None  # another extension's: leave it alone
    set_custom_exc: Callable[..., None] = shell.set_custom_exc
    set_custom_exc(DOCUMENTED, make_handler())
    return shell.CustomTB


def uninstall(shell: InteractiveShell, token: object | None) -> None:
    """Remove the handler ``install`` set, if it is still the one in place."""
    if token is not None and shell.CustomTB is token:
        set_custom_exc: Callable[..., None] = shell.set_custom_exc
        set_custom_exc((), None)  # IPython's own default
