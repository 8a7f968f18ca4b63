"""Searching the review screen's source (``/``, then enter / down for the next match, up for the previous one,
escape to close): the search box is made by the first ``/``, below the source; what it found is said in the
source pane's status line.

:class:`SearchActions` is a part of :class:`~.screen.ReviewScreen` (a mixin): the screen routes the search box's
messages (:class:`~auditui.tui.widgets.search_box.SearchBox` ``Step``, ``Closed``, its ``Input`` changes) here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input

from ...i18n import t
from ...widgets.line import Line
from ...widgets.search_box import SearchBox

if TYPE_CHECKING:
    from textual.screen import Screen as _Screen  # (for the type checker: what the mixin's methods are given)

    from ...widgets.source_view import SourceView
else:
    _Screen = object


class SearchActions(_Screen):
    """The review screen's search of its source."""

    zoomed: str | None
    if TYPE_CHECKING:  # (the screen's)
        @property
        def source(self) -> SourceView: ...

    def action_search(self) -> None:
        if self.zoomed not in (None, "source"):
            self.zoomed = "source"  # the search box is in the source pane
        box = self._search_box()
        if box is None:
            box = SearchBox(placeholder=t("source.search"), id="search")
            box.cursor_blink = getattr(self.app, "cursor_blink", True)
            self.query_one("#source-pane").mount(box, before="#source-status")
        box.display = True
        box.focus()
        if box.value:
            self._search(box.value)

    def _search_box(self) -> SearchBox | None:
        """The search box, once the first / has made it."""
        boxes = self.query(SearchBox)
        return boxes.first() if boxes else None

    def action_next_match(self) -> None:
        self.search_step(True)

    def search_step(self, forward: bool) -> None:
        source = self.source
        if not source.matches:
            box = self._search_box()
            if box is not None and box.value and source.search(box.value) == 0:
                self._source_status(t("source.no_match", query=box.value))
                return
            if not source.matches:
                return
        span = source.next_match(forward)
        if span is not None:
            self._source_status(t("source.match_at", i=(source.match_index or 0) + 1, n=len(source.matches),
                                  line=span.line + 1))

    def close_search(self) -> None:
        """Escape ends the search: the box, its matches and what it said go away."""
        box = self._search_box()
        if box is not None:
            with box.prevent(Input.Changed):
                box.value = ""
            box.display = False
        self.source.clear_search()
        self._source_status("")
        self.source.focus()

    def _search(self, query: str) -> None:
        n = self.source.search(query)
        if not query:
            self._source_status("")
        elif n:
            self._source_status(t("source.matches", n=n))
        else:
            self._source_status(t("source.no_match", query=query))

    def _source_status(self, message: str) -> None:
        self.query_one("#source-status", Line).show(Text(message))
