"""The auditor's readings of the report (``v``, ``0``): what a cell says in the original where the parse read it
wrong or not at all, and every blank cell of parts 三 and 四 read as 0. They are kept in the audit log
(:mod:`auditui.core.readings`); the screen then shows the report read again (:meth:`~.screen.ReviewScreen._sync`).

:class:`ReadingActions` is a part of :class:`~.screen.ReviewScreen` (a mixin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ....core.readings import READ_AS_ZERO, ZERO_TABLES, Readings
from ...i18n import get_lang, t
from ...safe import one_line

if TYPE_CHECKING:
    from textual.screen import Screen as _Screen  # (for the type checker: what the mixin's methods are given)

    from ....core.auditlog import AuditLog
    from ....core.checked import Checked
    from ....core.model import CellRef, Report
    from ....core.readings import Rechecker
    from .writer import LogWriter
else:
    _Screen = object


class ReadingActions(_Screen):
    """The review screen's actions on readings: ``v`` (a cell) and ``0`` (blank as zero)."""

    base: Checked
    parsed: Report
    rechecker: Rechecker
    readings: Readings
    auditor: str
    audit_log: AuditLog | None
    writer: LogWriter
    if TYPE_CHECKING:  # (the screen's)
        def cursor_ref(self) -> CellRef | None: ...
        def _need_log(self) -> bool: ...

    def action_read_cell(self) -> None:
        """Read the cell under the grid cursor in the original (``v``): its value, or one of the ways its row's
        run-together digits can be cut."""
        from ....core.readings import was_text
        from ..dialogs import ReadingDialog

        ref = self.cursor_ref()
        if ref is None or not ref.row or not ref.column:
            self.app.notify(t("review.no_cell_read"), severity="warning", markup=False)
            return
        if not self._need_log():
            return
        cell = f"{ref.table}/{ref.row}/{ref.column}"
        parsed = self.parsed.cell(ref)
        was = was_text(parsed)
        if parsed is not None and parsed.status == "bad" and was:
            was = f"{was}（{t('dialog.reading.unread')}）" if get_lang() == "zh" else f"{was} ({t('dialog.reading.unread')})"
        row = self.parsed.tables[ref.table].get(ref.row) if ref.table in self.parsed.tables else None
        if parsed is not None and parsed.note == "row-shape" and row is not None:  # the row's numbers, unplaced
            context = [t("dialog.reading.unplaced", raw=" ".join(row.raw_values) or "—")]
        else:
            context = [t("dialog.reading.parsed", was=was or t("dialog.reading.nothing"))]
        reading = self.audit_log.reading(cell) if self.audit_log is not None else None
        if reading is not None:
            value = t("review.read_blank") if reading.number is None else reading.value
            context.append(t("dialog.reading.current", value=value, who=one_line(reading.auditor), when=reading.time))
        choices, label = self._cuts(ref)

        def done(result) -> None:
            if result is None:
                return
            if result.clear:
                def clear(log: AuditLog) -> str:
                    log.clear_readings([cell])
                    return t("review.read_cleared", cell=cell)

                self.writer.write(clear)
                return
            values, note = result.values, result.note

            def op(log: AuditLog) -> str:
                log.set_readings(values, note)
                if len(values) > 1:
                    return t("review.read_row", n=len(values), where=f"{ref.table}/{ref.row}")
                v = values[cell]
                return t("review.read", cell=cell, value=t("review.read_blank") if v is None else v)

            self.writer.write(op)

        current = "" if reading is None or reading.number is None else reading.value
        self.app.push_screen(ReadingDialog(cell, context, current, reading.note if reading else "", choices=choices,
                                           choices_label=label, can_clear=reading is not None), done)

    def _cuts(self, ref: CellRef) -> tuple[list[tuple[str, dict[str, int | None]]], str]:
        """The ways the digits of ``ref``'s row (or, for a table written as one run, of its whole table) can be
        cut, as the parser listed them: each as a label and the cells it gives."""
        table = self.parsed.tables.get(ref.table)
        row = table.get(ref.row) if table is not None else None
        if table is None or row is None:
            return [], ""
        whole = next((f for f in self.base.findings if f.rule == "row-shape" and f.table == ref.table
                      and f.row is None and f.candidates), None)
        if whole is not None:
            cells = [c.ref for r in table.rows for c in r.cells]
            rows = [[c.ref for c in r.cells] for r in table.rows]
            candidates = whole.candidates
        elif row.candidates:
            cells = [c.ref for c in row.cells]
            rows = [cells]
            candidates = row.candidates
        else:
            return [], ""
        out = []
        for k, cut in enumerate(candidates, 1):
            if len(cut) != len(cells):
                continue
            groups, at = [], 0
            for r in rows:
                groups.append(" ".join(str(v) for v in cut[at:at + len(r)]))
                at += len(r)
            out.append((f"{k}) " + " | ".join(groups), {str(c): v for c, v in zip(cells, cut, strict=True)}))
        columns = " ".join(c.column for c in rows[0])
        return out, t("dialog.reading.choices", columns=columns)

    def action_blank_zero(self) -> None:
        """Read every blank cell of parts 三 and 四 as 0, or as blank again (``0``)."""
        if not self._need_log() or self.audit_log is None:
            return  # (still opening: its state is not known yet)
        on = not self.audit_log.review.blank_zero
        n = 0
        if on:  # how many cells it reads as 0 (the report as it would then be: cells read as blank included)
            zero = self.rechecker.checked(Readings(self.readings.cells, self.auditor)).report
            assert zero is not None  # (readings apply to a report that was read)
            n = sum(1 for tid in ZERO_TABLES if tid in zero.tables for r in zero.tables[tid].rows for c in r.cells
                    if c.note == READ_AS_ZERO)
            if not n:
                self.app.notify(t("review.no_blanks"), markup=False, timeout=3)
                return

        def op(log: AuditLog) -> str:
            log.set_blank_zero(on)
            return t("review.blank_zero_on", n=n) if on else t("review.blank_zero_off")

        self.writer.write(op)
