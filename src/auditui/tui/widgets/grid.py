"""One part of the report as a grid: a ``DataTable`` of ``Text`` cells (never markup strings).

Parts 三 and 四 are shown as printed (rows × columns, group rows of 三 as dim headings). Part 二 has
different columns on every row, so it is shown long: one grid row per cell (item, column, value).

Colours survive the cursor: the cursor is a cell cursor, and a row's colour is carried by its mark column,
its label and its values (the theme's error colour for a row with an error, the warning colour for a row
with only warnings). The cells of the selected finding get the severity's background; its target cell is
drawn reversed. Blank cells show ``·``, unreadable ones ``?`` and their raw text, cells of a missing row ``—``,
a cell with a note ``✎``, a cell the auditor read ``»`` and its value in italics (``⟳`` instead when the reading
was made before the report changed), a blank cell read as 0 a dim ``0``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from ...core.model import Cell, CellRef, Finding, Report
from ...core.readings import READ, READ_AS_ZERO
from ...core.template import PART_PROACTIVE, PART_REQUESTS, template_of
from ..colours import Colours
from ..compat import remeasure, render_cell, set_cells_measured, set_cells_quietly
from ..i18n import localize_bindings, t
from ..keys import move_bindings
from ..safe import one_line, truncate

NARROW = 4
"""Value column width in a narrow grid: headers wrap onto three lines ("社会" "公益" "组织")."""

MIN_LABEL = 10
"""The label column is never narrower than this (cells): "（七）总计" fits."""


@dataclass(frozen=True, slots=True)
class GridRow:
    """A row of the grid: ``row`` is the report row id; ``column`` is set in part 二's long layout."""

    key: str
    row: str
    label: str
    column: str | None = None
    group: bool = False
    short: str = ""
    indent: int = 0


def fmt_value(cell: Cell | None) -> tuple[str, str]:
    """The cell's text and kind: ``ok``, ``blank``, ``bad``, ``missing``, ``read`` (the auditor's reading: its
    value, ``·`` for blank) or ``zero`` (a blank cell read as 0)."""
    if cell is not None and cell.note == READ_AS_ZERO:
        return "0", "zero"
    if cell is not None and cell.note == READ:
        return ("·" if cell.value is None else fmt_number(cell.value)), "read"
    if cell is None or cell.status == "missing":
        return "—", "missing"
    if cell.status == "blank" or (cell.value is None and not cell.raw.strip()):
        return "·", "blank"
    if cell.status == "bad" or cell.value is None:
        return "?" + truncate(one_line(cell.raw.strip()), 10), "bad"
    return fmt_number(cell.value), "ok"


def fmt_number(v: int | float) -> str:
    """Every number the same way: thousands grouped, at most two decimals, none for a whole number
    (``4,529``, ``18,651.06``, ``0.5``)."""
    if isinstance(v, float) and v != int(v):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{int(v):,}"


def grid_rows(report: Report, table_id: str) -> list[GridRow]:
    """The rows to show for one part: template order, group rows of 三 as headings, 二 one row per cell."""
    table = report.tables.get(table_id)
    tdef = template_of(report.template).tables.get(table_id)
    rows: list[GridRow] = []
    if table_id == PART_PROACTIVE:
        source_rows = table.rows if table is not None else ()
        for r in source_rows:
            for c in r.cells:
                rows.append(GridRow(f"{r.id}|{c.ref.column}", r.id, one_line(r.label), c.ref.column))
        return rows
    if tdef is not None:
        for rd in tdef.rows:
            label = rd.label
            for stop in ("（区分", "、行政机关"):
                label = label.split(stop)[0]
            indent = rd.id.count(".") if table_id == PART_REQUESTS else 0
            rows.append(GridRow(rd.id, rd.id, label, group=rd.kind == "group",
                                short=rd.short, indent=indent))
        known = {r.id for r in tdef.rows}
        if table is not None:
            rows.extend(GridRow(r.id, r.id, one_line(r.label)) for r in table.rows if r.id not in known)
    elif table is not None:
        rows.extend(GridRow(r.id, r.id, one_line(r.label)) for r in table.rows)
    return rows


