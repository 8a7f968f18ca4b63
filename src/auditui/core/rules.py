"""Report(s) → Findings. One function per rule, registered with :func:`rule`; adding a rule touches one place.

Errors mean the report's own arithmetic is wrong. Warnings mean an auditor must look: a cell we could not
read, a misshapen or missing row, a template that does not fit the year. A rule that cannot be evaluated
because a cell it needs is blank or unreadable yields a warning with ``evaluable=False`` naming the cells;
it is never skipped in silence and never turned into an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, gt

from . import suggest
from .model import Candidates, Cell, CellRef, Finding, Report, Row, Severity, by_severity
from .template import BY_ID, Balance, Equation, Template, short_row_label, template_for_year

ReportRule = Callable[[Report, Template], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its id (docs/json.md), severity, title (zh, en), short name (zh, en: lists, filters, exports) and
    the function checking one report (None for a rule across reports: :mod:`auditui.core.series` runs those)."""

    id: str
    severity: Severity
    title: str
    title_en: str
    short: str
    short_en: str
    check: ReportRule | None = None


RULES: dict[str, Rule] = {}
"""Every rule, in the order their findings are listed: the one registry titles and names are taken from."""


def rule(id: str, severity: Severity, title: str, title_en: str, short: str = "", short_en: str = ""
         ) -> Callable[[ReportRule], ReportRule]:
    """Register a rule over one report (its short names default to its titles)."""

    def register(fn: ReportRule) -> ReportRule:
        RULES[id] = Rule(id, severity, title, title_en, short or title, short_en or title_en, fn)
        return fn

    return register


def part_name(table: str | None, lang: str = "zh") -> str:
    """「第三部分」 / "part 三": how messages name a part."""
    if table is None:
        return ""
    return f"第{table}部分" if lang == "zh" else f"part {table}"


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
             refs: Sequence[CellRef], what: str, what_en: str) -> Finding:
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


# ------------------------------------------------------------------------------------------- errors
def evaluable(report: Report, eq: Equation) -> bool:
    """Whether the report has what ``eq`` is about: its table, and (for a row's own total) the row, well formed.
    (A blank or unreadable cell does not make an equation unevaluable here: that is a finding of its own.)"""
    table = report.tables.get(eq.relation.table)
    if table is None or not table.found:
        return False
    if eq.scope is not None:
        row = table.get(eq.scope)
        return row is not None and row.found and row.shape is None and row.split not in PREMISES
    return True


PREMISES = frozenset({"premise", "placed"})
"""How a row may have been read on the premise that its own total holds (:attr:`~auditui.core.model.Row.split`)."""


def _premise(report: Report, eq: Equation) -> Finding | None:
    """For a row read the one way its own total allows (its run-together digits cut so, or its values placed so
    among its cells): that its total was the premise of the reading, not checked (never counted as verified)."""
    table = report.tables.get(eq.relation.table)
    row = table.get(eq.scope) if table is not None and eq.scope is not None else None
    if row is None or row.split not in PREMISES:
        return None
    label = short_row_label(eq.table, row.id, report.template)
    if row.split == "placed":
        zh = (f"行的数值（{' '.join(r for r in row.raw_values if r)}）各在哪一列无法确定，只有一种位置使本行合计成立，"
              f"已按其读为 {' '.join(_shown(c.value) for c in row.cells)}：本行合计是读法的前提")
        en = ("where its values stand among its cells is not shown; read the one way that makes the row add up — its "
              "total is the premise of the reading")
    else:
        zh = (f"行数字连写（{' '.join(row.raw_values)}），只有一种拆分方式使本行合计成立，"
              f"已按其拆分为 {' '.join(str(c.value) for c in row.cells)}：本行合计是拆分的前提")
        en = "digits run together, cut the one way that makes the row add up — its total is the premise of the cut"
    return Finding(
        eq.rule, "warning", eq.table, row.id, eq.column, None, None,
        f"{part_name(eq.table)}「{label}」{zh}，未核验，请对照原件", cells=eq.cells, evaluable=False,
        message_en=f"{part_name(eq.table, 'en')}, row {row.id}: {en}, not checked",
    )


def _label(report: Report, table: str, row: str) -> str:
    return short_row_label(table, row, report.template)


