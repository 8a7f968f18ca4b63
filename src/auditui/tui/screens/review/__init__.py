"""The review screen: one report's source, the grids of its parts and its findings, and the auditor's verdicts.

- :mod:`.screen`: :class:`ReviewScreen`: its keys (every binding), layout, state, drawing, selection, moving
  about, and every message handler. Its actions on the report are mixed in from three modules:

  - :mod:`.triage`: verdicts (``c``, ``x``, ``o``; ``C``, ``X`` for a rule), comments and notes (``a``), the
    report reviewed (``d``), undo (``u``);
  - :mod:`.readings`: the auditor's readings of cells (``v``) and blank cells read as 0 (``0``);
  - :mod:`.search`: searching the source (``/``, enter).

- :mod:`.writer`: the audit-log worker (:class:`~.writer.LogWriter`): the changes those actions make, written in
  order in a thread, each outcome posted back to the screen as a message.
- :mod:`.header`: the header line (:func:`~.header.header_text`), fitted to the width.

The mixins are plain classes at run time: Textual registers ``@on`` handlers only on its own classes, so the
screen handles every message (and calls the mixins; ``tests/tui/test_review.py`` checks that no mixin has a
handler). For the type checker each is a ``Screen`` that declares the few attributes of the screen it uses, and
mypy checks that the screen's own definitions agree with those declarations.

Import :class:`ReviewScreen` from here.
"""

from .screen import ReviewScreen

__all__ = ["ReviewScreen"]
