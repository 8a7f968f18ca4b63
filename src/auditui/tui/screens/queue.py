"""The queue: every report with its counts, sortable and filterable, filled by a background worker.

The worker checks reports in worker processes (:class:`~auditui.core.pool.Checking`, through the parse
cache) and posts them in batches as they come (at most a few a second), so 1,000 reports
never mean 1,000 table rebuilds; the table is rebuilt on a short timer only when something changed, keeping
the cursor on the same report. Unreadable files are listed with their reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, Static
from textual.worker import get_current_worker

from ..colours import Colours
from ..entries import QueueEntry, entry_of
from ..i18n import localize_bindings, t
from ..keys import move_bindings
from ..messages import LoadingFinished, OpenReport, ReportsChecked
from ..safe import one_line, truncate, truncate_middle
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from ...core.cache import CacheDir
    from ...core.model import Finding
    from ...core.pool import Checking, Forked
    from ...core.series import Across
    from ..app import AuditApp

BATCH_SECONDS = 0.25
REFRESH_SECONDS = 0.4

COLUMNS: tuple[tuple[str, str, bool], ...] = (
    # (key, catalogue id, numeric)
    ("file", "queue.col.file", False),
    ("body", "queue.col.body", False),
    ("year", "queue.col.year", True),
    ("template", "queue.col.template", False),
    ("errors", "queue.col.errors", True),
    ("warnings", "queue.col.warnings", True),
    ("open", "queue.col.open", True),
    ("confirmed", "queue.col.confirmed", True),
    ("dismissed", "queue.col.dismissed", True),
    ("stale", "queue.col.stale", True),
    ("reviewed", "queue.col.reviewed", True),
)
NUMERIC = {key for key, _, numeric in COLUMNS if numeric}
SORT_CYCLE = ("errors", "warnings", "open", "body", "year", "file", "template", "confirmed", "dismissed", "stale",
              "reviewed")
"""The columns ``s`` steps through."""


def sort_key(column: str) -> Callable[[QueueEntry], tuple]:
    """Key for ascending order by ``column``; unreadable files sort apart (first when descending)."""
    if column == "errors":
        # the default: most open errors first, then most errors, most open findings
        return lambda e: (e.error is not None, e.open_errors, e.errors, e.open, e.warnings, _neg(e.path))
    if column == "file":
        return lambda e: (e.name, e.path)
    if column == "body":
        from ...core.series import body_key

        # a body's reports together, in year order (names normalised as the carry-over rule does)
        return lambda e: (e.error is not None, body_key(e.body) or e.body, e.year or 0, e.path)
    if column == "template":
        return lambda e: (e.template, e.year or 0, e.path)
    if column == "stale":
        return lambda e: (e.stale or e.log_error is not None, e.open, _neg(e.path))
    if column == "reviewed":
        return lambda e: (e.reviewed, -e.open_errors, _neg(e.path))
    return lambda e: (getattr(e, column) or 0, _neg(e.path))


class _neg:
    """Reverses string order inside a tuple sorted descending (ties by path stay A→Z)."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: _neg) -> bool:
        return self.s > other.s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _neg) and self.s == other.s


class FilterBox(Input):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "key.filter_close", show=False, id="filter.close")]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        localize_bindings(self)

    class Closed(Message):
        """The auditor closed the filter (escape): clear it."""

    def action_close(self) -> None:
        self.post_message(self.Closed())


class QueueTable(DataTable):
    BINDINGS: ClassVar[list[BindingType]] = move_bindings("queue")

    def __init__(self, **kw) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        localize_bindings(self)


class QueueScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "key.open", id="queue.open"),
        Binding("slash", "filter", "key.filter", id="queue.filter"),
        Binding("s", "sort", "key.sort", id="queue.sort"),
        Binding("S", "reverse", "key.reverse", id="queue.reverse"),
        Binding("y", "series", "key.series", id="queue.series"),
        Binding("q", "quit", "key.quit", id="queue.quit"),
    ]

    def __init__(self, paths: list[str], log_dir) -> None:
        super().__init__(id="queue")
        localize_bindings(self)
        self.paths = paths
        self.log_dir = log_dir
        self.entries: dict[str, QueueEntry] = {}
        self.series: dict[str, list[Finding]] = {}
        """Findings across reports (carry-over, tables repeated, prose reused) by path, once every report is
        loaded."""
        self.across: Across | None = None
        """The checks across years once every report is loaded (:class:`~auditui.core.series.Across`): how the
        reports were grouped into bodies' years, each grouped report's facts, the reuse of prose."""
        self.reuse_threshold = 0.5
        self.order: list[str] = []
        """Paths in the order shown (sorted, filtered)."""
        self.sort_column = "errors"
        self.sort_reverse = True
        self.filter_text = ""
        self.total = 0
        self.done = 0
        self.is_loading = True
        self._dirty = False
        self._cursor_moved = False
        self._file_width = 28
        self._body_width = 30

    def compose(self) -> ComposeResult:
        yield Static(id="queue-status")
        yield ProgressBar(id="queue-progress", show_eta=False)
        box = FilterBox(placeholder=t("queue.filter"), id="queue-filter")
        box.cursor_blink = getattr(self.app, "cursor_blink", True)
        yield box
        yield QueueTable(id="queue-table")
        yield Static(id="queue-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#queue-filter").display = False
        table = self.query_one(QueueTable)
        for key, label, numeric in COLUMNS:
            table.add_column(self._header(key, label, numeric), key=key)
        table.focus()
        def scrolls(shown: bool) -> None:
            self.set_class(shown, "-table-scrolls")

        self.watch(table, "show_vertical_scrollbar", scrolls)
        self._update_status()
        self.set_interval(REFRESH_SECONDS, self._flush)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.rebuild())
        # checking starts once the first frame is on screen: the loader thread and the imports of the core
        # would otherwise hold the interpreter while the screen is drawn
        self.call_after_refresh(self._start_loading)

    # ------------------------------------------------------------------------------------------ loading

    def _start_loading(self) -> None:
        """Start the loader with what the app holds (taken here, on the interface's thread: the loader thread
        reads and changes nothing of the app's)."""
        app = cast("AuditApp", self.app)  # (the queue runs in auditui's app only)
        # the reports the app started checking before the interface was up (see auditui.cli.cmd_tui)
        checking, app.checking = getattr(app, "checking", None), None
        self.load_reports(checking, getattr(app, "jobs", 1), getattr(app, "parse_cache", None))

    @work(thread=True, exclusive=True, group="queue-load", exit_on_error=False, description="checking reports")
    def load_reports(self, checking: Checking | Forked | None, jobs: int, cache: CacheDir | None) -> None:
        """Check the queue's reports (those ``checking`` is checking, else: in worker processes when there is
        work enough, in this thread otherwise), telling the screen as they come (:class:`ReportsChecked`)."""
        from ...core.batch import check_many
        from ...core.config import ConfigError, load_config
        from ...core.series import REUSE_THRESHOLD, Facts, across, aliases

        worker = get_current_worker()
        if checking is not None:
            paths, results, stop = checking.paths, iter(checking), checking.close
        else:
            from ...core.load import iter_report_paths

            paths = list(iter_report_paths(self.paths))
            checked_many = check_many(paths, jobs, prose=True, cache=cache, ordered=False)
            results, stop = checked_many, checked_many.close
        self.post_message(ReportsChecked([], 0, len(paths)))
        batch: list[QueueEntry] = []
        whole: list = []
        facts: list[Facts | None] = []
        last = time.monotonic()
        try:
            for i, checked in enumerate(results, 1):
                if worker.is_cancelled:
                    return
                if len(paths) == 1 or i <= 2:
                    whole.append(checked)
                facts.append(Facts.of(checked))
                batch.append(entry_of(checked, self.log_dir))
                now = time.monotonic()
                if now - last >= BATCH_SECONDS:
                    self.post_message(ReportsChecked(batch, i, len(paths), whole))
                    batch, whole, last = [], [], now
        finally:
            stop()  # (the workers, at once: the loader may be cancelled half-way)
        self.post_message(ReportsChecked(batch, len(paths), len(paths), whole))
        try:  # (a config that cannot be used was already named by the app at start)
            config = load_config()
            threshold, alias = config.reuse_threshold, aliases(config.aliases)
        except ConfigError:
            threshold, alias = REUSE_THRESHOLD, {}
        self.reuse_threshold = threshold
        found = across(facts, threshold, alias)
        self.post_message(LoadingFinished(len(paths), found.findings, found))

    def on_reports_checked(self, message: ReportsChecked) -> None:
        self.total = message.total
        self.done = message.done
        for e in message.entries:
            self.entries[e.path] = e
        self.query_one(ProgressBar).update(total=max(1, message.total), progress=message.done)
        if message.entries:
            self._dirty = True
        self._update_status()

    def on_loading_finished(self, message: LoadingFinished) -> None:
        self.series = message.series
        self.across = message.across
        for path, found in message.series.items():
            e = self.entries.get(path)
            if e is not None:  # counted as open until a verdict on them comes back from the review screen
                warnings = sum(1 for f in found if f.severity == "warning")
                self.entries[path] = replace(e, warnings=e.warnings + warnings, open=e.open + len(found))
        self.is_loading = False
        self.query_one(ProgressBar).display = False
        self._flush()
        self._update_status()  # the message goes on to the app, which opens a lone report at once

    def update_entry(self, entry: QueueEntry) -> None:
        """New counts for one report: its row is redrawn in place (the order stays as the auditor left it,
        so that ] / [ keep walking the list they see)."""
        if entry.path not in self.entries:
            return
        self.entries[entry.path] = entry
        if entry.path in self.order:
            table = self.query_one(QueueTable)
            row = self.order.index(entry.path)
            colours = Colours.of(self.app.theme_variables)
            for column, value in enumerate(self._cells(entry, colours)):
                table.update_cell_at(Coordinate(row, column), value)
        self._update_status()

    # ------------------------------------------------------------------------------------------ table

    def _header(self, key: str, label: str, numeric: bool) -> Text:
        text = t(label)
        if key == self.sort_column:
            text += " ▼" if self.sort_reverse else " ▲"
        return Text(text, style="bold", justify="right" if numeric else "left")

    def _visible(self) -> list[QueueEntry]:
        entries = list(self.entries.values())
        q = self.filter_text.casefold().strip()
        if q:
            entries = [e for e in entries if q in e.path.casefold() or q in e.body.casefold()
                       or q in str(e.year or "") or q in e.template or (e.error and q in e.error.casefold())]
        entries.sort(key=sort_key(self.sort_column), reverse=self.sort_reverse)
        return entries

    def _flush(self) -> None:
        if self._dirty:
            self._dirty = False
            self.rebuild()

    def rebuild(self) -> None:
        """Rebuild the table in the current order and filter, keeping the cursor on the same report."""
        table = self.query_one(QueueTable)
        current = self.current_path()
        visible = self._visible()
        self.order = [e.path for e in visible]
        colours = Colours.of(self.app.theme_variables)
        cursor_column = table.cursor_column
        self._widths()
        rows = [self._cells(e, colours) for e in visible]
        table.clear(columns=True)
        # each column as wide as its header and widest cell, given with the column: the table never shows a
        # frame of columns measured from their headers alone before it measures the rows (as on every rebuild)
        for i, (key, label, numeric) in enumerate(COLUMNS):
            header = self._header(key, label, numeric)
            table.add_column(header, key=key, width=max([header.cell_len, *(r[i].cell_len for r in rows)]))
        table.add_rows(rows)
        table.move_cursor(column=cursor_column, animate=False)
        if current in self.order and self._cursor_moved:
            table.move_cursor(row=self.order.index(current), animate=False)
        self._update_status()
        self._update_detail()

    def _widths(self) -> None:
        """Share what the number columns leave between the file name and the body."""
        width = self.size.width or 120
        rest = max(24, width - 68)
        self._file_width = max(14, min(30, rest * 2 // 5))
        self._body_width = max(10, min(40, rest - self._file_width))

    def on_resize(self) -> None:
        if self.entries:
            self.rebuild()

    @on(DataTable.RowHighlighted, "#queue-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._cursor_moved = event.cursor_row > 0 or self._cursor_moved
        self._update_detail()

    def _update_detail(self) -> None:
        """The whole path of the report under the cursor, and why it cannot be read if it cannot."""
        path = self.current_path()
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if path is not None:
            e = self.entries[path]
            text.append(one_line(e.path))
            colours = Colours.of(self.app.theme_variables)
            if e.error is not None:
                text.append("  ")
                text.append(t("queue.unreadable", reason=one_line(e.error)), style=Style(color=colours.error))
            elif e.log_error is not None:
                text.append("  ")
                text.append(t("queue.log_bad") + ": " + one_line(e.log_error), style=Style(color=colours.warning))
        self.query_one("#queue-detail", Static).update(text, layout=False)  # (one line, by CSS: no layout)

    def _cells(self, e: QueueEntry, colours: Colours) -> list[Text]:
        name = Text(truncate_middle(one_line(e.name), self._file_width), no_wrap=True)
        if e.error is not None:
            err = Style(color=colours.error, bold=True)
            reason = truncate(t("queue.unreadable", reason=one_line(e.error)), self._body_width)
            return [name, Text(reason, style=err, no_wrap=True),
                    *(Text("") for _ in range(len(COLUMNS) - 2))]
        red = Style(color=colours.error, bold=True)
        yellow = Style(color=colours.warning)

        def num(n: int, style: Style | None = None) -> Text:
            return Text(str(n), style=(style or Style()) if n else Style(dim=True), justify="right")

        stale = ""
        if e.log_error:
            stale = t("queue.log_bad")
        elif e.stale:
            stale = "⟳"
        return [
            name,
            Text(truncate(one_line(e.body) or "—", self._body_width), no_wrap=True),
            Text(str(e.year or "—"), justify="right"),
            Text(e.template or "—"),
            num(e.open_errors, red),  # errors still open: confirmed or dismissed ones are dealt with
            num(e.warnings, yellow),
            num(e.open, red if e.open_errors else None),
            num(e.confirmed),
            num(e.dismissed),
            Text(stale, style=yellow, justify="right"),
            Text("✔" if e.reviewed else "", style=Style(color=colours.success, bold=True), justify="center"),
        ]

    def _update_status(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.is_loading:
            text.append(t("queue.loading", done=self.done, total=self.total or "?"), style="bold")
        else:
            errors = sum(1 for e in self.entries.values() if e.errors)
            unreadable = sum(1 for e in self.entries.values() if e.error is not None)
            text.append(t("queue.loaded", total=len(self.entries), errors=errors, unreadable=unreadable),
                        style="bold")
            text.append("  ·  ")
            text.append(self.progress_text(), style="bold")
        if self.filter_text:
            text.append("  ·  ")
            text.append(t("queue.shown", shown=len(self.order), total=len(self.entries)))
            text.append("  /")
            text.append(one_line(self.filter_text), style="italic")
        # where the logs go, for a newcomer; the order comes last (the table's header marks it too)
        text.append("  ·  ")
        text.append(t("app.log_dir", path=one_line(str(self.log_dir))), style="dim")
        label = dict((k, v) for k, v, _ in COLUMNS)[self.sort_column]
        text.append("  ·  ")
        text.append(t("queue.sorted", column=t(label),
                      direction=t("queue.desc") if self.sort_reverse else t("queue.asc")))
        self.query_one("#queue-status", Static).update(text, layout=False)

    def progress_text(self) -> str:
        """"reviewed 3/11 · open errors 5": how far the review of the queue has come (readable reports)."""
        readable = [e for e in self.entries.values() if e.error is None]
        return t("queue.progress", reviewed=sum(1 for e in readable if e.reviewed), total=len(readable),
                 errors=sum(e.open_errors for e in readable))

    def current_path(self) -> str | None:
        table = self.query_one(QueueTable)
        if not self.order or table.cursor_row is None or not 0 <= table.cursor_row < len(self.order):
            return None
        return self.order[table.cursor_row]

    def neighbour(self, path: str, step: int) -> str | None:
        """The report ``step`` places after ``path`` in the order shown (None past either end)."""
        if path not in self.order:
            return None
        i = self.order.index(path) + step
        return self.order[i] if 0 <= i < len(self.order) else None

    def position(self, path: str) -> tuple[int, int] | None:
        return (self.order.index(path), len(self.order)) if path in self.order else None

    def select_path(self, path: str) -> None:
        if path in self.order:
            self.query_one(QueueTable).move_cursor(row=self.order.index(path), animate=False)

    # ------------------------------------------------------------------------------------------ actions

    def action_open(self) -> None:
        path = self.current_path()
        if path is None:
            return
        entry = self.entries[path]
        if entry.error is not None:
            self.app.notify(t("queue.cannot_open", path=entry.path, reason=entry.error), severity="error",
                            markup=False)
            return
        self.post_message(OpenReport(path))

    @on(DataTable.RowSelected, "#queue-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_sort(self, column: str | None = None) -> None:
        """Sort by ``column`` (a header click; again: reverse), or by the next column in SORT_CYCLE (s)."""
        if column is None:
            i = SORT_CYCLE.index(self.sort_column) if self.sort_column in SORT_CYCLE else -1
            column = SORT_CYCLE[(i + 1) % len(SORT_CYCLE)]
        elif column == self.sort_column:
            self.action_reverse()
            return
        self.sort_column = column
        self.sort_reverse = column in NUMERIC
        self.rebuild()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.rebuild()

    @on(DataTable.HeaderSelected, "#queue-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.action_sort(str(event.column_key.value))

    def action_filter(self) -> None:
        box = self.query_one(FilterBox)
        box.display = True
        box.focus()

    @on(Input.Changed, "#queue-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value
        self.rebuild()

    @on(FilterBox.Closed)
    def _filter_closed(self, event: FilterBox.Closed) -> None:
        event.stop()
        self.close_filter(clear=True)

    @on(Input.Submitted, "#queue-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close_filter(clear=False)

    def close_filter(self, clear: bool) -> None:
        box = self.query_one(FilterBox)
        if clear and box.value:
            box.value = ""
            self.filter_text = ""
            self.rebuild()
        box.display = bool(self.filter_text)
        self.query_one(QueueTable).focus()

    def action_series(self) -> None:
        """The body's years side by side (``y``): the report under the cursor's series."""
        from .series import open_series

        path = self.current_path()
        if path is not None:
            open_series(self, path)

    def action_quit(self) -> None:
        self.app.exit()
