"""The review screen: the source on the left; the grid of each part and the findings on the right.

One selection ties the panes together. Moving the grid cursor highlights that row's spans in the source (and
the cell's span more strongly) and selects the finding whose target is that cell, if any. Selecting a finding
(n / N, or in the list) moves the grid cursor to its cell, emphasises every cell it involves and highlights
their spans in the source. Each verdict, comment or note is written to the audit log at once, in a worker
thread (the log is locked and synced to disk: a lock another auditor holds must not freeze the screen).

State: :attr:`ReviewScreen.selected` (the selected finding) is a reactive whose one watcher redraws what shows
it. Widgets tell the screen what happened with messages (``SearchBox.Step``, ``LogWritten``…); the screen
tells the app with messages too (``StepReport``, ``VerdictsChanged``).
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent, TabPane, Tabs

from ...core.auditlog import AuditLog, Change, LogError, UndoError, finding_keys
from ...core.model import CellRef, Finding, Span
from ..compat import rewrite_bindings
from ..entries import entry_of
from ..i18n import get_lang, localize_bindings, t
from ..messages import StepReport, VerdictsChanged
from ..safe import one_line, truncate, truncate_middle
from ..widgets.findings import FindingsList, Verdict, where
from ..widgets.footer import KeyFooter
from ..widgets.grid import Colours, Grid, involved_cells, text_key
from ..widgets.source_view import SourceView

if TYPE_CHECKING:
    from ...core.batch import Checked

PARTS = ("三", "四", "二")
PART_ID = {"三": "part3", "四": "part4", "二": "part2"}

FIND = Binding.Group("key.findings", compact=True)
REPORTS = Binding.Group("key.reports", compact=True)


def target_ref(f: Finding) -> CellRef | None:
    """The grid cell a finding is about: its row/column, else the first cell it involves."""
    if f.table and f.row:
        return CellRef(f.table, f.row, f.column or "")
    if f.cells:
        return f.cells[0]
    return None


def involves(f: Finding, ref: CellRef | None) -> bool:
    """Whether ``ref`` is the finding's target, one of its cells, or in the row of a whole-row finding."""
    if ref is None or f.table != ref.table:
        return False
    if f.row == ref.row and (f.column is None or f.column == ref.column):
        return True
    return ref in f.cells


class Line(Static):
    """A one-line ``Static`` (its height is fixed by CSS): showing the same text again draws nothing, and new
    text repaints the line without laying the screen out again."""

    _shown: tuple | None = None

    def show(self, text: Text) -> None:
        key = text_key(text)
        if key != self._shown:
            self._shown = key
            self.update(text, layout=False)


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


@dataclass
class LogWritten(Message):
    """A change to the audit log finished in the worker: ``notice`` to show, or ``error`` if it failed.
    ``wrote``: it was a change (not the opening of the log, which the queue's counts already reflect)."""

    notice: str | None = None
    error: str | None = None
    wrote: bool = True


class LogIdle(Message):
    """The audit-log worker has nothing left to write."""


LogOp = Callable[["AuditLog | None"], "str | None"]
"""A change to the audit log, run in the worker: returns what to tell the auditor (None: nothing)."""


