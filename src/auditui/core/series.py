"""Rules across reports: one body's reports for consecutive years, checked together.

The rules read :class:`Facts`, the few values of a checked report they need (:meth:`Facts.of` a
:class:`~auditui.core.batch.Checked`; :func:`check_series` takes either), so that a caller holding a thousand
reports (the TUI's queue) keeps their facts, not their grids. They return findings by report; the caller joins
them to its reports (:meth:`Checked.with_findings`).

- ``carry-over`` (warning): last year's 四、结转下年度继续办理 must equal this year's 二、上年结转政府信息公开申请数量,
  column by column. The finding is attached to this year's report, at 三/二/column; ``expected`` is last year's
  value, ``actual`` this year's. The 总计 column is reported only when the applicant columns do not account for
  its difference (a column unreadable, or a row total wrong in one of the reports): one mistyped column is one
  finding, whose message gives the 总计 it moved.
- ``carry-over`` (info, table 二): for two reports on the 2021 template, last year's 现行有效件数 + this year's
  本年制发件数 − 本年废止件数 against this year's 现行有效件数, for 规章 and 行政规范性文件. Amendments and
  re-publications make the two differ legitimately, so it is only shown, never a warning.

Which reports are one body's: :func:`body_key` normalises the body's name (full/half width, spaces, punctuation,
人民政府 ≡ 政府). A name that does not begin with a place (at least two characters before 省/市/县/区/镇/乡/旗/州/
盟/街道, or 国家/国务院/全国/中央) is too generic to tell bodies apart — "工信局", "市政府办公室" — and such
reports take part in no series: merging two bodies would raise false alarms, missing a series only a check.
Only years exactly one apart are compared; a cell that is blank or unreadable in either report skips that column
(the per-report rules already report it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .batch import Checked
from .model import CellRef, Finding
from .text import norm

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
PART2_ROWS = {"规章": "规章", "规范性文件": "行政规范性文件"}

_NOT_WORD = re.compile(r"[\W_]+")
_PLACE = re.compile(r"^(?:\w{2,}?(?:省|市|县|区|镇|乡|旗|州|盟|街道)|国家|国务院|全国|中央)")
_NOISE = re.compile(r"^关于|关于$|的$")

Values = dict[str, dict[str, dict[str, int | float | None]]]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules across reports read of one readable report."""

    path: str
    body: str
    year: int | None
    template: str
    values: Values
    """``{table: {row: {column: value}}}`` for 二, 三 and 四."""

    @classmethod
    def of(cls, c: Checked) -> Facts | None:
        """The facts of a checked report (None for a file that could not be read)."""
        r = c.report
        if r is None:
            return None
        return cls(c.path, r.body, r.year, r.template, r.values(("二", "三", "四")))

    def value(self, table: str, row: str, column: str) -> int | None:
        v = self.values.get(table, {}).get(row, {}).get(column)
        return v if type(v) is int else None


def body_key(body: str | None) -> str | None:
    """The name under which a body's reports are grouped, or None when it is too generic to group."""
    if not body:
        return None
    k = _NOT_WORD.sub("", norm(body))
    k = _NOISE.sub("", k).replace("人民政府", "政府")
    if not k or not _PLACE.match(k):
        return None
    return k


def _facts(items: Iterable[Checked | Facts | None]) -> Iterable[Facts]:
    for item in items:
        f = Facts.of(item) if isinstance(item, Checked) else item
        if f is not None:
            yield f


def groups(items: Iterable[Checked | Facts | None]) -> dict[str, list[Facts]]:
    """Reports by body, each body's in year order (reports without a usable body or year are left out)."""
    out: dict[str, list[Facts]] = {}
    for f in _facts(items):
        if not isinstance(f.year, int):
            continue
        key = body_key(f.body)
        if key is not None:
            out.setdefault(key, []).append(f)
    for found in out.values():
        found.sort(key=lambda f: (f.year, f.path))
    return out


def _name(path: str) -> str:
    return os.path.basename(path) or path


def _carry_over(prev: Facts, cur: Facts) -> list[Finding]:
    out: list[Finding] = []
    py, cy = prev.year, cur.year
    pairs = {col: (prev.value("三", "四", col), cur.value("三", "二", col)) for col in COLUMNS}
    parts = [pairs[c] for c in COLUMNS[:-1]]
    explained = all(a is not None and b is not None for a, b in parts) and \
        None not in pairs["总计"] and sum(b - a for a, b in parts) == pairs["总计"][1] - pairs["总计"][0]
    for col, (a, b) in pairs.items():
        if a is None or b is None or a == b:
            continue
        if col == "总计" and explained:
            continue  # the applicant columns above already account for the whole difference
        also = ""
        if col != "总计" and explained:
            ta, tb = pairs["总计"]
            also = f"（「总计」相应为 {ta} 与 {tb}）"
        out.append(Finding(
            "carry-over", "warning", "三", "二", col, a, b,
            f"{py}年度报告（{_name(prev.path)}）「四、结转下年度继续办理」「{col}」为 {a}，"
            f"本报告（{cy}年度）「二、上年结转政府信息公开申请数量」「{col}」为 {b}，两者应相等{also}",
            cells=(CellRef("三", "二", col),) + ((CellRef("三", "二", "总计"),) if also else ()),
            message_en=f"the {py} report ({_name(prev.path)}) carries {a} over to next year in {col}; this {cy} "
                       f"report carries over {b} from last year",
            path=cur.path,
        ))
    if prev.template == cur.template == "2021":
        for row, label in PART2_ROWS.items():
            last = prev.value("二", row, "现行有效件数")
            made, gone, now = (cur.value("二", row, c) for c in ("本年制发件数", "本年废止件数", "现行有效件数"))
            if None in (last, made, gone, now):
                continue
            expected = last + made - gone  # type: ignore[operator]
            if expected == now:
                continue
            out.append(Finding(
                "carry-over", "info", "二", row, "现行有效件数", expected, now,
                f"「{label}」：{py}年现行有效 {last} 件＋本年制发 {made} 件－本年废止 {gone} 件＝{expected} 件，"
                f"本年现行有效件数为 {now} 件（修订、清理等可使两者不同，仅供核对）",
                cells=(CellRef("二", row, "现行有效件数"),),
                message_en=f"{row}: {py}'s {last} in force + {made} made − {gone} repealed = {expected}, this year "
                           f"says {now} in force (amendments can make these differ legitimately)",
                path=cur.path,
            ))
    return out


def check_series(items: Iterable[Checked | Facts | None]) -> dict[str, list[Finding]]:
    """Findings across reports, by the path of the report each is about (reports without any are left out)."""
    out: dict[str, list[Finding]] = {}
    for found in groups(items).values():
        by_year: dict[int, list[Facts]] = {}
        for f in found:
            by_year.setdefault(f.year, []).append(f)  # type: ignore[arg-type]  (groups() keeps int years only)
        for year in sorted(by_year):
            for cur in by_year[year]:
                for prev in by_year.get(year - 1, ()):
                    across = _carry_over(prev, cur)
                    if across:
                        out.setdefault(cur.path, []).extend(across)
    return out