def grid_columns(report: Report, table_id: str) -> list[str]:
    if table_id == PART_PROACTIVE:
        return ["column", "value"]
    table = report.tables.get(table_id)
    if table is not None and table.columns:
        return list(table.columns)
    tdef = template_of(report.template).tables.get(table_id)
    return [c.id for c in tdef.columns] if tdef is not None else []


def short_label(report: Report, table_id: str, row_id: str) -> str:
    """A row's label short enough to name it in a list of cells: the grid's short label, else the template's
    label up to its first aside, else the report's label (cut to 12 cells)."""
    tdef = template_of(report.template).tables.get(table_id)
    for rd in tdef.rows if tdef is not None else ():
        if rd.id == row_id:
            return rd.short or truncate(rd.label.split("（区分")[0].split("、行政机关")[0], 12)
    table = report.tables.get(table_id)
    row = table.get(row_id) if table is not None else None
    return truncate(one_line(row.label), 12) if row is not None and row.label else row_id


def involved_cells(f: Finding, report: Report, limit: int = 8) -> str:
    """The cells a finding involves with their values, for telling why a row is red: ``一 1 · 二 0 · （七）总计 1 ·
    四 1``. A cell is named by its row when the cells share a column, by its column when they share a row.
    Past ``limit`` cells, zeros are counted instead of listed. Empty for a finding about one cell."""
    cells = list(f.cells)
    if len(cells) < 2:
        return ""
    same_column = len({(c.table, c.column) for c in cells}) == 1
    same_row = len({(c.table, c.row) for c in cells}) == 1
    items: list[tuple[str, str, str]] = []
    for ref in cells:
        text, kind = fmt_value(report.cell(ref))
        if same_row:
            name = ref.column
        elif same_column:
            name = short_label(report, ref.table, ref.row)
        else:
            name = f"{short_label(report, ref.table, ref.row)}/{ref.column}"
        items.append((name, text, kind))
    zeros = 0
    if len(items) > limit:
        kept = [item for item in items if not (item[2] == "ok" and item[1] == "0")]
        zeros = len(items) - len(kept)
        items = kept
    out = " · ".join(f"{name} {text}" for name, text, _ in items)
    return out + (f" (+{zeros} × 0)" if zeros else "")


def total_columns(report: Report, table_id: str) -> list[str]:
    """The columns holding a row's total (总计): the column the template's row-total relation sums into."""
    rel = template_of(report.template).row_total(table_id)
    return [rel.total] if rel is not None else []


def short_headers(report: Report, table_id: str) -> dict[str, str]:
    """The column headers a wide grid shows on two lines, where the printed label is long: the template's short
    labels, by column."""
    tdef = template_of(report.template).tables.get(table_id)
    return {c.id: c.short for c in tdef.columns if c.short} if tdef is not None else {}


def text_key(text: Text) -> tuple:
    """What a Text looks like (``Text.__eq__`` ignores the base style)."""
    return text.plain, text.style, text.justify, tuple(text.spans)


def measure_label(label: Text) -> int:
    return max((cell_len(line) for line in label.plain.split("\n")), default=0)