class ReviewScreen(Screen):
    """Review one report. ``position`` is (index, count) in the queue, shown in the header."""

    selected: reactive[int | None] = reactive(None, always_update=True, init=False, repaint=False)
    """The selected finding (an index into :attr:`findings`), None for none. (No repaint of the whole screen:
    the watcher redraws what shows the selection, which is a few lines.)"""

    zoomed: reactive[str | None] = reactive(None, init=False, repaint=False)
    """The pane shown alone (``source``, ``grid`` or ``findings``), None for all three."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_pane", "key.pane", id="review.pane"),
        Binding("shift+tab", "previous_pane", "key.pane", show=False, id="review.previous_pane"),
        Binding("n", "next_finding", "key.next_finding", id="review.next_finding", group=FIND),
        Binding("N", "previous_finding", "key.prev_finding", id="review.previous_finding", group=FIND),
        Binding("c", "confirm", "key.confirm", id="review.confirm"),
        Binding("x", "dismiss_finding", "key.dismiss", id="review.dismiss"),
        Binding("o", "reopen", "key.reopen", show=False, id="review.reopen"),
        Binding("a", "comment", "key.comment", id="review.comment"),
        Binding("u", "undo", "key.undo", id="review.undo"),
        Binding("slash", "search", "key.search", id="review.search"),
        Binding("enter", "next_match", "key.next_match", show=False, id="review.next_match"),
        Binding("right_square_bracket", "step_report(1)", "key.next_report", id="review.next_report",
                group=REPORTS),
        Binding("left_square_bracket", "step_report(-1)", "key.prev_report", id="review.previous_report",
                group=REPORTS),
        Binding("3", "part('三')", "key.part3", show=False, id="review.part3"),
        Binding("4", "part('四')", "key.part4", show=False, id="review.part4"),
        Binding("2", "part('二')", "key.part2", show=False, id="review.part2"),
        Binding("y", "series", "key.series", id="review.series"),
        Binding("r", "toggle_copied", "key.copied", show=False, id="review.copied"),
        Binding("z", "zoom", "key.zoom", id="review.zoom"),
        Binding("w", "toggle_wrap", "key.wrap", show=False, id="review.wrap"),
        Binding("q", "back", "key.back", id="review.back"),
    ]

    def __init__(self, checked: Checked, *, log_dir, auditor: str, position: tuple[int, int] | None = None,
                 single: bool = False) -> None:
        super().__init__()
        assert checked.report is not None
        localize_bindings(self)
        if single:  # q leaves the app: say so
            quit_text = t("key.quit")
            rewrite_bindings(self, lambda b: replace(b, description=quit_text) if b.action == "back" else b)
        self.log_dir = log_dir
        self.auditor = auditor
        self.single = single
        self._ops: deque[tuple[LogOp, bool]] = deque()
        """Changes waiting for the audit-log worker, in order."""
        self._ops_lock = threading.Lock()
        self._writing = False
        """A worker is writing the queued changes (guarded by ``_ops_lock``)."""
        self._leave: Callable[[], None] | None = None
        """What to do once the queued changes are written (leave the screen)."""
        self._colours: Colours | None = None
        self._ready = False
        self._take(checked, position)

    def _take(self, checked: Checked, position: tuple[int, int] | None) -> None:
        """Everything that belongs to the report under review (the screen's widgets are kept from one report to
        the next: see :meth:`show_report`)."""
        assert checked.report is not None
        self.checked = checked
        self.report = checked.report
        self.findings: list[Finding] = list(checked.findings)
        self.keys = finding_keys(self.findings)
        self.details = [involved_cells(f, self.report) if f.evaluable else "" for f in self.findings]
        """Why a finding's rows are red: the cells it involves with their values (arithmetic findings)."""
        self.position = position
        self.audit_log: AuditLog | None = None
        """The open audit log (None while it opens, or if it cannot be opened: see :attr:`log_error`)."""
        self.log_error: str | None = None
        self._notices_shown = 0

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Line(id="review-header")
        with Horizontal(id="review-body"):
            with Vertical(id="source-pane"):
                yield SourceView(self.report.source.lines, id="source")
                box = SearchBox(placeholder=t("source.search"), id="search")
                box.cursor_blink = getattr(self.app, "cursor_blink", True)
                yield box
                yield Line(id="source-status")
            with Vertical(id="grid-pane"):
                with TabbedContent(id="parts", initial=PART_ID["三"]):
                    for tid in PARTS:
                        with TabPane(t(f"review.tab.{tid}"), id=PART_ID[tid]):
                            yield Grid(tid, id=f"grid-{PART_ID[tid]}")
                yield Line(id="selection")
                yield FindingsList(id="findings")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False
        self.query_one("#search").display = False
        self._colours = Colours.of(self.app.theme_variables)
        self.app.theme_changed_signal.subscribe(self, self._on_theme)
        self._show_report()
        self._ready = True

    def _show_report(self) -> None:
        """Fill the widgets with the report taken (:meth:`_take`) and open its audit log."""
        self._write(self._open_log, needs_log=False)
        for tid in PARTS:
            grid = self.grid(tid)
            grid.load(self.report)
            if grid.row_count:
                grid.move_cursor(row=grid.home().row, column=grid.home().column, animate=False)
        self._refresh_all()
        grid = self.grid("三")
        grid.focus()
        self._update_view()
        self._mark_copied()

    def show_report(self, checked: Checked, position: tuple[int, int] | None = None) -> None:
        """Review ``checked`` in this screen instead (``]`` and ``[``): the widgets stay, their content is
        replaced, so the next report is on screen without a screen being built. Changes to the audit log still
        being written are written first (they are the report's before)."""
        with self._ops_lock:
            busy = self._writing
        if busy:
            self._leave = lambda: self.show_report(checked, position)
            return
        self._take(checked, position)
        if self.query_one(SearchBox).display:
            self.close_search()
        self.zoomed = None
        self.set_reactive(ReviewScreen.selected, None)
        self.findings_list.highlighted = None
        self.query_one(TabbedContent).active = PART_ID["三"]
        source = self.source
        source.set_lines(self.report.source.lines)
        source.scroll_to(0, 0, animate=False)
        self._show_report()
        self.refresh_bindings()
        self.refresh()  # the whole screen in the next frame (else the source, resized, is drawn a frame early)

    def on_resize(self) -> None:
        """Narrow terminals give the grid more of the width: it needs about 70 columns."""
        narrow = self.size.width < 140
        self.query_one("#source-pane").styles.width = "1fr" if narrow else "2fr"
        self.query_one("#grid-pane").styles.width = "2fr" if narrow else "3fr"
        if self._ready:
            self.call_after_refresh(self._update_header)
            self.call_after_refresh(self._keep_selection_in_view)

    def _on_theme(self, _theme) -> None:
        self._colours = Colours.of(self.app.theme_variables)
        self._refresh_all()

    def _open_log(self, _log: AuditLog | None) -> str | None:
        """Open the audit log (in the worker, like every write: opening takes the lock and may write)."""
        try:
            self.audit_log = AuditLog.open(self.report, self.findings, self.log_dir, self.auditor)
        except (LogError, OSError) as e:
            self.log_error = getattr(e, "reason", None) or str(e)
            raise _Told(t("review.read_only", error=self.log_error)) from None
        self.keys = list(self.audit_log.keys)
        return None

    @property
    def log_ready(self) -> bool:
        """The audit log has been opened, or has failed to open."""
        return self.audit_log is not None or self.log_error is not None

    def _show_notices(self) -> None:
        if self.audit_log is None:
            return
        for notice in self.audit_log.notices[self._notices_shown:]:
            self.app.notify(t("review.notice", notice=notice), severity="warning", timeout=30, markup=False)
        self._notices_shown = len(self.audit_log.notices)

    # ------------------------------------------------------------------------------------------ queries

    def grid(self, table_id: str) -> Grid:
        return self.query_one(f"#grid-{PART_ID[table_id]}", Grid)

    @property
    def active_part(self) -> str:
        active = self.query_one(TabbedContent).active
        for tid, pid in PART_ID.items():
            if pid == active:
                return tid
        return "三"

    @property
    def active_grid(self) -> Grid:
        return self.grid(self.active_part)

    @property
    def source(self) -> SourceView:
        return self.query_one(SourceView)

    @property
    def findings_list(self) -> FindingsList:
        return self.query_one(FindingsList)

    @property
    def selected_finding(self) -> Finding | None:
        return self.findings[self.selected] if self.selected is not None else None

    def cursor_ref(self) -> CellRef | None:
        return self.active_grid.ref_at()

    def verdicts(self) -> list[Verdict]:
        if self.audit_log is None:
            return [Verdict() for _ in self.findings]
        out = []
        for key in self.keys:
            try:
                e = self.audit_log.entry(key)
            except KeyError:
                out.append(Verdict())
                continue
            out.append(Verdict(e.status, e.reason, e.comment, e.stale))
        return out

    def statuses(self) -> list[str]:
        return [v.status for v in self.verdicts()]

    def note_targets(self) -> set[str]:
        return {n.target for n in self.audit_log.notes if n.text} if self.audit_log is not None else set()

    # ------------------------------------------------------------------------------------------ drawing

    def _refresh_all(self) -> None:
        """Redraw what depends on verdicts: header, findings list, grid colours."""
        colours = self._colours or Colours.of(self.app.theme_variables)
        verdicts = self.verdicts()
        self.findings_list.show(self.findings, verdicts, colours, self.details)
        self._paint_grids()
        self._update_header(verdicts)

    def _paint_grids(self) -> None:
        colours = self._colours or Colours.of(self.app.theme_variables)
        pairs = list(zip(self.findings, self.statuses(), strict=True))
        noted = self.note_targets()
        for tid in PARTS:
            self.grid(tid).paint(pairs, self.selected_finding, colours, noted)

    def _update_header(self, verdicts: list[Verdict] | None = None) -> None:
        """The report, its counts, its verdicts and its file, fitted to the width (see :func:`header_text`)."""
        colours = self._colours or Colours.of(self.app.theme_variables)
        queue = getattr(self.app, "queue", None)
        if self.position is not None and queue is not None:
            self.position = queue.position(self.checked.path) or self.position
        counts = {"open": 0, "confirmed": 0, "dismissed": 0}
        for v in verdicts if verdicts is not None else self.verdicts():
            counts[v.status] = counts.get(v.status, 0) + 1
        flags: list[tuple[str, Style]] = []
        if self.audit_log is not None and self.audit_log.stale:
            flags.append(("⟳ " + t("review.stale"), Style(color=colours.warning, bold=True)))
        if self.audit_log is None:
            flags.append((t("review.no_log"), Style(color=colours.error, bold=True)))
        line = self.query_one("#review-header", Line)
        width = line.content_size.width or max(20, self.app.size.width - 2)
        line.show(header_text(self.report, self.checked.counts, counts, flags, self.position, colours, width))

    def _spans_of(self, ref: CellRef) -> tuple[list[Span], Span | None]:
        """The spans of ``ref``'s row and the span of the cell itself (the label for column '')."""
        table = self.report.tables.get(ref.table)
        row = table.get(ref.row) if table is not None else None
        if row is None:
            return [], None
        row_spans = list(row.spans) or ([row.label_span] if row.label_span else [])
        if not ref.column:
            return row_spans, row.label_span
        try:
            return row_spans, row.cell(ref.column).span
        except KeyError:
            return row_spans, None

    def _finding_spans(self, f: Finding) -> list[Span]:
        spans = []
        for ref in f.cells:
            cell = self.report.cell(ref)
            if cell is not None and cell.span is not None:
                spans.append(cell.span)
        spans.extend(f.spans)
        return spans

    def _update_view(self, focus_finding: bool = False) -> None:
        """Highlight the source for the cursor and the selection; describe the selection."""
        ref = self.cursor_ref()
        f = self.selected_finding
        row_spans: list[Span] = []
        cell_span = None
        if ref is not None:
            row_spans, cell_span = self._spans_of(ref)
        involved = self._finding_spans(f) if f is not None else []
        focus = cell_span
        if f is not None and (focus_finding or not involves(f, ref)):
            tref = target_ref(f)
            tspan = self._spans_of(tref)[1] if tref is not None else None
            focus = tspan or (involved[0] if involved else focus)
            if not involves(f, ref):
                row_spans, cell_span = [], tspan
        self.source.set_highlights({"row": row_spans, "involved": involved,
                                    "cell": [cell_span] if cell_span else []}, focus=focus)
        self._update_selection_line(ref, f)

    def _update_selection_line(self, ref: CellRef | None, f: Finding | None) -> None:
        colours = self._colours or Colours.of(self.app.theme_variables)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if f is not None:
            text.append(t("review.selected", what=""), style="bold")
            text.append(t(f"severity.{f.severity}"), style=Style(color=colours.fg(f.severity), bold=True))
            text.append(f" {t(f'rule.{f.rule}')} {where(f)}")
        elif ref is not None and ref.row:
            name = "/".join(x for x in (ref.table, ref.row, ref.column) if x)
            text.append(t("review.selected", what=""), style="bold")
            text.append(t("review.cell_hint", ref=name))
        else:
            text.append(t("review.nothing"), style="dim")
        if ref is not None and self.audit_log is not None:
            target = "/".join(x for x in (ref.table, ref.row, ref.column) if x)
            notes = [n for n in self.audit_log.notes_for(target) if n.text]
            if notes:
                text.append("   ✎ ", style=Style(color=colours.warning))
                text.append(truncate(one_line(notes[-1].text), 60), style="italic")
        self.query_one("#selection", Line).show(text)

    # ------------------------------------------------------------------------------------------ selection

    def validate_selected(self, index: int | None) -> int | None:
        return index if index is not None and 0 <= index < len(self.findings) else None

    def watch_selected(self, old: int | None, new: int | None) -> None:
        """Redraw what shows the selection: the findings list's highlight, the grids' colours, the source's
        highlights and the selection line; c / x / o are enabled only with a finding selected."""
        fl = self.findings_list
        if self.findings and fl.highlighted != new:
            fl.highlighted = new
        if old != new:
            self._paint_grids()
        self._update_view()
        if (old is None) != (new is None):
            self.refresh_bindings()

    def select(self, index: int | None) -> None:
        """Select finding ``index`` (None: none) and move the grid cursor to its cell."""
        index = self.validate_selected(index)
        f = self.findings[index] if index is not None else None
        if f is not None:
            self._move_grid_to(f)
        self.selected = index

    def _move_grid_to(self, f: Finding) -> None:
        tref = target_ref(f)
        if tref is None or tref.table not in PART_ID:
            return
        tabs = self.query_one(TabbedContent)
        grid_had_focus = isinstance(self.focused, Grid)
        if tabs.active != PART_ID[tref.table]:
            tabs.active = PART_ID[tref.table]
        grid = self.grid(tref.table)
        coord = grid.coordinate_of(tref)
        if coord is not None:
            grid.move_cursor(row=coord.row, column=coord.column, animate=False)
            # why is it red: every row the finding involves in view, when they fit
            grid.call_after_refresh(grid.show_rows, [coord.row, *grid.rows_of(f)])
        if grid_had_focus and self.focused is not grid:
            grid.focus()

    def _finding_at(self, ref: CellRef | None) -> int | None:
        if ref is None:
            return None
        cur = self.selected_finding
        if cur is not None and involves(cur, ref):
            return self.selected
        for i, f in enumerate(self.findings):
            if target_ref(f) == ref:
                return i
        return None

    @on(DataTable.CellHighlighted)
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        if event.data_table is not self.active_grid or event.coordinate != event.data_table.cursor_coordinate:
            return  # another part's grid, or a move already overtaken (the cursor has moved on since)
        self.selected = self._finding_at(self.active_grid.ref_at(event.coordinate))

    @on(OptionList.OptionHighlighted, "#findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index != self.findings_list.highlighted:
            return  # overtaken
        if event.option_index != self.selected and event.option_index < len(self.findings):
            self.select(event.option_index)

    @on(OptionList.OptionSelected, "#findings")
    def _finding_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.findings):
            self.select(event.option_index)
            self.active_grid.focus()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if isinstance(self.focused, (Grid, Tabs)) or self.focused is None:
            self.active_grid.focus()
        self._update_view()

    # ------------------------------------------------------------------------------------------ actions: moving

    PANES = ("source", "grid", "findings")
    """The panes in reading order (left, then right top to bottom): the order of tab."""

    def pane(self, name: str):
        return {"source": self.source, "grid": self.active_grid, "findings": self.findings_list}[name]

    @property
    def focused_pane(self) -> str | None:
        """The pane the focused widget is in (the search box is in the source pane)."""
        focused = self.focused
        if isinstance(focused, (SourceView, SearchBox)):
            return "source"
        if isinstance(focused, Grid):
            return "grid"
        if isinstance(focused, FindingsList):
            return "findings"
        return None

    def action_next_pane(self, step: int = 1) -> None:
        current = self.focused_pane
        index = self.PANES.index(current) if current is not None else (0 if step > 0 else 1)
        name = self.PANES[(index + step) % len(self.PANES)]
        if self.zoomed is not None:
            self.zoomed = name  # zoomed in, tab shows the next pane alone
        self.pane(name).focus()

    def action_zoom(self) -> None:
        """The focused pane alone on the screen (again: all panes)."""
        self.zoomed = None if self.zoomed is not None else (self.focused_pane or "grid")

    def watch_zoomed(self, zoomed: str | None) -> None:
        for name in self.PANES:
            self.set_class(zoomed == name, f"-zoom-{name}")
        if zoomed is not None and self.focused_pane != zoomed:
            self.pane(zoomed).focus()
        self.call_after_refresh(self._keep_selection_in_view)

    def _keep_selection_in_view(self) -> None:
        """After a resize or a zoom: the cursor cell, the highlighted source and the selected finding in view."""
        for tid in PARTS:
            grid = self.grid(tid)
            if grid.row_count:
                grid.move_cursor(animate=False)  # scrolls the cursor into view
        self.source.scroll_to_focus()
        self.findings_list.scroll_to_highlight()

    def action_toggle_wrap(self) -> None:
        """Soft wrap of the source on or off, from whichever pane has focus."""
        self.source.wrap = not self.source.wrap

    def action_previous_pane(self) -> None:
        self.action_next_pane(-1)

    def action_next_finding(self) -> None:
        if not self.findings:
            return
        self.select(0 if self.selected is None else (self.selected + 1) % len(self.findings))

    def action_previous_finding(self) -> None:
        if not self.findings:
            return
        self.select(len(self.findings) - 1 if self.selected is None else (self.selected - 1) % len(self.findings))

    def action_part(self, table_id: str) -> None:
        self.query_one(TabbedContent).active = PART_ID[table_id]

    def action_step_report(self, step: int) -> None:
        self._after_writes(lambda: self.post_message(StepReport(self.checked.path, step)))

    # ------------------------------------------------------------------------------------------ across years

    def action_series(self) -> None:
        """The years of this report's body side by side (``y``)."""
        from .series import open_series

        open_series(self, self.checked.path)

    def _mark_copied(self) -> tuple | None:
        """Mark (dim) the sentences copied from the body's report of the year before, unless marks are off."""
        from .series import copied_spans

        found = copied_spans(self.app, self.checked.path)
        show = getattr(self.app, "show_copied", True)
        self.source.set_layer("copied", found[1] if found is not None and show else ())
        return found

    def action_toggle_copied(self) -> None:
        """Show or hide the marks of the sentences copied from last year's report (``r``)."""
        from .series import copied_spans

        found = copied_spans(self.app, self.checked.path)
        if found is None:
            self.app.notify(t("review.copied_none"), markup=False, timeout=4)
            return
        self.app.show_copied = not getattr(self.app, "show_copied", True)
        reuse, _ = found
        self._mark_copied()
        if self.app.show_copied:
            self.app.notify(t("review.copied_on", n=len(reuse.copied), share=f"{reuse.share:.0%}",
                              previous=os.path.basename(reuse.previous)), markup=False, timeout=4)
        else:
            self.app.notify(t("review.copied_off"), markup=False, timeout=3)

    def action_back(self) -> None:
        self._after_writes(self.app.exit if self.single else self.dismiss)

    def _after_writes(self, leave: Callable[[], object]) -> None:
        """``leave`` now, or once the audit-log worker has written what it was given (it is told on screen
        when it fails, and the screen then stays)."""
        with self._ops_lock:
            busy = self._writing
        if not busy:
            leave()
            return
        self._leave = leave
        self.app.notify(t("review.saving"), markup=False, timeout=3)

    # ------------------------------------------------------------------------------------------ search

    def action_search(self) -> None:
        if self.zoomed not in (None, "source"):
            self.zoomed = "source"  # the search box is in the source pane
        box = self.query_one(SearchBox)
        box.display = True
        box.focus()
        if box.value:
            self._search(box.value)

    def action_next_match(self) -> None:
        self.search_step(True)

    def search_step(self, forward: bool) -> None:
        source = self.source
        if not source.matches:
            box = self.query_one(SearchBox)
            if box.value and source.search(box.value) == 0:
                self._source_status(t("source.no_match", query=box.value))
                return
            if not source.matches:
                return
        span = source.next_match(forward)
        if span is not None:
            self._source_status(t("source.match_at", i=(source.match_index or 0) + 1, n=len(source.matches),
                                  line=span.line + 1))

    @on(SearchBox.Step)
    def _search_box_step(self, event: SearchBox.Step) -> None:
        event.stop()
        self.search_step(event.forward)

    @on(SearchBox.Closed)
    def _search_box_closed(self, event: SearchBox.Closed) -> None:
        event.stop()
        self.close_search()

    def close_search(self) -> None:
        """Escape ends the search: the box, its matches and what it said go away."""
        box = self.query_one(SearchBox)
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

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search_step(True)

    def _source_status(self, message: str) -> None:
        self.query_one("#source-status", Line).show(Text(message))

    # ------------------------------------------------------------------------------------------ verdicts

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "dismiss_finding", "reopen") and self.selected is None:
            return None  # shown dimmed: nothing selected
        if action == "step_report" and self.single:
            return None
        return True

    def _what(self, f: Finding) -> str:
        return f"{t(f'rule.{f.rule}')} {where(f)}"

    def _need_log(self) -> bool:
        if self.log_error is not None:
            self.app.notify(t("review.no_log"), severity="error", markup=False)
            return False
        return True  # open, or opening (the change waits for it in the worker's queue)

    def _need_finding(self) -> Finding | None:
        f = self.selected_finding
        if f is None:
            self.app.notify(t("review.no_finding"), severity="warning", markup=False)
        return f

    def _entry(self, key: str):
        """The log entry of finding ``key`` as last read (None while the log opens)."""
        if self.audit_log is None:
            return None
        try:
            return self.audit_log.entry(key)
        except KeyError:
            return None

    # ------------------------------------------------------------------------------------------ the log worker

    def _write(self, op: LogOp, needs_log: bool = True) -> None:
        """Queue ``op`` for the audit-log worker, which runs the queue in order in a thread; each result comes
        back as a :class:`LogWritten` message, and :class:`LogIdle` once the queue is empty. ``op`` is given the
        open log (``needs_log``: an op queued while the log could not be opened fails with a message)."""
        with self._ops_lock:
            self._ops.append((op, needs_log))
            if self._writing:
                return
            self._writing = True
        self.run_worker(self._write_queued, thread=True, group="audit-log", exit_on_error=False,
                        description="writing the audit log")

    def _write_queued(self) -> None:
        """The worker: run the queued changes one by one (an ``AuditLog`` is used by one thread at a time)."""
        while True:
            with self._ops_lock:
                item = self._ops.popleft() if self._ops else None
                if item is None:
                    self._writing = False
            if item is None:
                self.post_message(LogIdle())
                return
            op, needs_log = item
            wrote = needs_log  # every op but the opening needs the log
            try:
                if needs_log and self.audit_log is None:
                    raise _Told(t("review.no_log"))
                notice = op(self.audit_log)
            except _Told as e:
                self.post_message(LogWritten(error=str(e), wrote=wrote))
            except UndoError as e:
                self.post_message(LogWritten(error=t("review.undo_failed", error=str(e)), wrote=wrote))
            except Exception as e:  # a lock that timed out, a full disk, a log changed under us: say so
                reason = getattr(e, "reason", None) or str(e) or type(e).__name__
                self.post_message(LogWritten(error=t("review.save_failed", error=reason), wrote=wrote))
            else:
                self.post_message(LogWritten(notice=notice, wrote=wrote))

    @on(LogWritten)
    def _log_written(self, event: LogWritten) -> None:
        event.stop()
        if event.error is not None:
            self._leave = None  # stay: the auditor must see what was not saved
            self.app.notify(event.error, severity="error", timeout=15, markup=False)
        self._changed(tell_queue=event.wrote)
        if event.notice:
            self.app.notify(event.notice, markup=False, timeout=3)

    @on(LogIdle)
    def _log_idle(self, event: LogIdle) -> None:
        event.stop()
        leave, self._leave = self._leave, None
        if leave is not None:
            self._after_writes(leave)

    def _changed(self, tell_queue: bool = True) -> None:
        """After every write: redraw, tell the queue, show new log notices."""
        self._show_notices()
        self._refresh_all()
        self._update_view()
        if self.audit_log is None or not tell_queue:
            return
        entry = entry_of(self.checked, self.log_dir, self.statuses(), self.audit_log.stale)
        self.post_message(VerdictsChanged(entry))

    def action_confirm(self) -> None:
        self._set_status("confirmed", "review.confirmed")

    def action_reopen(self) -> None:
        self._set_status("open", "review.reopened")

    def _set_status(self, status: str, notice: str) -> None:
        f = self._need_finding()
        if f is None or not self._need_log():
            return
        key, what = self.keys[self.selected], self._what(f)

        def op(log: AuditLog) -> str:
            log.set_status(key, status)
            return t(notice, what=what)

        self._write(op)

    def action_dismiss_finding(self) -> None:
        from .dialogs import TextDialog  # the text editor is imported when first needed

        f = self._need_finding()
        if f is None or not self._need_log():
            return
        key, what = self.keys[self.selected], self._what(f)
        entry = self._entry(key)

        def done(reason: str | None) -> None:
            if reason is None:
                return

            def op(log: AuditLog) -> str:
                log.set_status(key, "dismissed", reason=reason.strip())
                return t("review.dismissed", what=what)

            self._write(op)

        self.app.push_screen(TextDialog(t("dialog.reason.title", what=what), entry.reason if entry else "",
                                        context=self._message(f), required=True, id="reason-dialog"), done)

    def _message(self, f: Finding) -> str:
        return f.message_en if get_lang() == "en" and f.message_en else f.message

    def action_comment(self) -> None:
        from .dialogs import TextDialog

        if not self._need_log():
            return
        f = self.selected_finding
        if f is not None:
            key, what = self.keys[self.selected], self._what(f)
            entry = self._entry(key)
            current = entry.comment if entry else ""

            def done(text: str | None) -> None:
                if text is None or text == current:
                    return
                kept = text if text.strip() else ""

                def op(log: AuditLog) -> str:
                    log.set_comment(key, kept)
                    return t("review.commented" if kept else "review.comment_cleared", what=what)

                self._write(op)

            self.app.push_screen(TextDialog(t("dialog.comment.title", what=what), current,
                                            context=self._message(f), id="comment-dialog"), done)
            return
        ref = self.cursor_ref()
        if ref is None or not ref.row:
            self.app.notify(t("review.no_cell"), severity="warning", markup=False)
            return
        target = "/".join(x for x in (ref.table, ref.row, ref.column) if x)
        notes = [n for n in self.audit_log.notes_for(target) if n.text] if self.audit_log is not None else []
        note = notes[-1] if notes else None
        current = note.text if note is not None else ""

        def saved(text: str | None) -> None:
            if text is None or text == current or (note is None and not text.strip()):
                return

            def op(log: AuditLog) -> str:
                if note is not None:
                    log.edit_note(note.id, text if text.strip() else "")
                    return t("review.note_edited", what=target)
                log.add_note(target, text)
                return t("review.noted", what=target)

            self._write(op)

        self.app.push_screen(TextDialog(t("dialog.note.title", what=target), current, id="note-dialog"), saved)

    def action_undo(self) -> None:
        if not self._need_log():
            return

        def op(log: AuditLog) -> str:
            changes = log.undo()
            return t("review.undone", what=describe(changes)) if changes else t("review.nothing_to_undo")

        self._write(op)


