"""The one error type for "this file cannot be used, and why": a path and a one-line reason.

:class:`~auditui.core.model.LoadError` (a report), :class:`~auditui.core.config.ConfigError` (the config file)
and :class:`~auditui.core.auditlog.LogError` (an audit log) derive from it, so the CLI and the TUI print every
such problem the same way: ``str(e) == f"{e.path}: {e.reason}"``.
"""

from __future__ import annotations

import os


class FileProblem(Exception):
    """A file that cannot be used. ``path`` names it, ``reason`` says why (one line)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(self.path, reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __reduce__(self) -> tuple[type[FileProblem], tuple[str, str]]:  # crosses process boundaries intact
        return type(self), (self.path, self.reason)
