"""One line of text that repaints only when what it shows changes (the review screen's header, selection and
source status lines)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .grid import text_key


class Line(Static):
    """A one-line ``Static`` (its height is fixed by CSS): showing the same text again draws nothing, and new
    text repaints the line without laying the screen out again."""

    _shown: tuple | None = None

    def show(self, text: Text) -> None:
        key = text_key(text)
        if key != self._shown:
            self._shown = key
            self.update(text, layout=False)
