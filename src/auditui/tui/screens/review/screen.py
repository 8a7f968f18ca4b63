"""The review screen: the source on the left; the grid of each part and the findings on the right.

One selection ties the panes together. Moving the grid cursor highlights that row's spans in the source (and
the cell's span more strongly) and selects the finding whose target is that cell, if any. Selecting a finding
(n / N, or in the list) moves the grid cursor to its cell, emphasises every cell it involves and highlights
their spans in the source. Each verdict, comment or note is written to the audit log at once, in a worker
thread (the log is locked and synced to disk: a lock another auditor holds must not freeze the screen: see
:mod:`.writer`).

The report shown is the report as the auditor left it: the parse with their readings of cells and blank-as-zero
applied (:mod:`auditui.core.readings`). The audit log works the findings out again whenever the readings change
(``v``, ``0``, an undo, another auditor's reading), and the screen then takes that report and its findings
(:meth:`ReviewScreen._sync`).

State: :attr:`ReviewScreen.selected` (the selected finding) is a reactive whose one watcher redraws what shows
it. Widgets tell the screen what happened with messages (``SearchBox.Step``, ``LogWritten``…); the screen
tells the app with messages too (``StepReport``, ``VerdictsChanged``).

This module holds the screen's keys, layout, state, drawing, selection and moving about, and every message
handler; the actions on findings and notes (:mod:`.triage`), on readings (:mod:`.readings`) and the search of
the source (:mod:`.search`) are mixed in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList

from ....core.auditlog import AuditLog, LogError, finding_keys
from ....core.model import CellRef, Finding, Span
from ....core.readings import NONE, Readings, Rechecker
from ....core.template import PART_LITIGATION, PART_PROACTIVE, PART_REQUESTS
from ...compat import rewrite_bindings
from ...entries import copied_spans, entry_of
from ...i18n import localize_bindings, rule_name, t
from ...messages import StepReport, VerdictsChanged
from ...safe import one_line, truncate
from ...widgets.findings import FindingsList, Verdict, where
from ...widgets.footer import KeyFooter
from ...widgets.grid import Colours, Grid, involved_cells
from ...widgets.line import Line
from ...widgets.parts import PartTabs
from ...widgets.search_box import SearchBox
from ...widgets.source_view import SourceView
from .header import header_text
from .readings import ReadingActions
from .search import SearchActions
from .triage import TriageActions
from .writer import LogIdle, LogWriter, LogWritten, Told

if TYPE_CHECKING:
    from ....core.checked import Checked
    from ....core.model import Report
    from ...app import AuditApp

PARTS = (PART_REQUESTS, PART_LITIGATION, PART_PROACTIVE)
"""The parts' tabs in order (the first is where a report opens)."""
PART_ID = {PART_REQUESTS: "part3", PART_LITIGATION: "part4", PART_PROACTIVE: "part2"}

FIND = Binding.Group("key.findings", compact=True)
REPORTS = Binding.Group("key.reports", compact=True)
FILTERS = ("all", "open", "errors")
"""What the findings list shows (``f`` cycles): every finding, those without a verdict, the errors."""


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