def _words(report: Report, eq: Equation, lv: int | None = None, rv: int | None = None) -> tuple[str, str]:
    """What a finding of ``eq`` says (zh, en): that it does not hold (``lv``, ``rv`` given) or cannot be checked."""
    rel, col, t = eq.relation, eq.column, eq.relation.table
    if isinstance(rel, Balance):
        if lv is None:
            lname = "＋".join(_label(report, t, r).split("、")[0] for r in rel.left)
            rname = "＋".join(_label(report, t, r).split("、")[0] for r in rel.right)
            return f"「{col}」列平衡（{lname}＝{rname}）", f"column balance of {col}"
        return (f"{part_name(t)}「{col}」列：" + rel.says.format(left=lv, right=rv),
                f"{part_name(t, 'en')}, column {col}: " + rel.says_en.format(left=lv, right=rv))
    if rel.axis == "rows":
        if lv is None:
            return f"{where(report.template, eq.right[0])}小计", f"subtotal of {rel.total}/{col}"
        return (f"{part_name(t)}「{_label(report, t, rel.total)}」行「{col}」列：{rel.parts_name}之和为 {lv}，"
                f"总计填报 {rv}",
                f"{part_name(t, 'en')}, row {rel.total}, column {col}: {rel.parts_name_en} sum to {lv}, "
                f"the row says {rv}")
    row = eq.row or ""
    if lv is None:
        return f"「{_label(report, t, row)}」行{rel.total}", f"row total of {row}"
    names = rel.parts_name or "、".join(rel.parts)
    return (f"{part_name(t)}「{_label(report, t, row)}」行：{names}之和为 {lv}，「{rel.total}」填报 {rv}",
            f"{part_name(t, 'en')}, row {row}: {rel.parts_name_en} sum to {lv}, {rel.total} says {rv}")


_split_of = attrgetter("split")


def arithmetic(report: Report, template: Template, rule_id: str) -> Iterator[Finding]:
    """The findings of the template's relations of one rule (``Template.relations``): an error where one does not
    hold, a warning naming the cells where one cannot be checked."""
    get = report.int_values.__getitem__  # (a blank or unreadable cell has no whole number there: KeyError)
    for group in template.groups_of(rule_id):
        table = report.tables.get(group.table)
        if table is None or not table.found:
            continue
        # First every equation of the table at once, in C: when all hold (most reports), nothing is to be said
        # (a row left out as misshapen or missing has no values, so it never passes here) — unless a row's cells
        # were read on the premise that its total holds: that is said, holding or not. Otherwise one by one.
        try:
            if list(map(sum, map(map, repeat(get), group.lefts))) == \
                    list(map(sum, map(map, repeat(get), group.rights))) and \
                    PREMISES.isdisjoint(map(_split_of, table.rows)):
                continue
        except KeyError:  # a blank or unreadable cell
            pass
        yield from _equations(report, group.equations, get)


def _equations(report: Report, eqs: Iterable[Equation], get: Callable[[CellRef], int]) -> Iterator[Finding]:
    """``get``: a cell's whole number, KeyError for a cell without one (blank or unreadable)."""
    for eq in eqs:
        if not evaluable(report, eq):
            premise = _premise(report, eq)
            if premise is not None:
                yield premise
            continue
        try:
            lv, rv = sum(map(get, eq.left)), sum(map(get, eq.right))
        except KeyError:  # a blank or unreadable cell
            what, what_en = _words(report, eq)
            yield _blocked(report, eq.rule, eq.table, eq.row, eq.column, eq.cells, what, what_en)
            continue
        if lv != rv:
            message, message_en = _words(report, eq, lv, rv)
            yield Finding(eq.rule, "error", eq.table, eq.row, eq.column, lv, rv, message, cells=eq.cells,
                          message_en=message_en)


def _arithmetic_rule(rule_id: str) -> ReportRule:
    def check(report: Report, template: Template) -> Iterator[Finding]:
        return arithmetic(report, template, rule_id)

    return check


for _id, _title, _title_en, _short, _short_en in (
    ("column-balance", "列平衡（第一项＋第二项＝第三项总计＋第四项）", "column balance (一 + 二 = （七） + 四)",
     "列平衡", "column balance"),
    ("subtotal", "小计（（七）总计＝各项办理结果之和）", "subtotal (（七）总计 = sum of results)", "小计", "subtotal"),
    ("row-total", "行合计（总计＝自然人＋法人或其他组织）", "row total (总计 = 自然人 + organisations)", "行总计",
     "row total"),
    ("litigation-total", "复议诉讼合计（总计＝维持＋纠正＋其他＋尚未审结）",
     "review/litigation total (总计 = 维持 + 纠正 + 其他 + 尚未审结)", "复议诉讼总计", "appeal totals"),
):
    rule(_id, "error", _title, _title_en, _short, _short_en)(_arithmetic_rule(_id))