class Grid(DataTable):
    """One part's grid. The review screen feeds it findings and the selection; it reports cursor moves as
    the usual ``DataTable.CellHighlighted`` messages."""

    BINDINGS: ClassVar[list[BindingType]] = move_bindings("grid")

    DEFAULT_CSS = """
    Grid {
        height: 1fr;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    """

    def __init__(self, table_id: str, *, id: str | None = None) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, fixed_columns=2, header_height=2,
                         cursor_foreground_priority="css", cursor_background_priority="css", id=id)
        localize_bindings(self)
        self.table_id = table_id
        self.report: Report | None = None
        self.rows_: list[GridRow] = []
        self.columns_: list[str] = []
        """The report's value columns in printed order."""
        self._short: dict[str, str] = {}
        """The two-line headers of a wide grid, by column (see :func:`short_headers`)."""
        self.order: list[str] = []
        """The value columns in the order shown (grid column ``2 + i``); the first ``fixed_columns - 2`` are
        fixed (the totals)."""
        self._cells: dict[tuple[int, int], Text] = {}
        self._row_index: dict[str, int] = {}
        self._narrow = False
        self._label_width = 24 if table_id == PART_REQUESTS else 18
        self._last_paint: tuple | None = None
        self._base: dict[tuple[int, int], Text] = {}
        """Every cell as drawn with no finding selected (see :meth:`paint`)."""
        self._base_key: tuple | None = None
        self._value_at: dict[tuple[str, str], list[tuple[int, int]]] = {}
        """Where each (row, column) value of the report is drawn."""
        self._overlaid: set[tuple[int, int]] = set()
        """The cells the selected finding is drawn over."""

    # ------------------------------------------------------------------------------------------ structure

    def set_report(self, report: Report) -> None:
        """The same report with other values (the auditor's readings applied): drawn again at the next
        :meth:`paint`, rows and columns kept."""
        self.report = report
        self._base_key = None

    def load(self, report: Report) -> None:
        """Set up rows and columns for ``report`` (values are filled by :meth:`paint`)."""
        self.report = report
        self.clear(columns=True)
        self._cells = {}
        self._base, self._base_key, self._value_at, self._overlaid = {}, None, {}, set()
        self.rows_ = grid_rows(report, self.table_id)
        self.columns_ = grid_columns(report, self.table_id)
        self._short = short_headers(report, self.table_id)
        # the total first, fixed beside the label (it stays in view when a narrow grid scrolls sideways), then
        # the other columns in printed order
        totals = [c for c in total_columns(report, self.table_id) if c in self.columns_]
        self.order = totals + [c for c in self.columns_ if c not in totals]
        self.fixed_columns = 2 + len(totals)
        self._row_index = {}
        for i, r in enumerate(self.rows_):
            self._row_index.setdefault(r.key, i)
            self._row_index.setdefault(r.row, i)
        self.add_column(Text(" "), width=1, key="mark")
        if self.table_id == PART_PROACTIVE:
            self.add_column(Text(t("review.col.row"), style="bold"), width=16, key="label")
            self.add_column(Text(t("review.col.column"), style="bold"), width=16, key="column")
            self.add_column(Text(t("review.col.value"), style="bold", justify="right"), key="value")
        else:
            self.add_column(Text(""), width=self._label_width, key="label")
            for c in self.order:
                self.add_column(self._header(c), key=c)
        blank = [Text("") for _ in range(2 + (2 if self.table_id == PART_PROACTIVE else len(self.order)))]
        for r in self.rows_:
            self.add_row(*blank, key=r.key)
        self.call_after_refresh(self.fit_columns)

    def _header(self, column: str) -> Text:
        label = column if self._narrow else self._short.get(column, column)
        return Text(label, style="bold", justify="right")

    def _label_full_width(self) -> int:
        return max((cell_len(r.label) + r.indent for r in self.rows_), default=8)

    def label_for(self, gr: GridRow) -> str:
        """The full label if it fits the label column, else the short one (the cell crops what is left)."""
        full = " " * gr.indent + gr.label
        if cell_len(full) <= self._label_width or not gr.short:
            return full
        return " " * gr.indent + gr.short

    def fit_columns(self) -> None:
        """Fit the grid to its width.

        Wide enough: every column at its natural width, headers on two lines. Narrow: value columns all
        ``NARROW`` (or the widest value) cells wide with headers on three lines; the total column stays fixed
        beside the label, and the label column takes what is left over after a whole number of the other
        columns, so that the grid scrolls sideways by whole columns (no half headers at the left edge)."""
        if not self.columns or self.table_id == PART_PROACTIVE or not self.size.width:
            return
        width = self.scrollable_content_region.width
        pad = 2 * self.cell_padding
        values = [self.columns[ColumnKey(c)] for c in self.order]
        wide = sum(max(self._value_width(c), measure_label(self._header_text(c, False))) + pad for c in self.order)
        full = self._label_full_width()
        narrow = width - (1 + pad + pad + wide) < min(full, 28)
        changed = narrow != self._narrow
        if changed:
            self._narrow = narrow
            self.header_height = 3 if narrow else 2
            for key, c in zip(self.order, values, strict=True):
                c.label = self._header(key)
                if not narrow:
                    c.width, c.auto_width = 0, True
        if narrow:
            column_width = max(NARROW, *(self._value_width(c) for c in self.order))
            for c in values:
                if c.auto_width or c.width != column_width:
                    c.width, c.auto_width = column_width, False
                    changed = True
            step = column_width + pad
            fixed_values = self.fixed_columns - 2
            scrolled = len(self.order) - fixed_values
            room = width - (1 + pad) - pad - fixed_values * step  # for the label and the scrolled columns
            if room - scrolled * step >= min(full, MIN_LABEL):
                fit = min(full, room - scrolled * step)
            else:
                fit = room - max(0, (room - MIN_LABEL) // step) * step
            fit = max(4, fit)
        else:
            used = 1 + pad + sum((c.width if not c.auto_width else max(c.content_width, measure_label(c.label)))
                                 + pad for c in values)
            fit = max(MIN_LABEL, min(full, width - used - pad))
        label = self.columns.get(ColumnKey("label"))
        if label is not None and fit != label.width:
            label.width = fit
            self._label_width = fit
            changed = True
        if changed:
            remeasure(self)
            if self._last_paint is not None:
                self.paint(*self._last_paint)

    def _value_width(self, column: str) -> int:
        """The widest value drawn in ``column``."""
        j = 2 + self.order.index(column) if column in self.order else -1
        return max((cell_len(text.plain) for (_i, jj), text in self._cells.items() if jj == j), default=0)

    def _header_text(self, column: str, narrow: bool) -> Text:
        return Text(column if narrow else self._short.get(column, column))

    def on_resize(self) -> None:
        self.fit_columns()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int, cursor: bool = False,
                     hover: bool = False) -> list[list[Segment]]:
        # a one-line cell drawn straight to segments (see compat.render_cell)
        return render_cell(self, row_index, column_index, base_style, width, cursor, hover, super()._render_cell)

    # ------------------------------------------------------------------------------------------ mapping

    def ref_at(self, coordinate: Coordinate | None = None) -> CellRef | None:
        """The report cell under ``coordinate`` (default: the cursor); column '' on a label."""
        coordinate = self.cursor_coordinate if coordinate is None else coordinate
        if not self.rows_ or not 0 <= coordinate.row < len(self.rows_):
            return None
        r = self.rows_[coordinate.row]
        if self.table_id == PART_PROACTIVE:
            return CellRef(PART_PROACTIVE, r.row, r.column or "")
        col = coordinate.column - 2
        column = self.order[col] if 0 <= col < len(self.order) else ""
        return CellRef(self.table_id, r.row, column)

    def coordinate_of(self, ref: CellRef) -> Coordinate | None:
        if ref.table != self.table_id:
            return None
        if self.table_id == PART_PROACTIVE:
            i = self._row_index.get(f"{ref.row}|{ref.column}", self._row_index.get(ref.row))
            return None if i is None else Coordinate(i, 3)
        i = self._row_index.get(ref.row)
        if i is None:
            return None
        if ref.column in self.order:
            return Coordinate(i, 2 + self.order.index(ref.column))
        return Coordinate(i, 1)

    def show_rows(self, rows: Iterable[int]) -> None:
        """Scroll so that these rows are all in view, if they fit (else leave the cursor's scroll be)."""
        rows = sorted(set(rows))
        if not rows:
            return
        height = self.scrollable_content_region.height - self.header_height
        first, last = rows[0], rows[-1]
        if last - first + 1 > height:
            return
        y = int(self.scroll_y)
        if first < y:
            y = first
        elif last >= y + height:
            y = last - height + 1
        self.scroll_to(y=y, animate=False, immediate=True)

    def rows_of(self, f: Finding) -> list[int]:
        """The grid rows of the cells a finding involves (and of its target)."""
        refs = [*f.cells, *([CellRef(f.table, f.row, f.column or "")] if f.table and f.row else [])]
        coords = (self.coordinate_of(ref) for ref in refs if ref.table == self.table_id)
        return [c.row for c in coords if c is not None]

    def home(self) -> Coordinate:
        """Where the cursor starts: the first row's first value in printed order (part 二: its value)."""
        if self.table_id == PART_PROACTIVE:
            return Coordinate(0, 3)
        return Coordinate(0, 2 + self.order.index(self.columns_[0]) if self.columns_ else 1)

    def grid_row(self, index: int) -> GridRow | None:
        return self.rows_[index] if 0 <= index < len(self.rows_) else None

    # ------------------------------------------------------------------------------------------ painting

    def paint(self, findings: Iterable[tuple[Finding, str]], selected: Finding | None, colours: Colours,
              noted: set[str], stale: frozenset[str] = frozenset()) -> None:
        """Colour rows and cells: ``findings`` as (finding, status) pairs, ``noted`` the note targets, ``stale``
        the cells whose reading was made before the report changed.

        What does not depend on the selection (row colours, marks, values, notes) is worked out again only when
        the findings, their verdicts, the notes, the colours or the label width change; a new selection then
        redraws just the cells it leaves and the cells it takes."""
        report = self.report
        if report is None:
            return
        findings = list(findings)
        self._last_paint = (findings, selected, colours, noted, stale)
        key = (findings, frozenset(noted), stale, colours, self._label_width)
        rebuilt = key != self._base_key
        if rebuilt:
            self._base = self._base_cells(report, findings, colours, noted, stale)
            self._base_key = key
        overlay = self._overlay(selected, colours)
        # every cell after a rebuild, else the cells of the old and the new selection
        candidates = self._base.keys() if rebuilt else self._overlaid | overlay.keys()
        self._overlaid = set(overlay)
        changed: list[tuple[int, int, Text, bool]] = []
        for ij in candidates:
            value = self._base[ij]
            extra = overlay.get(ij)
            if extra is not None:
                style = value.style if isinstance(value.style, Style) else Style.parse(value.style)
                value = Text(value.plain, style=style + extra, justify="right", no_wrap=True)
            old = self._cells.get(ij)
            if old is None or text_key(old) != text_key(value):
                self._cells[ij] = value
                i, j = ij
                changed.append((i, j, value, j >= 2 and (old is None or old.cell_len != value.cell_len)))
        self._apply(changed)

    def _overlay(self, selected: Finding | None, colours: Colours) -> dict[tuple[int, int], Style]:
        """The style the selected finding adds to the cells it involves, by grid coordinate."""
        if selected is None:
            return {}
        sel_sev = selected.severity
        involved = {(c.row, c.column) for c in selected.cells if c.table == self.table_id}
        target: tuple[str, str] | None = None
        if selected.table == self.table_id and selected.row:
            target = (selected.row, selected.column or "")
            if selected.column:
                involved.add(target)
        out: dict[tuple[int, int], Style] = {}
        for ref in involved | ({target} if target is not None else set()):
            style = Style()
            if ref in involved:
                style += Style(bgcolor=colours.bg(sel_sev), bold=True)
            if ref == target:
                style += Style(bgcolor=colours.strong(sel_sev), color="#000000", bold=True)
            for ij in self._value_at.get(ref, ()):
                out[ij] = style
        return out

    def _base_cells(self, report: Report, findings: list[tuple[Finding, str]], colours: Colours,
                    noted: set[str], stale: frozenset[str] = frozenset()) -> dict[tuple[int, int], Text]:
        """Every cell as drawn with nothing selected; notes where each (row, column) value is drawn."""
        row_sev: dict[str, str] = {}
        row_dismissed: set[str] = set()
        cell_sev: dict[tuple[str, str], str] = {}
        for f, status in findings:
            if f.table != self.table_id:
                continue
            rows = [f.row] if f.row else sorted({c.row for c in f.cells if c.table == self.table_id})
            for r in rows:
                if status == "dismissed":
                    row_dismissed.add(r)
                    continue
                if row_sev.get(r) != "error":
                    row_sev[r] = f.severity if f.severity in ("error", "warning") else row_sev.get(r, "")
                if f.row and f.column:
                    key = (r, f.column)
                    if cell_sev.get(key) != "error":
                        cell_sev[key] = f.severity

        table = report.tables.get(self.table_id)
        base: dict[tuple[int, int], Text] = {}
        value_at: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for i, gr in enumerate(self.rows_):
            sev = row_sev.get(gr.row)
            fg = colours.fg(sev)
            row_style = Style(color=fg) if fg else Style()
            if sev == "error":
                mark = Text("●", style=Style(color=colours.error, bold=True))
            elif sev == "warning":
                mark = Text("▲", style=Style(color=colours.warning))
            elif gr.row in row_dismissed:
                mark = Text("✘", style=Style(color=colours.muted))
            else:
                mark = Text(" ")
            row = table.get(gr.row) if table is not None else None
            label_style = row_style + Style(bold=bool(sev))
            if gr.group:
                label_style = Style(color=colours.muted, italic=True)
            elif row is None or not row.found:
                label_style += Style(dim=True)
            label_text = truncate(gr.label, 16) if self.table_id == PART_PROACTIVE else self.label_for(gr)
            if noted and f"{self.table_id}/{gr.row}" in noted:
                label_text = "✎" + label_text
            cells: list[Text] = [mark, Text(label_text, style=label_style, no_wrap=True, overflow="ellipsis")]
            columns = [gr.column] if gr.column is not None else ([] if gr.group else self.order)
            if self.table_id == PART_PROACTIVE:
                cells.append(Text(truncate(gr.column or "", 16), style=row_style, no_wrap=True))
            for column in columns:
                cell = None
                if row is not None:
                    try:
                        cell = row.cell(column)
                    except KeyError:
                        cell = None
                text, kind = fmt_value(cell)
                style = row_style
                path = f"{self.table_id}/{gr.row}/{column}"
                if kind == "blank" or kind == "missing" or kind == "zero":
                    style = Style(color=colours.fg(sev) or colours.muted, dim=not sev)
                elif kind == "bad":
                    style = Style(color=colours.warning, italic=True)
                elif kind == "read":
                    style = row_style + Style(italic=True)
                    text = ("⟳" if path in stale else "»") + text
                if (gr.row, column) in cell_sev:
                    style += Style(bold=True, underline=True)
                if path in noted:
                    text = "✎" + text
                value_at.setdefault((gr.row, column), []).append((i, len(cells)))
                cells.append(Text(text, style=style, justify="right", no_wrap=True))
            if gr.group:
                cells.extend(Text("") for _ in self.order)
            for j, value in enumerate(cells):
                base[(i, j)] = value
        self._value_at = value_at
        return base

    def _apply(self, changed: list[tuple[int, int, Text, bool]]) -> None:
        """Put changed cells in the table and repaint only their rows.

        ``update_cell_at`` repaints the whole table for every cell (and measures the column again); a change of
        colour touches a few rows, so the rows are repainted alone (:func:`~auditui.tui.compat.set_cells_quietly`),
        and the columns are measured again (once each, :func:`~auditui.tui.compat.set_cells_measured`) only when
        a value's width changed."""
        if not changed:
            return
        if any(width for *_, width in changed):
            set_cells_measured(self, ((i, j, value) for i, j, value, _width in changed))
            return
        set_cells_quietly(self, ((i, j, value) for i, j, value, _width in changed))