class ReviewScreen(TriageActions, ReadingActions, SearchActions, Screen):
    """Review one report. ``position`` is (index, count) in the queue, shown in the header. (The actions of
    ``c x C X o a d u``, ``v 0`` and ``/ enter`` are the mixins'.)"""

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
        Binding("C", "confirm_all", "key.confirm_all", show=False, id="review.confirm_all"),
        Binding("X", "dismiss_all", "key.dismiss_all", show=False, id="review.dismiss_all"),
        Binding("o", "reopen", "key.reopen", show=False, id="review.reopen"),
        Binding("a", "comment", "key.comment", id="review.comment"),
        Binding("v", "read_cell", "key.read", id="review.read"),
        Binding("0", "blank_zero", "key.blank_zero", show=False, id="review.blank_zero"),
        Binding("u", "undo", "key.undo", id="review.undo"),
        Binding("d", "done", "key.done", id="review.done"),
        Binding("f", "cycle_filter", "key.filter_findings", show=False, id="review.filter"),
        Binding("slash", "search", "key.search", id="review.search"),
        Binding("enter", "next_match", "key.next_match", show=False, id="review.next_match"),
        Binding("right_square_bracket", "step_report(1)", "key.next_report", id="review.next_report",
                group=REPORTS),
        Binding("left_square_bracket", "step_report(-1)", "key.prev_report", id="review.previous_report",
                group=REPORTS),
        Binding("3", f"part({PART_REQUESTS!r})", "key.part3", show=False, id="review.part3"),
        Binding("4", f"part({PART_LITIGATION!r})", "key.part4", show=False, id="review.part4"),
        Binding("2", f"part({PART_PROACTIVE!r})", "key.part2", show=False, id="review.part2"),
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
        self.filter = "all"
        """What the findings list shows: one of :data:`FILTERS` (kept from one report to the next)."""
        self.log_dir = log_dir
        self.auditor = auditor
        self.single = single
        self.writer = LogWriter(self, self._open_log, lambda: self.audit_log)
        """Writes the auditor's changes to the audit log, in a worker thread (see :mod:`.writer`)."""
        self._leave: Callable[[], object] | None = None
        """What to do once the queued changes are written (leave the screen)."""
        self._colours: Colours | None = None
        self._ready = False
        self._take(checked, position)

    def _take(self, checked: Checked, position: tuple[int, int] | None) -> None:
        """Everything that belongs to the report under review (the screen's widgets are kept from one report to
        the next: see :meth:`show_report`)."""
        assert checked.report is not None
        self.base = checked
        """The report as parsed (and its findings across reports, joined by the app)."""
        self.parsed: Report = checked.report
        """:attr:`base`'s report."""
        self.rechecker = Rechecker(checked)
        """The report with the auditor's readings applied and checked again (shared with the audit log)."""
        self.readings: Readings = NONE
        """The readings the report shown was made with."""
        self.checked = checked
        """The report as shown: :attr:`base` with :attr:`readings` applied."""
        self.report = checked.report
        self.findings: list[Finding] = list(checked.findings)
        self.keys = finding_keys(self.findings)
        self.details = [detail(f, self.report) for f in self.findings]
        """Why a finding's rows are red: the cells it involves with their values (arithmetic findings)."""
        self.listed: list[int] = list(range(len(self.findings)))
        """The findings the list shows, in order (indices into :attr:`findings`)."""
        self._done_asked = 0.0
        """When ``d`` was refused for open errors (a second ``d`` soon after marks the report all the same)."""
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
                # (the search box is mounted by the first /: one widget less to build before the report is
                # on screen)
                yield Line(id="source-status")
            with Vertical(id="grid-pane"):
                with Vertical(id="parts"):
                    yield PartTabs([(tid, t(f"review.tab.{tid}")) for tid in PARTS], PARTS[0], id="part-tabs")
                    with ContentSwitcher(id="part-grids", initial=f"grid-{PART_ID[PARTS[0]]}"):
                        for tid in PARTS:
                            yield Grid(tid, id=f"grid-{PART_ID[tid]}")
                yield Line(id="selection")
                yield FindingsList(id="findings")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._colours = Colours.of(self.app.theme_variables)
        self.app.theme_changed_signal.subscribe(self, self._on_theme)
        self._show_report()
        self._ready = True
        read_reasons = getattr(self.app, "read_reasons", None)
        if callable(read_reasons):  # the reasons this auditor used before, for the reason dialogs
            self.call_after_refresh(read_reasons)

    def _show_report(self) -> None:
        """Fill the widgets with the report taken (:meth:`_take`) and open its audit log."""
        self.writer.write(None)  # (opening the audit log: first, as every write)
        for tid in PARTS:
            grid = self.grid(tid)
            grid.load(self.report)
            if grid.row_count:
                grid.move_cursor(row=grid.home().row, column=grid.home().column, animate=False)
        self._refresh_all()
        grid = self.grid(PARTS[0])
        grid.focus()
        self._update_view()
        self._mark_copied()

    def show_report(self, checked: Checked, position: tuple[int, int] | None = None) -> None:
        """Review ``checked`` in this screen instead (``]`` and ``[``): the widgets stay, their content is
        replaced, so the next report is on screen without a screen being built. Changes to the audit log still
        being written are written first (they are the report's before)."""
        if self.writer.busy:
            self._leave = lambda: self.show_report(checked, position)
            return
        self._take(checked, position)
        box = self._search_box()
        if box is not None and box.display:
            self.close_search()
        self.zoomed = None
        self.set_reactive(ReviewScreen.selected, None)
        self.findings_list.highlighted = None
        self._show_part(PARTS[0])
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

    def _open_log(self) -> str | None:
        """Open the audit log (in the worker, like every write: opening takes the lock and may write). Its
        findings are those of the report with its readings applied (the screen takes them in :meth:`_sync`)."""
        try:
            self.audit_log = AuditLog.open(self.parsed, self.base.findings, self.log_dir, self.auditor,
                                           recheck=self.rechecker)
        except (LogError, OSError) as e:
            self.log_error = getattr(e, "reason", None) or str(e)
            raise Told(t("review.read_only", error=self.log_error)) from None
        return None

    def _sync(self) -> None:
        """Show the report as the audit log's readings leave it (after every write): when they changed, the
        grids' values, the findings and their details are those of the report read again; the selection stays
        on the same finding when it is still there."""
        log = self.audit_log
        if log is None:
            return
        readings = log.readings
        if readings == self.readings:
            return
        checked = self.rechecker.checked(readings)
        assert checked.report is not None  # (readings apply to a report that was read)
        key = self.keys[self.selected] if self.selected is not None else None
        self.readings = readings
        self.checked, self.report = checked, checked.report
        self.findings = list(checked.findings)
        self.keys = finding_keys(self.findings)
        self.details = [detail(f, self.report) for f in self.findings]
        for tid in PARTS:
            self.grid(tid).set_report(self.report)
        self._set_listed()
        index = self.keys.index(key) if key in self.keys else None
        self.set_reactive(ReviewScreen.selected, index)  # (the redraw that follows shows it)
        if index is None and key is not None:
            self.refresh_bindings()  # c / x / o: nothing selected now

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
        return self.query_one(PartTabs).active

    def _show_part(self, table_id: str) -> None:
        """Show part ``table_id``'s grid (its tab marked): at once, so that the caller may move its cursor."""
        self.query_one(PartTabs).active = table_id
        self.query_one("#part-grids", ContentSwitcher).current = f"grid-{PART_ID[table_id]}"

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
        if self.audit_log is None or len(self.keys) != len(self.findings):
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
        """Redraw what depends on verdicts: header, findings list (as filtered), grid colours."""
        colours = self._colours or Colours.of(self.app.theme_variables)
        verdicts = self.verdicts()
        self._set_listed(verdicts)
        shown = self.listed
        fl = self.findings_list
        fl.show([self.findings[i] for i in shown], [verdicts[i] for i in shown], colours,
                [self.details[i] for i in shown], self._look_again_lines(colours))
        position = self.position_of(self.selected)
        if fl.highlighted != position:
            fl.highlighted = position
        self._paint_grids()
        self._update_header(verdicts)

    def _paint_grids(self) -> None:
        colours = self._colours or Colours.of(self.app.theme_variables)
        pairs = list(zip(self.findings, self.statuses(), strict=True))
        noted = self.note_targets()
        stale = frozenset(r.cell for r in self.audit_log.reading_list if r.stale) if self.audit_log else frozenset()
        for tid in PARTS:
            self.grid(tid).paint(pairs, self.selected_finding, colours, noted, stale)

    # ------------------------------------------------------------------------------------------ the findings' filter

    def _set_listed(self, verdicts: list[Verdict] | None = None) -> None:
        """The findings the list shows under :attr:`filter`."""
        if self.filter == "all":
            self.listed = list(range(len(self.findings)))
        elif self.filter == "errors":
            self.listed = [i for i, f in enumerate(self.findings) if f.severity == "error"]
        else:
            verdicts = verdicts if verdicts is not None else self.verdicts()
            self.listed = [i for i, v in enumerate(verdicts) if v.status == "open"]

    def position_of(self, index: int | None) -> int | None:
        """Where finding ``index`` is in the list (None: not shown under the filter)."""
        if index is None:
            return None
        try:
            return self.listed.index(index)
        except ValueError:
            return None

    def filter_title(self) -> str:
        """The findings' title: which of them the list shows (``f`` cycles)."""
        n, shown = len(self.findings), len(self.listed)
        return t("review.findings_title", filter=t(f"review.filter.{self.filter}", n=n, shown=shown))

    def action_cycle_filter(self) -> None:
        """All findings → those still open → errors only → all (``f``)."""
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self._refresh_all()
        self._update_view()
        self.app.notify(t("review.filter.now", filter=self.filter_title()), markup=False, timeout=2)

    def _look_again_lines(self, colours: Colours) -> list[Text]:
        """What was made on the report's old bytes and is to look at again: verdicts on findings the new bytes
        no longer give, readings, the review state (shown under the findings; ``d`` takes them on)."""
        log = self.audit_log
        if log is None or not log.stale:
            return []
        style = Style(color=colours.warning, italic=True)
        out = []
        for e in log.look_again():
            out.append(Text(t("review.look_again.entry", mark=t(f"review.mark.{e.status}"), rule=rule_name(e.rule),
                              where="/".join(x for x in (e.table, e.row, e.column) if x) or "—"), style=style))
        for r in log.reading_list:
            if r.stale:
                value = t("review.read_blank") if r.number is None else r.value
                out.append(Text(t("review.look_again.reading", cell=r.cell, value=value, who=one_line(r.auditor)),
                                style=style))
        v = log.review
        if v.stale:
            for on, what, who in ((v.reviewed, t("review.reviewed_flag"), v.reviewed_by),
                                  (v.blank_zero, t("review.blank_zero_flag"), v.blank_zero_by)):
                if on:
                    out.append(Text(t("review.look_again.review", what=what, who=one_line(who)), style=style))
        return out

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
        log = self.audit_log
        if log is not None and log.review.reviewed:
            flags.append((t("review.reviewed_flag"), Style(color=colours.success, bold=True)))
        if log is not None and log.review.blank_zero:
            flags.append((t("review.blank_zero_flag"), Style(color=colours.muted)))
        if log is not None and log.reading_list:
            flags.append((f"»{len(log.reading_list)}", Style(italic=True)))
        if log is not None and log.stale:
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
            text.append(f" {rule_name(f.rule)} {where(f)}")
        elif ref is not None and ref.row:
            name = "/".join(x for x in (ref.table, ref.row, ref.column) if x)
            text.append(t("review.selected", what=""), style="bold")
            text.append(t("review.cell_hint", ref=name))
        else:
            text.append(t("review.nothing"), style="dim")
        if ref is not None and self.audit_log is not None:
            target = "/".join(x for x in (ref.table, ref.row, ref.column) if x)
            reading = self.audit_log.reading(target)
            if reading is not None:
                value = t("review.read_blank") if reading.number is None else reading.value
                text.append(f"   » {reading.was or '∅'} → {value} ", style="italic")
                text.append(one_line(reading.auditor), style="dim")
            notes = [n for n in self.audit_log.notes_for(target) if n.text]
            if notes:
                text.append("   ✎ ", style=Style(color=colours.warning))
                text.append(truncate(one_line(notes[-1].text), 60), style="italic")
        # the findings' title at the right: which of them the list shows
        line = self.query_one("#selection", Line)
        title = Text(self.filter_title(), style=Style(color=colours.muted) if self.filter == "all" else "bold")
        width = line.content_size.width or max(20, self.app.size.width // 2)
        room = width - title.cell_len - 2
        if room >= 10:
            text.truncate(room, overflow="ellipsis")
            text.append(" " * (width - text.cell_len - title.cell_len))
            text.append_text(title)
        line.show(text)

    # ------------------------------------------------------------------------------------------ selection

    def validate_selected(self, index: int | None) -> int | None:
        return index if index is not None and 0 <= index < len(self.findings) else None

    def watch_selected(self, old: int | None, new: int | None) -> None:
        """Redraw what shows the selection: the findings list's highlight, the grids' colours, the source's
        highlights and the selection line; c / x / o are enabled only with a finding selected."""
        fl = self.findings_list
        position = self.position_of(new)
        if self.findings and fl.highlighted != position:
            fl.highlighted = position
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
        grid_had_focus = isinstance(self.focused, Grid)
        if self.active_part != tref.table:
            self._show_part(tref.table)
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
        for i in self.listed:
            if target_ref(self.findings[i]) == ref:
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
        if event.option_index < len(self.listed) and self.listed[event.option_index] != self.selected:
            self.select(self.listed[event.option_index])

    @on(OptionList.OptionSelected, "#findings")
    def _finding_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.listed):
            self.select(self.listed[event.option_index])
            self.active_grid.focus()

    @on(PartTabs.Changed)
    def _tab_activated(self, event: PartTabs.Changed) -> None:
        event.stop()
        self.query_one("#part-grids", ContentSwitcher).current = f"grid-{PART_ID[event.part]}"  # (a click)
        if isinstance(self.focused, Grid) or self.focused is None:
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
        self.select(self._step(1))

    def action_previous_finding(self) -> None:
        self.select(self._step(-1))

    def _step(self, step: int, among: list[int] | None = None) -> int | None:
        """The finding ``step`` places from the selected one among ``among`` (default: those the list shows),
        round the end; from none selected, the first (or last)."""
        shown = self.listed if among is None else among
        if not shown:
            return self.selected if among is None else None
        if self.selected is None:
            return shown[0] if step > 0 else shown[-1]
        after = [i for i in shown if (i - self.selected) * step > 0]
        if after:
            return min(after) if step > 0 else max(after)
        return shown[0] if step > 0 else shown[-1]

    def action_part(self, table_id: str) -> None:
        self._show_part(table_id)

    def action_step_report(self, step: int) -> None:
        self._after_writes(lambda: self.post_message(StepReport(self.checked.path, step)))

    # ------------------------------------------------------------------------------------------ across years

    def action_series(self) -> None:
        """The years of this report's body side by side (``y``)."""
        from ..series import open_series

        open_series(self, self.checked.path)

    def _mark_copied(self) -> tuple | None:
        """Mark (dim) the sentences copied from the body's report of the year before, unless marks are off."""
        found = copied_spans(self.app, self.checked.path)
        show = getattr(self.app, "show_copied", True)
        self.source.set_layer("copied", found[1] if found is not None and show else ())
        return found

    def action_toggle_copied(self) -> None:
        """Show or hide the marks of the sentences copied from last year's report (``r``)."""
        found = copied_spans(self.app, self.checked.path)
        if found is None:
            self.app.notify(t("review.copied_none"), markup=False, timeout=4)
            return
        app = cast("AuditApp", self.app)  # (a review screen runs in auditui's app only)
        app.show_copied = not app.show_copied
        reuse, _ = found
        self._mark_copied()
        if app.show_copied:
            self.app.notify(t("review.copied_on", n=len(reuse.copied), share=f"{reuse.share:.0%}",
                              previous=os.path.basename(reuse.previous)), markup=False, timeout=4)
        else:
            self.app.notify(t("review.copied_off"), markup=False, timeout=3)

    def action_back(self) -> None:
        self._after_writes(self.app.exit if self.single else self.dismiss)

    def _after_writes(self, leave: Callable[[], object]) -> None:
        """``leave`` now, or once the audit-log worker has written what it was given (it is told on screen
        when it fails, and the screen then stays)."""
        if not self.writer.busy:
            leave()
            return
        self._leave = leave
        self.app.notify(t("review.saving"), markup=False, timeout=3)

    # ------------------------------------------------------------------------------------------ the search box (search.py)

    @on(SearchBox.Step)
    def _search_box_step(self, event: SearchBox.Step) -> None:
        event.stop()
        self.search_step(event.forward)

    @on(SearchBox.Closed)
    def _search_box_closed(self, event: SearchBox.Closed) -> None:
        event.stop()
        self.close_search()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search_step(True)

    # ------------------------------------------------------------------------------------------ what actions need

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "dismiss_finding", "reopen", "confirm_all", "dismiss_all") and self.selected is None:
            return None  # shown dimmed: nothing selected
        if action == "step_report" and self.single:
            return None
        return True

    def _need_log(self) -> bool:
        if self.log_error is not None:
            self.app.notify(t("review.no_log"), severity="error", markup=False)
            return False
        return True  # open, or opening (the change waits for it in the worker's queue)

    # ------------------------------------------------------------------------------------------ the log worker

    @on(LogWritten)
    def _log_written(self, event: LogWritten) -> None:
        event.stop()
        if event.error is not None:
            self._leave = None  # stay: the auditor must see what was not saved
            self.app.notify(event.error, severity="error", timeout=15, markup=False)
        self._sync()
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
        entry = entry_of(self.checked, self.log_dir, self.statuses(), self.audit_log.stale,
                         self.audit_log.review.reviewed)
        self.post_message(VerdictsChanged(entry))


def detail(f: Finding, report) -> str:
    """Why a finding's rows are red: the cells an evaluable finding involves, with their values (not for the one
    line that stands for the blank cells read as 0: those are all 0)."""
    if not f.evaluable or (f.rule == "blank-cell" and f.table is None):
        return ""
    return involved_cells(f, report)
