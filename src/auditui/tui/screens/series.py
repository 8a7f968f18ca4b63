"""One body's years side by side (``y`` from the queue or the review screen).

One column per report of the body, in year order; the rows are part 三's 一, 二, （七）总计 and 四 (their 总计
column) and part 四's three totals, then the share of the report's prose found in the year before's report, its
findings and its file. Between two consecutive years a link is drawn from a year's 四 (结转下年度) to the next
year's 二 (上年结转): in the error colour when the two differ in some column (the ``carry-over`` rule). Below the
table, the selected year's findings across years. ``enter`` opens the selected year's report.

Everything shown comes from what the queue kept of each report (:class:`~auditui.core.series.Facts`) and the
checks across years it ran once every report was loaded (:class:`~auditui.core.series.Across`): opening this
screen reads no file. Report text (the body's name, file names, messages) only ever goes into ``Text``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...core.template import (
    APPLICANT_IDS,
    COL_TOTAL,
    PART_LITIGATION,
    PART_REQUESTS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_CLOSED,
    ROW_NEW,
    ROW_REVIEW,
    ROW_SUIT_AFTER,
    ROW_SUIT_DIRECT,
)
from ..colours import Colours
from ..i18n import get_lang, localize_bindings, rule_name, t
from ..keys import MOVE
from ..safe import one_line, truncate_middle

if TYPE_CHECKING:
    from ...core.series import Across, Facts
    from ..app import AuditApp
    from ..entries import QueueEntry

ROWS: tuple[tuple[str, str, str, str], ...] = (
    # (catalogue id, table, row, column)
    ("series.row.new", PART_REQUESTS, ROW_NEW, COL_TOTAL),
    ("series.row.carried_in", PART_REQUESTS, ROW_CARRIED_IN, COL_TOTAL),
    ("series.row.closed", PART_REQUESTS, ROW_CLOSED, COL_TOTAL),
    ("series.row.carried_out", PART_REQUESTS, ROW_CARRIED_OUT, COL_TOTAL),
    ("series.row.review", PART_LITIGATION, ROW_REVIEW, COL_TOTAL),
    ("series.row.suit_direct", PART_LITIGATION, ROW_SUIT_DIRECT, COL_TOTAL),
    ("series.row.suit_after", PART_LITIGATION, ROW_SUIT_AFTER, COL_TOTAL),
)
LINK_TO, LINK_FROM = 1, 3
"""The rows a carry-over link joins: a year's 四 (LINK_FROM) to the next year's 二 (LINK_TO)."""
LINK = {LINK_TO: " ┌▶", LINK_FROM: "─┘ "}
"""The link's glyphs by row (the rows between get " │ ")."""


def broken_columns(prev: Facts, cur: Facts) -> list[str]:
    """The columns where last year's 四 and this year's 二 are both numbers and differ."""
    out = []
    for col in APPLICANT_IDS:
        a, b = prev.value(PART_REQUESTS, ROW_CARRIED_OUT, col), cur.value(PART_REQUESTS, ROW_CARRIED_IN, col)
        if a is not None and b is not None and a != b:
            out.append(col)
    return out


def open_series(screen: Screen, path: str) -> None:
    """Show the years of the body of the report at ``path`` above ``screen`` (the queue or a review screen);
    ``enter`` there opens the chosen year's report (in place of ``screen`` if it is a review screen)."""
    app = cast("AuditApp", screen.app)  # (the queue and review screens run in auditui's app only)
    queue = app.queue
    found: Across | None = getattr(queue, "across", None)
    if queue is None and app.single:  # one file named on the command line: no other years to show
        app.notify(t("series.single"), severity="warning", markup=False, timeout=6)
        return
    if queue is None or found is None:
        app.notify(t("series.loading"), markup=False, timeout=4)
        return
    key = found.keys.get(path)
    if key is None:
        app.notify(t("series.none", name=os.path.basename(path)), severity="warning", markup=False, timeout=6)
        return
    reviewing = getattr(screen, "checked", None) is not None

    def chosen(target: str | None) -> None:
        if not target or (reviewing and target == path):
            return
        app.open_report(target, replace=screen if reviewing else None)

    app.push_screen(SeriesScreen(key, found.groups[key], found, queue.entries, path, queue.reuse_threshold),
                    chosen)


