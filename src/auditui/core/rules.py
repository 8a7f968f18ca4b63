"""Report(s) → Findings. One function per rule, registered with :func:`rule`; adding a rule touches one place.

Errors mean the report's own arithmetic is wrong. Warnings mean an auditor must look: a cell we could not
read, a misshapen or missing row, a template that does not fit the year. A rule that cannot be evaluated
because a cell it needs is blank or unreadable yields a warning with ``evaluable=False`` naming the cells;
it is never skipped in silence and never turned into an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter, gt

from . import suggest
from .model import CellRef, Finding, Report, Severity, by_severity
from .template import BY_ID, Balance, RowSum, Subtotal, Template, short_row_label, template_for_year

ReportRule = Callable[[Report, Template], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    title_en: str
    check: ReportRule


RULES: dict[str, Rule] = {}
"""Rules over one report, in the order their findings are listed."""


def rule(id: str, severity: Severity, title: str, title_en: str) -> Callable[[ReportRule], ReportRule]:
    def register(fn: ReportRule) -> ReportRule:
        RULES[id] = Rule(id, severity, title, title_en, fn)
        return fn

    return register


PART_NAMES = {"二": "第二部分", "三": "第三部分", "四": "第四部分"}
PART_NAMES_EN = {"二": "part 二", "三": "part 三", "四": "part 四"}


def where(report_template: str, ref: CellRef | tuple[str, str | None, str | None]) -> str:
    """「row」「column」 in Chinese labels, for messages."""
    table, row, column = (ref.table, ref.row, ref.column) if isinstance(ref, CellRef) else ref
    parts = []
    if row:
        parts.append(f"「{short_row_label(table, row, report_template)}」")
    if column:
        parts.append(f"「{column}」")
    return "".join(parts)


def _status_word(report: Report, ref: CellRef) -> str:
    cell = report.cell(ref)
    if cell is None or cell.status == "missing":
        return "缺失"
    if cell.status == "blank":
        return "为空"
    return "无法识别"


def _blocked(report: Report, rule_id: str, table: str, row: str | None, column: str | None,
             refs: list[CellRef], what: str, what_en: str) -> Finding:
    get = report.int_values.get
    missing = [r for r in refs if get(r) is None]
    by_row: dict[str, list[CellRef]] = {}
    for r in missing:
        by_row.setdefault(r.row, []).append(r)
    parts = []
    for rid, cells in list(by_row.items())[:4]:
        label = short_row_label(cells[0].table, rid, report.template)
        cols = f"「{cells[0].column}」" if len(cells) == 1 else f"{len(cells)} 格"
        parts.append(f"「{label}」{cols}{_status_word(report, cells[0])}")
    more = f"等 {len(by_row)} 行" if len(by_row) > 4 else ""
    return Finding(
        rule=rule_id, severity="warning", table=table, row=row, column=column, expected=None, actual=None,
        message=f"{what}无法核验：{'、'.join(parts)}{more}",
        message_en=f"{what_en} cannot be evaluated: {len(missing)} cell(s) blank or unreadable "
                   f"({', '.join(str(r) for r in missing[:4])}{', …' if len(missing) > 4 else ''})",
        cells=tuple(refs), evaluable=False,
    )


@lru_cache(maxsize=1024)
def _column_refs(table: str, rows: tuple[str, ...], column: str) -> tuple[CellRef, ...]:
    """The cells of ``rows`` in one column (made once: the rules ask for the same cells in every report)."""
    return tuple(CellRef(table, r, column) for r in rows)


@lru_cache(maxsize=256)
def _balance_plan(b: Balance, columns: tuple[str, ...]
                  ) -> tuple[tuple[str, tuple[CellRef, ...], tuple[CellRef, ...], tuple[CellRef, ...]], ...]:
    """(column, left cells, right cells, both) for every column of a balance: the same in every report of a
    template whose table has these columns, so made once, not per report and column."""
    out = []
    for col in columns:
        left, right = _column_refs(b.table, b.left, col), _column_refs(b.table, b.right, col)
        out.append((col, left, right, left + right))
    return tuple(out)


@lru_cache(maxsize=256)
def _subtotal_plan(s: Subtotal, columns: tuple[str, ...]
                   ) -> tuple[tuple[str, tuple[CellRef, ...], CellRef, tuple[CellRef, ...]], ...]:
    """(column, part cells, total cell, (total, *parts)) for every column of a subtotal (made once, as above)."""
    out = []
    for col in columns:
        parts, total = _column_refs(s.table, s.parts, col), CellRef(s.table, s.total, col)
        out.append((col, parts, total, (total, *parts)))
    return tuple(out)


@lru_cache(maxsize=256)
def _row_sum_plan(rs: RowSum) -> dict[str, tuple[CellRef, tuple[CellRef, ...], tuple[CellRef, ...]]]:
    """Row id → (total cell, part cells, (total, *parts)) of a row sum, filled by :func:`_row_refs` as rows turn
    up: a table's row ids are its template's, so each is made once, not per report."""
    return {}


def _row_refs(plan: dict, rs: RowSum, row: str) -> tuple[CellRef, tuple[CellRef, ...], tuple[CellRef, ...]]:
    """The total cell, the part cells and both of one row, from ``plan`` (:func:`_row_sum_plan` of ``rs``)."""
    refs = plan.get(row)
    if refs is None:
        if len(plan) >= 1024:  # (only row ids of no template could get here)
            plan.clear()
        total, parts = CellRef(rs.table, row, rs.total), tuple(CellRef(rs.table, row, c) for c in rs.parts)
        refs = plan[row] = (total, parts, (total, *parts))
    return refs


def _row_batch(plan: dict, rs: RowSum, ids: tuple[str, ...]
               ) -> tuple[tuple[CellRef, ...], tuple[tuple[CellRef, ...], ...]]:
    """The total cells and the part cells of the rows ``ids`` a row sum covers, kept in ``plan`` (a table's row ids
    are the same in every report of its template)."""
    batch = plan.get(ids)
    if batch is None:
        refs = [_row_refs(plan, rs, r) for r in ids if rs.rows is None or r in rs.rows]
        batch = plan[ids] = (tuple(t for t, _, _ in refs), tuple(p for _, p, _ in refs))
    return batch


_id_of = attrgetter("id")


# ------------------------------------------------------------------------------------------- errors
@rule("column-balance", "error", "列平衡（第一项＋第二项＝第三项总计＋第四项）", "column balance (一 + 二 = （七） + 四)")
def column_balance(report: Report, template: Template) -> Iterator[Finding]:
    get = report.int_values.get
    for b in template.balances:
        table = report.tables.get(b.table)
        if table is None or not table.found:
            continue
        for col, left, right, both in _balance_plan(b, table.columns):
            try:  # (a blank or unreadable cell has no whole number: get gives None, which sum() refuses)
                lv, rv = sum(map(get, left)), sum(map(get, right))
            except TypeError:
                lname = "＋".join(short_row_label(b.table, r, report.template).split("、")[0] for r in b.left)
                rname = "＋".join(short_row_label(b.table, r, report.template).split("、")[0] for r in b.right)
                yield _blocked(report, "column-balance", b.table, None, col, [*left, *right],
                               f"「{col}」列平衡（{lname}＝{rname}）", f"column balance of {col}")
                continue
            if lv != rv:
                yield Finding(
                    "column-balance", "error", b.table, None, col, lv, rv,
                    f"{PART_NAMES[b.table]}「{col}」列：第一项加第二项之和为 {lv}，"
                    f"第三项（七）总计加第四项之和为 {rv}，两者应相等",
                    cells=both,
                    message_en=f"{PART_NAMES_EN[b.table]}, column {col}: 一 + 二 = {lv} but （七）总计 + 四 = {rv}",
                )


@rule("subtotal", "error", "小计（（七）总计＝各项办理结果之和）", "subtotal (（七）总计 = sum of results)")
def subtotal(report: Report, template: Template) -> Iterator[Finding]:
    values = report.int_values
    get = values.get
    for s in template.subtotals:
        table = report.tables.get(s.table)
        if table is None or not table.found:
            continue
        for col, parts, total, cells in _subtotal_plan(s, table.columns):
            tv = get(total)
            try:
                pv = sum(map(get, parts))
            except TypeError:  # a part is blank or unreadable
                pv = None
            if pv is None or tv is None:
                yield _blocked(report, "subtotal", s.table, s.total, col, list(cells),
                               f"{where(report.template, total)}小计", f"subtotal of {s.total}/{col}")
            elif pv != tv:
                label = short_row_label(s.table, s.total, report.template)
                yield Finding(
                    "subtotal", "error", s.table, s.total, col, pv, tv,
                    f"{PART_NAMES[s.table]}「{label}」行「{col}」列：各项办理结果之和为 {pv}，总计填报 {tv}",
                    cells=cells,
                    message_en=f"{PART_NAMES_EN[s.table]}, row {s.total}, column {col}: the result rows sum "
                               f"to {pv}, the row says {tv}",
                )


def _row_sums(report: Report, sums: Iterable[RowSum], rule_id: str) -> Iterator[Finding]:
    get = report.int_values.get
    for rs in sums:
        table = report.tables.get(rs.table)
        if table is None or not table.found:
            continue
        plan = _row_sum_plan(rs)
        rows = table.rows
        # First all rows at once, in C, found and well-shaped or not: when every one adds up (most reports), so do
        # those the loop below would check. The rows are looked at one by one only when one does not.
        totals, parts = _row_batch(plan, rs, tuple(map(_id_of, rows)))
        try:
            if list(map(sum, map(map, repeat(get), parts))) == list(map(get, totals)):
                continue
        except TypeError:  # a part is blank or unreadable
            pass
        for row in rows:
            if rs.rows is not None and row.id not in rs.rows:
                continue
            if row.shape is not None or not row.found:
                continue  # the row-shape / missing-row finding says that this row's total cannot be checked
            total, parts, cells = _row_refs(plan, rs, row.id)
            tv = get(total)
            try:
                pv = sum(map(get, parts))
            except TypeError:  # a part is blank or unreadable
                pv = None
            if pv is None or tv is None:
                label = short_row_label(rs.table, row.id, report.template)
                yield _blocked(report, rule_id, rs.table, row.id, rs.total, list(cells),
                               f"「{label}」行{rs.total}", f"row total of {row.id}")
            elif pv != tv:
                label = short_row_label(rs.table, row.id, report.template)
                names = "、".join(rs.parts)
                yield Finding(
                    rule_id, "error", rs.table, row.id, rs.total, pv, tv,
                    f"{PART_NAMES[rs.table]}「{label}」行：{names}之和为 {pv}，「{rs.total}」填报 {tv}",
                    cells=cells,
                    message_en=f"{PART_NAMES_EN[rs.table]}, row {row.id}: the columns sum to {pv}, "
                               f"{rs.total} says {tv}",
                )


@rule("row-total", "error", "行合计（总计＝自然人＋法人或其他组织）", "row total (总计 = 自然人 + organisations)")
def row_total(report: Report, template: Template) -> Iterator[Finding]:
    return _row_sums(report, template.row_totals, "row-total")


@rule("litigation-total", "error", "复议诉讼合计（总计＝维持＋纠正＋其他＋尚未审结）",
      "review/litigation total (总计 = 维持 + 纠正 + 其他 + 尚未审结)")
def litigation_total(report: Report, template: Template) -> Iterator[Finding]:
    return _row_sums(report, template.litigation_totals, "litigation-total")


# ------------------------------------------------------------------------------------------- warnings
_status_of = attrgetter("status")
_note_of = attrgetter("note")
_value_of = attrgetter("value")
_cells_of = attrgetter("cells")
_rows_of = attrgetter("rows")


def _all_cells(report: Report) -> Iterator[object]:
    """Every cell of parts 二, 三 and 四, rows left out or not, as one iterator made in C (no Python step per row
    or cell)."""
    tables = [t for t in map(report.tables.get, ("二", "三", "四")) if t is not None]
    return chain.from_iterable(map(_cells_of, chain.from_iterable(map(_rows_of, tables))))


def _all_whole(report: Report) -> bool:
    """Whether every cell of every table holds a whole number: then no cell is blank, unreadable or missing (such a
    cell's value is None, see :class:`~auditui.core.model.Cell`), and the cells need no look one by one. Counted,
    not scanned: ``int_values`` holds every whole-number cell, so it is as long as the tables only then."""
    n = sum(map(len, map(_cells_of, chain.from_iterable(map(_rows_of, report.tables.values())))))
    return len(report.int_values) == n


def _cells(report: Report, status: str) -> Iterator[tuple[str, object, object]]:
    if _all_whole(report):
        return  # (most reports)
    for tid in ("二", "三", "四"):
        table = report.tables.get(tid)
        if table is None:
            continue
        for row in table.rows:
            if row.shape is not None or not row.found or status not in map(_status_of, row.cells):
                continue  # (the last test, in C, passes over most rows without a Python step per cell)
            for cell in row.cells:
                if cell.status == status:
                    yield tid, row, cell


def _odd_cells(report: Report) -> Iterator[tuple[str, object, object]]:
    """The readable cells that still need a look: digits split one per column, or a negative value."""
    if "split" not in map(_note_of, _all_cells(report)):
        # No split digits: only a value below 0 can be odd. With whole numbers only, the least of them tells;
        # else every value is compared with 0 (in C: None and 0 are filtered out first, 0 > v for the rest).
        if _all_whole(report):
            if min(report.int_values.values(), default=0) >= 0:
                return
        elif not any(map(gt, repeat(0), filter(None, map(_value_of, _all_cells(report))))):
            return
    for tid in ("二", "三", "四"):
        table = report.tables.get(tid)
        if table is None:
            continue
        for row in table.rows:
            if row.shape is not None or not row.found:
                continue
            for cell in row.cells:
                if cell.status == "ok" and (cell.note == "split" or (cell.value is not None and cell.value < 0)):
                    yield tid, row, cell


@rule("blank-cell", "warning", "空白单元格", "blank cell")
def blank_cell(report: Report, template: Template) -> Iterator[Finding]:
    for tid, row, cell in _cells(report, "blank"):
        how = f"填写为「{cell.raw}」" if cell.raw else "为空"
        yield Finding(
            "blank-cell", "warning", tid, row.id, cell.ref.column, None, None,
            f"{PART_NAMES[tid]}{where(report.template, cell.ref)}{how}，应填写数字",
            cells=(cell.ref,),
            message_en=f"{PART_NAMES_EN[tid]}, {row.id}/{cell.ref.column} is blank"
                       + (f" (written {cell.raw!r})" if cell.raw else ""),
        )


def _column_kind(template: Template, table: str, row: str, column: str) -> str:
    tdef = template.tables.get(table)
    if tdef is None:
        return "count"
    for r in tdef.rows:
        if r.id == row:
            for c in tdef.row_columns(r):
                if c.id == column:
                    return c.kind
    return "count"


@rule("bad-cell", "warning", "无法识别或不合理的数值", "unreadable or implausible value")
def bad_cell(report: Report, template: Template) -> Iterator[Finding]:
    for tid, row, cell in _cells(report, "bad"):
        reason = "不是整数" if cell.note == "not a whole number" else "无法识别"
        yield Finding(
            "bad-cell", "warning", tid, row.id, cell.ref.column, None, None,
            f"{PART_NAMES[tid]}{where(report.template, cell.ref)}填写为「{cell.raw}」，{reason}",
            cells=(cell.ref,),
            message_en=f"{PART_NAMES_EN[tid]}, {row.id}/{cell.ref.column}: {cell.raw!r} is "
                       + ("not a whole number" if reason == "不是整数" else "unreadable"),
        )
    for tid, row, cell in _odd_cells(report):
        if cell.note == "split":
            yield Finding(
                "bad-cell", "warning", tid, row.id, cell.ref.column, None, cell.value,
                f"{PART_NAMES[tid]}「{short_row_label(tid, row.id, report.template)}」行数字连写"
                f"（{'、'.join(row.raw_values)}），已按每列一位拆分，请核对",
                cells=(cell.ref,),
                message_en=f"{PART_NAMES_EN[tid]}, row {row.id}: digits run together, split one per column",
            )
        elif isinstance(cell.value, (int, float)) and cell.value < 0 and \
                _column_kind(template, tid, row.id, cell.ref.column) != "signed":
            yield Finding(
                "bad-cell", "warning", tid, row.id, cell.ref.column, None, cell.value,
                f"{PART_NAMES[tid]}{where(report.template, cell.ref)}为负数 {cell.value}",
                cells=(cell.ref,),
                message_en=f"{PART_NAMES_EN[tid]}, {row.id}/{cell.ref.column} is negative ({cell.value})",
            )


@rule("row-shape", "warning", "行的数值个数不对", "wrong number of values in a row")
def row_shape(report: Report, template: Template) -> Iterator[Finding]:
    for tid in ("二", "三", "四"):
        table = report.tables.get(tid)
        if table is None:
            continue
        done_run = False
        for row in table.rows:
            if row.shape is None:
                continue
            found, expected = row.shape
            if template.tables[tid].layout == "run":
                if done_run:
                    continue
                done_run = True
                yield Finding(
                    "row-shape", "warning", tid, None, None, expected, found,
                    f"{PART_NAMES[tid]}应有 {expected} 个数值，读到 {found} 个（{' '.join(row.raw_values)}），"
                    "无法确定各列对应关系",
                    cells=tuple(c.ref for r in table.rows for c in r.cells),
                    message_en=f"{PART_NAMES_EN[tid]} has {found} of {expected} numbers; columns cannot be placed",
                )
                continue
            more = "多" if found > expected else "少"
            yield Finding(
                "row-shape", "warning", tid, row.id, None, expected, found,
                f"{PART_NAMES[tid]}「{short_row_label(tid, row.id, report.template)}」行有 {found} 个数值，"
                f"应为 {expected} 个（{more}），无法确定各列对应关系，该行各格及行合计无法核验",
                cells=tuple(c.ref for c in row.cells),
                message_en=f"{PART_NAMES_EN[tid]}, row {row.id} has {found} of {expected} numbers; its cells and "
                           "row total cannot be checked",
            )
    for m in report.markers:
        if m.kind != "stray" or not m.template:
            continue
        tid, rid = m.template.split("|", 1)
        yield Finding(
            "row-shape", "warning", tid, rid, None, None, None,
            f"{PART_NAMES.get(tid, tid)}「{short_row_label(tid, rid, report.template)}」标题下有不属于任何行的数值"
            f"「{m.text}」",
            message_en=f"{PART_NAMES_EN.get(tid, tid)}: value {m.text!r} under heading {rid} belongs to no row",
        )


@rule("missing-row", "warning", "缺少行或表", "missing row or table")
def missing_row(report: Report, template: Template) -> Iterator[Finding]:
    for tid in ("二", "三", "四"):
        table = report.tables.get(tid)
        if table is None:
            continue
        if not table.found:
            yield Finding(
                "missing-row", "warning", tid, None, None, None, None,
                f"未找到{PART_NAMES[tid]}「{table.title}」的表格",
                cells=tuple(c.ref for r in table.rows for c in r.cells),
                message_en=f"{PART_NAMES_EN[tid]} ({table.title}) not found",
            )
            continue
        for row in table.rows:
            if not row.found:
                yield Finding(
                    "missing-row", "warning", tid, row.id, None, None, None,
                    f"{PART_NAMES[tid]}缺少「{row.label}」行，该行各格及行合计无法核验",
                    cells=tuple(c.ref for c in row.cells),
                    message_en=f"{PART_NAMES_EN[tid]}: row {row.id} not found",
                )


@rule("template-year", "warning", "模板版本与年度不符", "template version does not fit the year")
def template_year(report: Report, template: Template) -> Iterator[Finding]:
    seen = {m.template for m in report.markers if m.kind == "template"}
    if len(seen) > 1:
        other = "2019" if report.template == "2021" else "2021"
        sample = next(m for m in report.markers if m.kind == "template" and m.template == other)
        yield Finding(
            "template-year", "warning", None, None, None, report.template, other,
            f"报告混用了两版模板的内容：按 {report.template} 版读取，但出现了 {other} 版的「{sample.text}」",
            spans=tuple(m.span for m in report.markers if m.kind == "template" and m.template == other),
            message_en=f"markers of both templates: read as {report.template}, but {other}'s "
                       f"{sample.text!r} appears",
        )
    expected = template_for_year(report.year)
    if expected is not None and expected != report.template:
        yield Finding(
            "template-year", "warning", None, None, None, expected, report.template,
            f"{report.year} 年度报告应使用 {expected} 版模板（{BY_ID[expected].name}），实际为 {report.template} 版",
            spans=(report.year_span,) if report.year_span else (),
            message_en=f"a {report.year} report should use the {expected} template; this one uses {report.template}",
        )


@rule("narrative", "warning", "正文与表格不符", "the prose disagrees with the table")
def narrative(report: Report, template: Template) -> Iterable[Finding]:
    from .narrative import check_narrative  # the phrase table and sentence reader live there

    return check_narrative(report, template)


# ------------------------------------------------------------------------------------------- entry
def check(report: Report, rules: Iterable[str] | None = None) -> list[Finding]:
    """All findings of one report, errors first, each rule's findings in table order."""
    template = BY_ID[report.template]
    selected = [RULES[r] for r in rules] if rules is not None else list(RULES.values())
    findings: list[Finding] = []
    for r in selected:
        findings.extend(r.check(report, template))
    return list(by_severity(suggest.attach(report, template, findings)))


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    c = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        c[f.severity] += 1
    return c
