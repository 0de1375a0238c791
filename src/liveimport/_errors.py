"""``ModuleError``: the one exception a failed sync raises."""

from __future__ import annotations

from typing import Literal

from ._text import join_names

Phase = Literal["analysis", "reload", "rebind"]

_PHASE_WORDS: dict[str, str] = {
    "analysis": "could not be read or parsed",
    "reload": "raised an exception while reloading",
    "rebind": "does not provide a name that a registered import binds",
}


class ModuleError(RuntimeError):
    """A sync failed because of one module; nothing was reloaded or rebound
    (a ``RuntimeError``).

    ``module`` names the module, ``phase`` says what failed (``"analysis"``:
    its source could not be read or parsed; ``"reload"``: executing it raised;
    ``"rebind"``: a registered name can no longer be bound), ``file`` and
    ``line`` locate the problem where known, and ``__cause__`` is the original
    exception.
    """

    __module__ = "liveimport"

    def __init__(
        self,
        module: str,
        phase: Phase,
        file: str | None = None,
        line: int | None = None,
        detail: str | None = None,
        *,
        because: tuple[str, ...] = (),
    ) -> None:
        super().__init__(module, phase, file, line, detail)
        #: The edited modules whose reload made this one reload (C7).
        self.because = because
        self.module = module
        self.phase: Phase = phase
        self.file = file
        self.line = line
        self.detail = detail

    @property
    def what_failed(self) -> str:
        """The failure in words, e.g. ``"raised an exception while reloading"``."""
        return _PHASE_WORDS[self.phase]

    @property
    def location(self) -> str | None:
        """``"path/to/mod.py, line 12"`` (or just the path), if known."""
        if self.file is None:
            return None
        return self.file if self.line is None else f"{self.file}, line {self.line}"

    @property
    def cause_text(self) -> str:
        """The underlying problem in one line, e.g. ``"ZeroDivisionError: division by zero"``."""
        if self.detail is not None:
            return self.detail
        cause = self.__cause__
        if cause is None:
            return "unknown cause"
        message = cause.msg if isinstance(cause, SyntaxError) and cause.msg else str(cause)
        name = type(cause).__name__
        return f"{name}: {message}" if message else name

    def __str__(self) -> str:
        where = self.location
        located = f" ({where})" if where else ""
        if self.phase == "analysis":
            # C7's form: "Analysis of <module>" leads, as code that matches on it expects.
            head = f"Analysis of {self.module} failed: its source {self.what_failed}"
        else:
            head = f"{self.module} {self.what_failed}"
        if self.because:
            # "simulator raised an exception while reloading simulator because
            # symcode changed": the user looks at the file they edited too.
            head += f" {self.module} because {join_names(list(self.because))} changed"
        return f"{head} [phase: {self.phase}]{located}: {self.cause_text}"

    def __repr__(self) -> str:
        return f"ModuleError(module={self.module!r}, phase={self.phase!r})"