class SeriesTable(DataTable):
    """The years' table: the cursor is a column, and moves from year to year (never onto a link)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "key.open_year", id="series.open"),
        Binding("l,right", "year(1)", "key.next_year", group=MOVE, id="series.next_year"),
        Binding("h,left", "year(-1)", "key.prev_year", group=MOVE, id="series.previous_year"),
        Binding("g,home", "year_at(0)", "key.first_year", show=False, id="series.first_year"),
        Binding("G,end", "year_at(-1)", "key.last_year", show=False, id="series.last_year"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(cursor_type="column", zebra_stripes=False, show_row_labels=False, **kw)
        localize_bindings(self)

    @property
    def year_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.ordered_columns) if str(c.key.value).startswith("y")]

    def action_year(self, step: int) -> None:
        years = self.year_columns
        if not years:
            return
        here = self.cursor_column
        later = [c for c in years if (c > here if step > 0 else c < here)]
        if later:
            self.move_cursor(column=later[0] if step > 0 else later[-1], animate=False)

    def action_year_at(self, index: int) -> None:
        years = self.year_columns
        if years:
            self.move_cursor(column=years[index], animate=False)


class SeriesScreen(Screen[str | None]):
    """The years of one body side by side; dismissed with the path of the report to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,y", "close", "key.back", id="series.back"),
    ]

    DEFAULT_CSS = """
    SeriesScreen {
        & > #series-header { height: 1; padding: 0 1; background: $panel; }
        & > #series-table { height: auto; max-height: 1fr; margin: 1 1 0 1; }
        & > #series-legend { height: 1; padding: 0 1; color: $text-muted; }
        & > #series-detail { height: 1fr; padding: 0 1; border-top: hkey $panel-lighten-2; }
    }
    """

    def __init__(self, key: str, reports: list[Facts], found: Across, entries: dict[str, QueueEntry],
                 current: str | None = None, reuse_threshold: float = 0.5) -> None:
        super().__init__(id="series")
        localize_bindings(self)
        self.key = key
        self.reports = list(reports)
        self.found = found
        self.entries = entries
        self.current = current
        self.reuse_threshold = reuse_threshold

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="series-header")
        yield SeriesTable(id="series-table")
        yield Static(id="series-legend")
        yield Static(id="series-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill()
        table = self.query_one(SeriesTable)
        table.focus()
        paths = [f.path for f in self.reports]
        column = 1 + 2 * (paths.index(self.current) if self.current in paths else 0)
        table.move_cursor(row=0, column=column, animate=False)
        self._update_detail()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._refill())

    def _refill(self) -> None:
        column = self.query_one(SeriesTable).cursor_column
        self._fill()
        self.query_one(SeriesTable).move_cursor(column=column, animate=False)
        self._update_detail()

    def links(self) -> list[tuple[bool, list[str]] | None]:
        """For each pair of neighbouring columns: None when their years are not consecutive, else (linked,
        the columns where the carry-over is broken)."""
        out: list[tuple[bool, list[str]] | None] = []
        for prev, cur in zip(self.reports, self.reports[1:]):  # noqa: B905 (one shorter, on purpose)
            if prev.year is None or cur.year != prev.year + 1:
                out.append(None)
            else:
                out.append((True, broken_columns(prev, cur)))
        return out

    def _fill(self) -> None:
        colours = Colours.of(self.app.theme_variables)
        table = self.query_one(SeriesTable)
        table.clear(columns=True)
        links = self.links()
        table.add_column(Text(t("series.col.item"), style="bold"), key="label")
        for i, f in enumerate(self.reports):
            head = Text(str(f.year), style="bold", justify="right")
            if f.path == self.current:
                head.append(" ●", style=Style(color=colours.warning))
            table.add_column(head, key=f"y{i}")
            if i < len(self.reports) - 1:
                table.add_column(Text(""), key=f"link{i}", width=3)
        error = Style(color=colours.error, bold=True)
        ok = Style(color=colours.success)
        for r, (label, tid, row, col) in enumerate(ROWS):
            cells: list[Text] = [Text(t(label))]
            for i, f in enumerate(self.reports):
                value = f.value(tid, row, col)
                link_in = links[i - 1] if i else None
                style = Style() if value is not None else Style(dim=True)
                if r == LINK_TO and link_in is not None and link_in[1]:
                    style = error  # the carry-over broken: this year's 二 in the error colour
                cells.append(Text(str(value) if value is not None else "—", justify="right", style=style))
                if i < len(self.reports) - 1:
                    cells.append(self._link_cell(r, links[i], error, ok))
            table.add_row(*cells, key=f"r{r}")
        table.add_row(*self._reuse_row(colours), key="reuse")
        table.add_row(*self._findings_row(colours), key="findings")
        table.add_row(*self._plain_row("series.row.template", lambda f: f.template or "—"), key="template")
        table.add_row(*self._plain_row("series.row.file", lambda f: truncate_middle(
            one_line(os.path.basename(f.path)), 18)), key="file")
        self._update_header()
        self.query_one("#series-legend", Static).update(Text(t("series.legend"), no_wrap=True, overflow="ellipsis"))

    @staticmethod
    def _link_cell(row: int, link: tuple[bool, list[str]] | None, error: Style, ok: Style) -> Text:
        if link is None or not LINK_FROM >= row >= LINK_TO:
            return Text("")
        return Text(LINK.get(row, " │ "), style=error if link[1] else ok, no_wrap=True)

    def _gap_cells(self, values: list[Text]) -> list[Text]:
        """A row's year cells with empty link cells between them, after its label."""
        out: list[Text] = []
        for i, v in enumerate(values):
            out.append(v)
            if i < len(values) - 1:
                out.append(Text(""))
        return out

    def _reuse_row(self, colours: Colours) -> list[Text]:
        values = []
        for f in self.reports:
            reuse = self.found.reuse.get(f.path)
            if reuse is None:
                values.append(Text("—", style=Style(dim=True), justify="right"))
                continue
            warn = reuse.share > self.reuse_threshold
            values.append(Text(f"{reuse.share:.0%}", justify="right",
                               style=Style(color=colours.warning, bold=True) if warn else Style()))
        return [Text(t("series.row.reuse")), *self._gap_cells(values)]

    def _findings_row(self, colours: Colours) -> list[Text]:
        values = []
        for f in self.reports:
            e = self.entries.get(f.path)
            text = Text(justify="right")
            if e is None:
                text.append("—", style=Style(dim=True))
            else:
                text.append(str(e.errors), style=Style(color=colours.error, bold=True) if e.errors else Style(dim=True))
                text.append(" / ")
                text.append(str(e.warnings), style=Style(color=colours.warning) if e.warnings else Style(dim=True))
            values.append(text)
        return [Text(t("series.row.findings")), *self._gap_cells(values)]

    def _plain_row(self, label: str, value) -> list[Text]:
        return [Text(t(label)), *self._gap_cells([Text(value(f), justify="right", no_wrap=True)
                                                  for f in self.reports])]

    def _update_header(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        body = next((f.body for f in reversed(self.reports) if f.body), "")
        text.append(one_line(body) or self.key, style="bold")
        text.append("  ")
        years = sorted({f.year for f in self.reports if f.year is not None})
        sep = "、" if get_lang() == "zh" else ", "
        text.append(t("series.header", n=len(self.reports), years=sep.join(map(str, years)), key=self.key))
        self.query_one("#series-header", Static).update(text)

    # ------------------------------------------------------------------------------------------ selection

    @property
    def selected(self) -> Facts | None:
        """The report of the column under the cursor."""
        table = self.query_one(SeriesTable)
        columns = table.ordered_columns
        if not 0 <= table.cursor_column < len(columns):
            return None
        key = str(columns[table.cursor_column].key.value)
        return self.reports[int(key[1:])] if key.startswith("y") else None

    @on(DataTable.ColumnHighlighted, "#series-table")
    def _column_highlighted(self, event: DataTable.ColumnHighlighted) -> None:
        event.stop()
        table = self.query_one(SeriesTable)
        if event.cursor_column != table.cursor_column:
            return  # a move already overtaken
        years = table.year_columns
        if years and event.cursor_column not in years:  # (a click on a link or on the labels)
            nearest = min(years, key=lambda c: (abs(c - event.cursor_column), c))
            table.move_cursor(column=nearest, animate=False)
            return
        self._update_detail()

    def _update_detail(self) -> None:
        f = self.selected
        colours = Colours.of(self.app.theme_variables)
        text = Text(end="")
        if f is not None:
            text.append(one_line(f.path), style="bold")
            reuse = self.found.reuse.get(f.path)
            if reuse is not None:
                text.append("\n")
                text.append(t("series.reuse", copied=len(reuse.copied), sentences=reuse.sentences,
                              share=f"{reuse.share:.0%}", previous=one_line(os.path.basename(reuse.previous))))
            english = get_lang() == "en"
            for x in self.found.findings.get(f.path, ()):
                text.append("\n")
                text.append(t(f"severity.{x.severity}"), style=Style(color=colours.fg(x.severity), bold=True)
                            if colours.fg(x.severity) else Style(bold=True))
                text.append(f" {rule_name(x.rule)}  ")
                text.append(one_line(x.message_en if english and x.message_en else x.message))
            if not self.found.findings.get(f.path):
                text.append("\n")
                text.append(t("series.no_findings"), style=Style(dim=True))
        self.query_one("#series-detail", Static).update(text)

    # ------------------------------------------------------------------------------------------ actions

    def action_open(self) -> None:
        f = self.selected
        if f is not None:
            self.dismiss(f.path)

    @on(DataTable.ColumnSelected, "#series-table")
    def _column_selected(self, event: DataTable.ColumnSelected) -> None:
        event.stop()
        self.action_open()

    def action_close(self) -> None:
        self.dismiss(None)