# ------------------------------------------------------------------------------------------- warnings
_status_of = attrgetter("status")
_note_of = attrgetter("note")
_value_of = attrgetter("value")
_cells_of = attrgetter("cells")
_rows_of = attrgetter("rows")


def _all_cells(report: Report) -> Iterator[Cell]:
    """Every cell of every table, rows left out or not, as one iterator made in C (no Python step per row or
    cell)."""
    return chain.from_iterable(map(_cells_of, chain.from_iterable(map(_rows_of, report.tables.values()))))


def _all_whole(report: Report) -> bool:
    """Whether every cell of every table holds a whole number: then no cell is blank, unreadable or missing (such a
    cell's value is None, see :class:`~auditui.core.model.Cell`), and the cells need no look one by one. Counted,
    not scanned: ``int_values`` holds every whole-number cell, so it is as long as the tables only then."""
    n = sum(map(len, map(_cells_of, chain.from_iterable(map(_rows_of, report.tables.values())))))
    return len(report.int_values) == n


def _cells(report: Report, status: str) -> Iterator[tuple[str, Row, Cell]]:
    if _all_whole(report):
        return  # (most reports)
    for tid, table in report.tables.items():
        for row in table.rows:
            if row.shape is not None or not row.found or status not in map(_status_of, row.cells):
                continue  # (the last test, in C, passes over most rows without a Python step per cell)
            for cell in row.cells:
                if cell.status == status:
                    yield tid, row, cell


def _odd_cells(report: Report) -> Iterator[tuple[str, Row, Cell]]:
    """The readable cells that still need a look: a negative value."""
    # With whole numbers only, the least of them tells; else every value is compared with 0 (in C: None and 0 are
    # filtered out first, 0 > v for the rest).
    if _all_whole(report):
        if min(report.int_values.values(), default=0) >= 0:
            return
    elif not any(map(gt, repeat(0), filter(None, map(_value_of, _all_cells(report))))):
        return
    for tid, table in report.tables.items():
        for row in table.rows:
            if row.shape is not None or not row.found:
                continue
            for cell in row.cells:
                if cell.status == "ok" and cell.value is not None and cell.value < 0:
                    yield tid, row, cell


def _split_rows(report: Report) -> Iterator[tuple[str, Row]]:
    """Rows whose digits ran together and were cut into cells (:mod:`auditui.core.parse.shape`)."""
    for tid, table in report.tables.items():
        if not any(r.split for r in table.rows):
            continue
        for row in table.rows:
            if row.split:
                yield tid, row