class _Told(Exception):
    """A failed change whose message is already what the auditor should read."""


def header_text(report, counts: dict[str, int], verdicts: dict[str, int], flags: list[tuple[str, Style]],
                position: tuple[int, int] | None, colours: Colours, width: int) -> Text:
    """The review header in ``width`` cells. What gives way first, as the width shrinks: the counts' words
    (``2 errors`` → ``●2``, the legend's marks), then the file name (cut in the middle, keeping its end), then the
    body's name, then the year and template; the counts, the flags and some of the file name always stay."""
    errors, warnings = counts.get("error", 0), counts.get("warning", 0)
    err_style = Style(color=colours.error, bold=True) if errors else Style(color=colours.success)
    warn_style = Style(color=colours.warning) if warnings else Style(color=colours.success)
    body = one_line(report.body) if report.body else t("review.body_unknown")
    name = one_line(os.path.basename(report.source.path))
    year = str(report.year) if report.year else t("review.year_unknown")

    def build(compact: bool, body: str, name: str, about: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if position is not None:
            text.append(f"{position[0] + 1}/{position[1]} ", style="dim")
        text.append(body, style="bold")
        if about:
            text.append(f"  {year}  ")
            text.append(report.template or "?" if compact else t("review.template", template=report.template or "?"))
        text.append(" │ ")
        if compact:
            text.append(f"●{errors}", style=err_style)
            text.append(" ")
            text.append(f"▲{warnings}", style=warn_style)
            text.append(" │ ")
            text.append("·{open} ✔{confirmed} ✘{dismissed}".format(**verdicts))
        else:
            text.append(t("review.errors", n=errors), style=err_style)
            text.append(" · ")
            text.append(t("review.warnings", n=warnings), style=warn_style)
            text.append(" │ ")
            text.append(t("review.verdicts", **verdicts))
        for flag, style in flags:
            text.append(" │ ")
            text.append(flag, style=style)
        text.append(" │ ")
        text.append(name, style="dim")
        return text

    text = build(False, body, name, True)
    if text.cell_len <= width:
        return text
    text = build(True, body, name, True)
    over = text.cell_len - width
    if over <= 0:
        return text
    short_name = truncate_middle(name, max(12, cell_len(name) - over))
    over -= cell_len(name) - cell_len(short_name)
    short_body = truncate(body, max(6, cell_len(body) - max(0, over)))
    over -= cell_len(body) - cell_len(short_body)
    return build(True, short_body, short_name, over <= 0)


def describe(changes: Iterable[Change]) -> str:
    """A short account of an undo: which finding or note, which fields."""
    changes = list(changes)
    keys = []
    for c in changes:
        label = c.key[5:] if c.key.startswith("note:") else c.key
        if label not in keys:
            keys.append(label)
    fields = sorted({c.field for c in changes if c.before != c.after})
    return f"{', '.join(keys)} ({', '.join(fields)})"
