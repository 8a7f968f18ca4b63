"""The auditor's own readings of cells, and blank cells read as 0: a report as the auditor left it.

Where the parser cannot read a cell (digits run together, a converter's mangled table, a scan), the auditor
reads it in the original and says what it holds (:class:`Readings`, kept in the report's audit log). A report
that leaves every zero blank can have its blank cells of parts 三 and 四 read as 0. Either way the report is
rebuilt from the parse with those cells replaced (:func:`apply_readings`) and checked again
(:func:`recheck`): the rules, their suggestions, the findings and the counts all follow from parse + readings.

A read cell keeps its source span (the interface still highlights where it stood) and is marked in its
``note``: :data:`READ` (the auditor's reading; its status is ``ok``, or ``blank`` for a cell read as blank) or
:data:`READ_AS_ZERO` (a blank cell read as 0). A row whose every cell the auditor read is the auditor's: its
shape is no longer in doubt (no ``row-shape`` finding, its own total checked again). Blank cells read as 0
give one info line instead of a warning each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .model import Cell, CellRef, Finding, Report, Row, Table, by_severity
from .rules import RULES, check, part_name
from .template import PART_LITIGATION, PART_REQUESTS

if TYPE_CHECKING:
    from .checked import Checked

READ = "read"
"""``Cell.note`` of a cell whose value the auditor read in the original."""
READ_AS_ZERO = "read as 0"
"""``Cell.note`` of a blank cell read as 0 (blank as zero)."""
ZERO_TABLES = (PART_REQUESTS, PART_LITIGATION)
"""The parts whose blank cells blank-as-zero reads as 0 (part 二's blanks are often "not applicable")."""


@dataclass(frozen=True, slots=True)
class Readings:
    """What the auditor supplied for one report: ``cells`` as (cell path ``三/三.七/总计``, value) pairs, sorted
    (a value of None: the cell is blank in the original), and ``blank_zero``, who read the blank cells of parts
    三 and 四 as 0 (``""``: nobody). Hashable and comparable: the same readings give the same report."""

    cells: tuple[tuple[str, int | None], ...] = ()
    blank_zero: str = ""

    @classmethod
    def of(cls, cells: Mapping[str, int | None] | Iterable[tuple[str, int | None]] = (),
           blank_zero: str = "") -> Readings:
        items = cells.items() if isinstance(cells, Mapping) else cells
        return cls(tuple(sorted(dict(items).items())), blank_zero)

    def __bool__(self) -> bool:
        return bool(self.cells) or bool(self.blank_zero)

    def get(self) -> dict[str, int | None]:
        return dict(self.cells)


NONE = Readings()


def parse_value(text: str) -> int | None:
    """What an auditor types for a reading, as a value: digits (full-width ones, thousands separators and
    spaces allowed) → the number; nothing → None (the cell is blank in the original). Raises ValueError for
    anything else (a reading is a whole count, never a guess at a fraction or a negative number)."""
    s = text.translate(_WIDE).replace(",", "").replace("，", "").replace(" ", "").strip()
    if not s:
        return None
    if not s.isascii() or not s.isdigit() or len(s) > 15:
        raise ValueError(f"{text.strip()!r} is not a whole number")
    return int(s)


_WIDE = {0xFF10 + i: 0x30 + i for i in range(10)} | {0x3000: 0x20}


def was_text(cell: Cell | None) -> str:
    """What the parse had in a cell, for the record of a reading (old value → new value): the number, the raw
    text of an unreadable cell, ``""`` for a blank or missing one."""
    if cell is None or cell.status == "missing":
        return ""
    if cell.value.__class__ is int:
        return str(cell.value)
    if cell.status == "bad" and cell.note == "row-shape":
        return ""  # (a misshapen row's cells were never placed: its raw values are the row's)
    return cell.raw.strip()


def apply_readings(report: Report, readings: Readings) -> Report:
    """``report`` with the auditor's readings put into its cells and, with blank-as-zero, every blank cell of
    parts 三 and 四 read as 0 (a cell read as blank included; an unreadable cell is not blank and stays as it is).
    A reading of a cell the report does not have is passed over. The same report when there is nothing to apply."""
    if not readings:
        return report
    values = readings.get()
    zero = bool(readings.blank_zero)
    tables: dict[str, Table] = {}
    read_rows: set[tuple[str, str]] = set()
    changed = False
    for tid, table in report.tables.items():
        rows = []
        table_changed = False
        for row in table.rows:
            cells = []
            row_changed = False
            for c in row.cells:
                path = f"{tid}/{row.id}/{c.ref.column}"
                if path in values:
                    v = values[path]
                    c = c._replace(value=v, status="ok" if v is not None else "blank", note=READ)
                    row_changed = True
                if zero and tid in ZERO_TABLES and c.status == "blank":
                    c = c._replace(value=0, status="ok", note=READ_AS_ZERO)
                    row_changed = True
                cells.append(c)
            if row_changed:
                row = _row_read(row, tuple(cells))
                if row.found and row.shape is None and all(c.note == READ for c in cells):
                    read_rows.add((tid, row.id))
                table_changed = True
            rows.append(row)
        if table_changed:
            changed = True
            table = Table(table.id, table.title, table.columns, tuple(rows),
                          table.found or any(r.found for r in rows), table.span)
        tables[tid] = table
    if not changed:
        return report
    # a doubt about a row's numbers (they may be the next row's) is settled once the auditor read the row
    markers = tuple(m for m in report.markers
                    if not (m.kind == "doubt" and m.template and tuple(m.template.split("|", 1)) in read_rows))
    return Report(report.source, report.body, report.year, report.template, tables, markers, report.body_span,
                  report.year_span)


def _row_read(row: Row, cells: tuple[Cell, ...]) -> Row:
    """A row with some cells read. Once the auditor read every cell, the row is theirs: found, its columns
    placed, no cut of run-together digits in doubt (its own total is checked again)."""
    if all(c.note == READ for c in cells):
        return row._replace(cells=cells, found=True, shape=None, candidates=(), split="")
    return row._replace(cells=cells)


def blank_zero_line(report: Report, who: str) -> Finding | None:
    """The one info line that stands for the blank cells read as 0: "N blank cells read as 0 by <who>"."""
    refs = tuple(c.ref for tid in ZERO_TABLES if tid in report.tables for r in report.tables[tid].rows
                 for c in r.cells if c.note == READ_AS_ZERO)
    if not refs:
        return None
    parts = "、".join(part_name(t) for t in ZERO_TABLES if any(r.table == t for r in refs))
    return Finding("blank-cell", "info", None, None, None, None, len(refs),
                   f"{parts}的 {len(refs)} 个空白单元格由 {who} 按 0 读取", cells=refs,
                   message_en=f"{len(refs)} blank cells read as 0 by {who}")


def check_read(report: Report, readings: Readings) -> tuple[Report, list[Finding]]:
    """The report with ``readings`` applied and its findings (every rule over one report, as
    :func:`~auditui.core.rules.check`), with the blank cells read as 0 told in one info line."""
    applied = apply_readings(report, readings)
    findings = check(applied)
    if readings.blank_zero:
        line = blank_zero_line(applied, readings.blank_zero)
        if line is not None:
            findings = list(by_severity([*findings, line]))
    return applied, findings


def across_reports(f: Finding) -> bool:
    """A finding of a rule across reports (carry-over, tables repeated, prose reused): found over the queue or
    the batch, not over this report alone; a reading does not make it again."""
    rule = RULES.get(f.rule)
    return rule is None or rule.check is None


def recheck(checked: Checked, readings: Readings) -> Checked:
    """``checked`` as the auditor left it: the report with ``readings`` applied and checked again. Findings across
    reports (:func:`across_reports`) are kept as they are. The same object when there is nothing to apply."""
    if not readings or checked.report is None:
        return checked
    report, findings = check_read(checked.report, readings)
    extra = [f for f in checked.findings if across_reports(f)]
    return replace(checked, report=report, findings=by_severity((*findings, *extra)))


class Rechecker:
    """:func:`recheck` of one report, the last few results kept: the audit log works out the findings in its
    worker thread, and the interface then takes the report it got them from without checking it again."""

    def __init__(self, checked: Checked, keep: int = 4) -> None:
        self.base = checked
        self.keep = keep
        self._done: dict[Readings, Checked] = {NONE: checked}

    def checked(self, readings: Readings) -> Checked:
        got = self._done.get(readings)
        if got is None:
            got = recheck(self.base, readings)
            done = dict(self._done)  # (replaced whole: another thread may be reading it)
            done[readings] = got
            while len(done) > self.keep:
                done.pop(next(k for k in done if k != NONE))
            self._done = done
        return got

    def __call__(self, readings: Readings) -> tuple[Finding, ...]:
        return self.checked(readings).findings


def cell_ref(path: str) -> CellRef | None:
    """``三/三.七/总计`` → its CellRef (None if it is not a cell path)."""
    parts = path.split("/")
    if len(parts) != 3 or not all(parts):
        return None
    return CellRef(*parts)


__all__ = ["NONE", "READ", "READ_AS_ZERO", "ZERO_TABLES", "Readings", "Rechecker", "across_reports",
           "apply_readings", "blank_zero_line", "cell_ref", "check_read", "parse_value", "recheck", "was_text"]