@rule("blank-cell", "warning", "空白单元格", "blank cell", "空白单元格", "blank cell")
def blank_cell(report: Report, template: Template) -> Iterator[Finding]:
    for tid, row, cell in _cells(report, "blank"):
        how = f"填写为「{cell.raw}」" if cell.raw else "为空"
        yield Finding(
            "blank-cell", "warning", tid, row.id, cell.ref.column, None, None,
            f"{part_name(tid)}{where(report.template, cell.ref)}{how}，应填写数字",
            cells=(cell.ref,),
            message_en=f"{part_name(tid, 'en')}, {row.id}/{cell.ref.column} is blank"
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


@rule("bad-cell", "warning", "无法识别或不合理的数值", "unreadable or implausible value", "无法识别", "unreadable cell")
def bad_cell(report: Report, template: Template) -> Iterator[Finding]:
    for tid, row, cell in _cells(report, "bad"):
        reason = "不是整数" if cell.note == "not a whole number" else "无法识别"
        yield Finding(
            "bad-cell", "warning", tid, row.id, cell.ref.column, None, None,
            f"{part_name(tid)}{where(report.template, cell.ref)}填写为「{cell.raw}」，{reason}",
            cells=(cell.ref,),
            message_en=f"{part_name(tid, 'en')}, {row.id}/{cell.ref.column}: {cell.raw!r} is "
                       + ("not a whole number" if reason == "不是整数" else "unreadable"),
        )
    for tid, row, cell in _odd_cells(report):
        if _column_kind(template, tid, row.id, cell.ref.column) != "signed":
            yield Finding(
                "bad-cell", "warning", tid, row.id, cell.ref.column, None, cell.value,
                f"{part_name(tid)}{where(report.template, cell.ref)}为负数 {cell.value}",
                cells=(cell.ref,),
                message_en=f"{part_name(tid, 'en')}, {row.id}/{cell.ref.column} is negative ({cell.value})",
            )
    for tid, row in _split_rows(report):
        if row.split != "split":
            continue  # (cut by the row's own total: the arithmetic rule says so)
        label = short_row_label(tid, row.id, report.template)
        yield Finding(
            "bad-cell", "info", tid, row.id, None, None, None,
            f"{part_name(tid)}「{label}」行数字连写（{' '.join(row.raw_values)}），只有一种拆分方式，已按其拆分为 "
            f"{' '.join(str(c.value) for c in row.cells)}",
            cells=tuple(c.ref for c in row.cells),
            message_en=f"{part_name(tid, 'en')}, row {row.id}: digits run together ({' '.join(row.raw_values)}), cut "
                       f"the one way they can be",
        )


def _shown(v: int | float | None, en: bool = False) -> str:
    return ("blank" if en else "空") if v is None else str(v)


def _placements(raw_values: Sequence[str], candidates: Candidates) -> bool:
    """Whether the ways listed only place the numbers as read among the cells (blanks that left no trace), none
    cutting digits."""
    n = sum(1 for r in raw_values if r)
    return all(sum(v is not None for v in c) == n for c in candidates)


def _choices(candidates: Candidates, placed: bool = False) -> tuple[str, str]:
    """The ways run-together digits could be cut, or the numbers placed, as a message ends with them (the auditor
    picks one)."""
    if not candidates:
        return "", ""
    shown = "；".join(" ".join(map(_shown, c)) for c in candidates[:5])
    more = f"等 {len(candidates)} 种" if len(candidates) > 5 else ""
    what, what_en = ("可能的读法", "it could be read") if placed else ("可能的拆分", "it could be cut")
    return (f"；{what}：{shown}{more}",
            f"; {what_en} {len(candidates)} way(s): "
            + "; ".join(" ".join(_shown(v, True) for v in c) for c in candidates[:5]))


@rule("row-shape", "warning", "行的数值个数不对", "wrong number of values in a row", "行形状", "row shape")
def row_shape(report: Report, template: Template) -> Iterator[Finding]:
    for tid, table in report.tables.items():
        done_run = False
        for row in table.rows:
            if row.shape is None:
                continue
            found, expected = row.shape
            if template.tables[tid].layout == "run":
                if done_run:
                    continue
                done_run = True
                candidates = tuple(tuple(v for r in table.rows for v in r.candidates[k])
                                   for k in range(len(row.candidates)))
                zh, en = _choices(candidates, _placements(row.raw_values, candidates))
                yield Finding(
                    "row-shape", "warning", tid, None, None, expected, found,
                    f"{part_name(tid)}应有 {expected} 个数值，读到 {found} 个（{' '.join(row.raw_values)}），"
                    "无法确定各列对应关系" + zh,
                    cells=tuple(c.ref for r in table.rows for c in r.cells),
                    message_en=f"{part_name(tid, 'en')} has {found} of {expected} numbers; columns cannot be placed"
                               + en,
                    candidates=candidates,
                )
                continue
            placed = _placements(row.raw_values, row.candidates)
            zh, en = _choices(row.candidates, placed)
            if row.candidates and not placed:
                what, what_en = f"数字连写（{' '.join(row.raw_values)}）", "digits run together"
            else:
                more = "多" if found > expected else "少"
                what, what_en = f"有 {found} 个数值，应为 {expected} 个（{more}）", f"has {found} of {expected} numbers"
            yield Finding(
                "row-shape", "warning", tid, row.id, None, expected, found,
                f"{part_name(tid)}「{short_row_label(tid, row.id, report.template)}」行{what}，无法确定各列对应关系，"
                f"该行各格及行合计无法核验" + zh,
                cells=tuple(c.ref for c in row.cells),
                message_en=f"{part_name(tid, 'en')}, row {row.id} {what_en}; its cells and row total cannot be "
                           "checked" + en,
                candidates=row.candidates,
            )
    for m in report.markers:
        if m.kind == "placed" and m.template:
            tid, rid = m.template.split("|", 1)
            label = short_row_label(tid, rid, report.template)
            yield Finding(
                "row-shape", "info", tid, rid, None, None, None,
                f"{part_name(tid)}「{label}」行的标签缺失，按表格行序与列数确定为该行，请核对",
                cells=tuple(c.ref for c in report.tables[tid].row(rid).cells), spans=(m.span,),
                message_en=f"{part_name(tid, 'en')}: row {rid}'s label is missing; the numbers were placed by the "
                           f"table's order and shape",
            )
            continue
        if m.kind == "doubt" and m.template:
            tid, rid = m.template.split("|", 1)
            label = short_row_label(tid, rid, report.template)
            yield Finding(
                "row-shape", "warning", tid, rid, None, None, None,
                f"{part_name(tid)}「{label}」行的上一行数值多于列数，数值可能错行（本行的数值可能属于下一行），请核对",
                cells=tuple(c.ref for c in report.tables[tid].row(rid).cells),
                message_en=f"{part_name(tid, 'en')}: the row above {rid} has more numbers than columns; this row's "
                           f"numbers may be the next row's",
            )
            continue
        if m.kind != "stray" or not m.template:
            continue
        tid, rid = m.template.split("|", 1)
        yield Finding(
            "row-shape", "warning", tid, rid, None, None, None,
            f"{part_name(tid)}「{short_row_label(tid, rid, report.template)}」标题下有不属于任何行的数值"
            f"「{m.text}」",
            message_en=f"{part_name(tid, 'en')}: value {m.text!r} under heading {rid} belongs to no row",
        )


@rule("missing-row", "warning", "缺少行或表", "missing row or table", "缺少行", "missing row")
def missing_row(report: Report, template: Template) -> Iterator[Finding]:
    for tid, table in report.tables.items():
        if not table.found:
            yield Finding(
                "missing-row", "warning", tid, None, None, None, None,
                f"未找到{part_name(tid)}「{table.title}」的表格",
                cells=tuple(c.ref for r in table.rows for c in r.cells),
                message_en=f"{part_name(tid, 'en')} ({table.title}) not found",
            )
            continue
        for row in table.rows:
            if not row.found:
                yield Finding(
                    "missing-row", "warning", tid, row.id, None, None, None,
                    f"{part_name(tid)}缺少「{row.label}」行，该行各格及行合计无法核验",
                    cells=tuple(c.ref for c in row.cells),
                    message_en=f"{part_name(tid, 'en')}: row {row.id} not found",
                )


@rule("template-year", "warning", "模板版本与年度不符", "template version does not fit the year", "模板年度",
      "template year")
def template_year(report: Report, template: Template) -> Iterator[Finding]:
    seen = {m.template for m in report.markers if m.kind == "template"}
    if len(seen) > 1:
        sample = next(m for m in report.markers if m.kind == "template" and m.template != report.template)
        other = sample.template
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


@rule("narrative", "warning", "正文与表格不符", "the prose disagrees with the table", "正文与表格",
      "prose vs table")
def narrative(report: Report, template: Template) -> Iterable[Finding]:
    from .narrative import check_narrative  # the phrase table and sentence reader live there

    return check_narrative(report, template)


# ------------------------------------------------------------------------------------------- across reports
# Checked by :mod:`auditui.core.series` over a body's reports of several years; registered here for their names.
for _id, _title, _title_en, _short, _short_en in (
    ("carry-over", "跨年度结转不一致（上年「结转下年度」＝本年「上年结转」）",
     "carry-over across years (last year's 四 = this year's 二)", "结转", "carry-over"),
    ("prose-reuse", "正文沿用上年报告", "prose copied from last year's report", "沿用上年", "prose reuse"),
    ("table-repeated", "表格与上年报告完全相同", "a table repeats last year's cell for cell", "表格重复",
     "table repeated"),
):
    RULES[_id] = Rule(_id, "warning", _title, _title_en, _short, _short_en)


# ------------------------------------------------------------------------------------------- entry
def check(report: Report, rules: Iterable[str] | None = None) -> list[Finding]:
    """All findings of one report, errors first, each rule's findings in table order."""
    template = BY_ID[report.template]
    selected = [RULES[r] for r in rules] if rules is not None else list(RULES.values())
    findings: list[Finding] = []
    for r in selected:
        if r.check is not None:
            findings.extend(r.check(report, template))
    return list(by_severity(suggest.attach(report, template, findings)))
