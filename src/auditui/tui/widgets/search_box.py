"""The review screen's source search field. It searches nothing itself: the screen searches the source as the
text changes, and the box tells it which way to step (:class:`SearchBox.Step`) and that it was closed
(:class:`SearchBox.Closed`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from ..i18n import localize_bindings


class SearchBox(Input):
    """The source search field: enter / down next match, up previous match, escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "next", "key.search_next", show=False, id="search.next"),
        Binding("up", "previous", "key.search_prev", show=False, id="search.previous"),
        Binding("escape", "close", "key.search_close", show=False, id="search.close"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        localize_bindings(self)

    @dataclass
    class Step(Message):
        """Go to the next (``forward``) or previous match."""

        forward: bool

    class Closed(Message):
        """The auditor closed the search (escape)."""

    def action_next(self) -> None:
        self.post_message(self.Step(True))

    def action_previous(self) -> None:
        self.post_message(self.Step(False))

    def action_close(self) -> None:
        self.post_message(self.Closed())
