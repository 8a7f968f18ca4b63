"""The review screen: one report's source, the grids of its parts and its findings, and the auditor's verdicts.

- :mod:`.screen`: :class:`ReviewScreen`: its keys, layout, state, drawing and selection.

Import :class:`ReviewScreen` from here.
"""

from .screen import ReviewScreen

__all__ = ["ReviewScreen"]
