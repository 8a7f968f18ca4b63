"""The first screen of ``auditui report.pdf``: one file named on the command line, read before it is reviewed.

A queue of one report would be built, drawn and left at once (some 80 ms of a start that should end with the
report on screen: issue 19); this screen is one line saying what is being read. The review screen is pushed on
top of it once the report is checked (``q`` there ends the app); a file that cannot be read stays here, named
with the reason.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from ..entries import safe_check
from ..i18n import localize_bindings, t
from ..messages import ReportReady
from ..safe import one_line
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from ...core.cache import CacheDir
    from ...core.checked import Checked
    from ...core.pool import Checking, Forked
    from ..app import AuditApp


class OpeningScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "key.quit", id="opening.quit"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__(id="opening")
        localize_bindings(self)
        self.path = path
        self.error: str | None = None
        """Why the file could not be read (None while it is read, and once it is)."""

    def compose(self) -> ComposeResult:
        # (the footer comes only if the report is not shown at once: Textual's Footer lays its keys out a frame
        # late and again when the review screen comes on top, some 30 ms of a start that ends with the report
        # on screen within 50 ms of this frame; see _start)
        yield Static(id="opening-status")

    def on_mount(self) -> None:
        self._status(t("opening.reading", name=one_line(os.path.basename(self.path))), "bold")
        # reading starts once this frame is on screen (its imports and the parse would hold the drawing)
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        # the review screen's code, imported here while the interface is idle: in a thread of its own it
        # would hold the first frame, and take twice as long (issue 19)
        from . import review  # noqa: F401

        # what the app holds, taken here on the interface's thread (the reading thread touches none of it):
        # the file, as cmd_tui started reading it in a process of its own before Textual was imported (sent
        # whole), and the parse cache
        app = cast("AuditApp", self.app)  # (this screen runs in auditui's app only)
        checking, app.checking = getattr(app, "checking", None), None
        cache = getattr(app, "parse_cache", None)
        ready = getattr(checking, "ready", None)
        if callable(ready) and ready():  # read on the other core while Textual started: shown at once
            self._opened(self._take(checking, cache))
        else:
            self._footer()
            self._read(checking, cache)

    def _footer(self) -> None:
        if not self.query(KeyFooter):
            footer = KeyFooter()
            self.mount(footer)
            # (a footer lays its keys out when the screen says its bindings changed: once it is mounted)
            footer.call_after_refresh(self.refresh_bindings)

    def _status(self, message: str, style: str) -> None:
        self.query_one("#opening-status", Static).update(Text(message, style=style, no_wrap=True,
                                                             overflow="ellipsis", end=""))

    def _take(self, checking: Checking | Forked | None, cache: CacheDir | None) -> Checked:
        """The file from ``checking``, else read here."""
        checked = next(iter(checking), None) if checking is not None else None
        if checked is None:
            checked = safe_check(self.path, cache)
        if checked.report is not None:
            checked.report.tables  # noqa: B018 (one from the parse cache parses its text again here)
        return checked

    @work(thread=True, exclusive=True, group="opening", exit_on_error=False, description="reading the report")
    def _read(self, checking: Checking | Forked | None, cache: CacheDir | None) -> None:
        self.post_message(ReportReady(self._take(checking, cache), None))

    def on_report_ready(self, message: ReportReady) -> None:
        message.stop()
        self._opened(message.checked)

    def _opened(self, checked: Checked) -> None:
        if checked.report is None:
            self._footer()
            self.error = checked.error or "?"
            self._status(t("opening.unreadable", path=one_line(self.path), reason=one_line(self.error)), "bold red")
            return
        cast("AuditApp", self.app).show_single(checked)

    def action_quit(self) -> None:
        self.app.exit()
