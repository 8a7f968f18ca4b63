"""The review screen: one report's source, the grids of its parts and its findings, and the auditor's verdicts.

- :mod:`.screen`: :class:`ReviewScreen`: its keys, layout, state, drawing, selection and moving about; every
  message handler. The screen's actions on the log and the source are mixed in from:
- :mod:`.triage`: verdicts (``c``, ``x``, ``o``, and ``C``, ``X`` for a rule), comments and notes (``a``), the
  report reviewed (``d``), undo (``u``).
- :mod:`.readings`: the auditor's readings of cells (``v``) and blank cells read as 0 (``0``).
- :mod:`.search`: searching the source (``/``, enter).
- :mod:`.writer`: the audit-log worker (:class:`~.writer.LogWriter`): the auditor's changes written in order in a
  thread, each outcome posted back to the screen as a message.
- :mod:`.header`: the header line (:func:`~.header.header_text`), fitted to the width.

Import :class:`ReviewScreen` from here.
"""

from .screen import ReviewScreen

__all__ = ["ReviewScreen"]
