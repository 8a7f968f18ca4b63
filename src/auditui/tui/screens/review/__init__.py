"""The review screen: one report's source, the grids of its parts and its findings, and the auditor's verdicts.

- :mod:`.screen`: :class:`ReviewScreen`: its keys, layout, state, drawing and selection.
- :mod:`.header`: the header line (:func:`~.header.header_text`), fitted to the width.

Import :class:`ReviewScreen` from here.
"""

from .screen import ReviewScreen

__all__ = ["ReviewScreen"]
