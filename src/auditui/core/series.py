"""Rules across reports: one body's reports for consecutive years, checked together.

The rules read :class:`Facts`, the few values of a checked report they need (:meth:`Facts.of` a
:class:`~auditui.core.checked.Checked`; :func:`check_series` takes either), so that a caller holding a thousand
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

- ``table-repeated`` (warning): part 三, 四 or 二 equals last year's cell for cell (every cell a number in both
  reports, the same rows and columns): last year's table sent again. Both all zeros is no sign of that: for part
  三 it is an info line ("no requests two years running"), for 四 and 二 (no appeals, no regulations: common in a
  small body) nothing.
- ``prose-reuse`` (warning above ``reuse_threshold``, info below; nothing when no sentence is copied): the share
  of this year's prose sentences found in last year's report (:mod:`auditui.core.reuse`). Its spans are the
  copied sentences.

Which reports are one body's: :func:`body_key` normalises the body's name (full/half width, spaces, punctuation,
人民政府 ≡ 政府). A name that does not begin with a place (at least two characters before 省/市/县/区/镇/乡/旗/州/
盟/街道, or 国家/国务院/全国/中央) is too generic to tell bodies apart — "工信局", "市政府办公室" — and such
reports take part in no series: merging two bodies would raise false alarms, missing a series only a check.
The config's ``[series] aliases`` map a name as written to the name it stands for (both normalised): the user's
word overrides the place rule. Only years exactly one apart are compared; a cell that is blank or unreadable in
either report skips that column (the per-report rules already report it).

:func:`across` runs every rule and also returns what the output shows of the grouping (:class:`Across`: each
report's series key, its body's years, its reuse figures); :func:`check_series` returns the findings only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .checked import Checked
from .model import CellRef, Finding
from .reuse import Prose, Reuse, best
from .template import (
    APPLICANT_IDS,
    APPLICANT_TOTAL,
    COL_IN_FORCE,
    COL_ISSUED,
    COL_REPEALED,
    PART_LITIGATION,
    PART_PROACTIVE,
    PART_REQUESTS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NORMATIVE,
    ROW_REGULATIONS,
    TABLE_PARTS,
    TEMPLATE_2021,
    row_label,
)
from .text import norm

REUSE_THRESHOLD = 0.5
"""Above this share of copied sentences ``prose-reuse`` is a warning (config ``reuse_threshold``)."""

_TOTAL = APPLICANT_TOTAL.total
PART2_ROWS = {r: row_label(PART_PROACTIVE, r, TEMPLATE_2021) for r in (ROW_REGULATIONS, ROW_NORMATIVE)}
"""The rows of part 二 whose 现行有效件数 carries over (2021 template), with their labels."""

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
    prose: Prose | None = None
    """The prose sentences, masked, and where they stand (None: not taken; no prose-reuse check then)."""

    @classmethod
    def of(cls, c: Checked) -> Facts | None:
        """The facts of a checked report (None for a file that could not be read)."""
        r = c.report
        if r is None:
            return None
        return cls(c.path, r.body, r.year, r.template, r.values(TABLE_PARTS),
                   c.prose if c.prose is not None else Prose.of(r))

    def value(self, table: str, row: str, column: str) -> int | None:
        v = self.values.get(table, {}).get(row, {}).get(column)
        return v if type(v) is int else None


def _normal(body: str) -> str:
    k = _NOT_WORD.sub("", norm(body))
    return _NOISE.sub("", k).replace("人民政府", "政府")


def aliases(pairs: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> dict[str, str]:
    """The config's ``[series] aliases`` (name as written → the name it stands for), normalised both sides as
    :func:`body_key` normalises names."""
    items = pairs.items() if isinstance(pairs, Mapping) else (pairs or ())
    out = {}
    for written, meant in items:
        a, b = _normal(written), _normal(meant)
        if a and b:
            out[a] = b
    return out


def body_key(body: str | None, alias: Mapping[str, str] | None = None) -> str | None:
    """The name under which a body's reports are grouped, or None when it is too generic to group.
    ``alias``: :func:`aliases` of the config's (an aliased name is grouped whatever it looks like)."""
    if not body:
        return None
    k = _normal(body)
    if alias and k in alias:
        return alias[k]
    if not k or not _PLACE.match(k):
        return None
    return k


def _facts(items: Iterable[Checked | Facts | None]) -> Iterable[Facts]:
    for item in items:
        f = Facts.of(item) if isinstance(item, Checked) else item
        if f is not None:
            yield f


def groups(items: Iterable[Checked | Facts | None], alias: Mapping[str, str] | None = None
           ) -> dict[str, list[Facts]]:
    """Reports by body, each body's in year order (reports without a usable body or year are left out)."""
    out: dict[str, list[Facts]] = {}
    for f in _facts(items):
        if not isinstance(f.year, int):
            continue
        key = body_key(f.body, alias)
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
    pairs = {col: (prev.value(PART_REQUESTS, ROW_CARRIED_OUT, col), cur.value(PART_REQUESTS, ROW_CARRIED_IN, col))
             for col in APPLICANT_IDS}
    parts = [pairs[c] for c in APPLICANT_TOTAL.parts]
    whole = [(a, b) for a, b in parts if a is not None and b is not None]
    ta, tb = pairs[_TOTAL]
    explained = len(whole) == len(parts) and ta is not None and tb is not None and \
        sum(b - a for a, b in whole) == tb - ta
    for col, (a, b) in pairs.items():
        if a is None or b is None or a == b:
            continue
        if col == _TOTAL and explained:
            continue  # the applicant columns above already account for the whole difference
        also = ""
        if col != _TOTAL and explained:
            also = f"（「总计」相应为 {ta} 与 {tb}）"
        out.append(Finding(
            "carry-over", "warning", PART_REQUESTS, ROW_CARRIED_IN, col, a, b,
            f"{py}年度报告（{_name(prev.path)}）「四、结转下年度继续办理」「{col}」为 {a}，"
            f"本报告（{cy}年度）「二、上年结转政府信息公开申请数量」「{col}」为 {b}，两者应相等{also}",
            cells=(CellRef(PART_REQUESTS, ROW_CARRIED_IN, col),)
            + ((CellRef(PART_REQUESTS, ROW_CARRIED_IN, _TOTAL),) if also else ()),
            message_en=f"the {py} report ({_name(prev.path)}) carries {a} over to next year in {col}; this {cy} "
                       f"report carries over {b} from last year",
            path=cur.path,
        ))
    if prev.template == cur.template == TEMPLATE_2021:
        for row, label in PART2_ROWS.items():
            last = prev.value(PART_PROACTIVE, row, COL_IN_FORCE)
            made, gone, now = (cur.value(PART_PROACTIVE, row, c) for c in (COL_ISSUED, COL_REPEALED, COL_IN_FORCE))
            if last is None or made is None or gone is None or now is None:
                continue
            expected = last + made - gone
            if expected == now:
                continue
            out.append(Finding(
                "carry-over", "info", PART_PROACTIVE, row, COL_IN_FORCE, expected, now,
                f"「{label}」：{py}年现行有效 {last} 件＋本年制发 {made} 件－本年废止 {gone} 件＝{expected} 件，"
                f"本年现行有效件数为 {now} 件（修订、清理等可使两者不同，仅供核对）",
                cells=(CellRef(PART_PROACTIVE, row, COL_IN_FORCE),),
                message_en=f"{row}: {py}'s {last} in force + {made} made − {gone} repealed = {expected}, this year "
                           f"says {now} in force (amendments can make these differ legitimately)",
                path=cur.path,
            ))
    return out


TABLE_NAMES = {
    PART_REQUESTS: ("第三部分（收到和处理政府信息公开申请情况）", "part 三 (requests)"),
    PART_LITIGATION: ("第四部分（行政复议、行政诉讼情况）", "part 四 (appeals and suits)"),
    PART_PROACTIVE: ("第二部分（主动公开政府信息情况）", "part 二 (proactive disclosure)"),
}


def _same_cells(a: dict[str, dict[str, int | float | None]], b: dict[str, dict[str, int | float | None]]
                ) -> tuple[int, int] | None:
    """(cells, non-zero cells) when two tables are equal cell for cell, every cell a number; else None."""
    if a.keys() != b.keys():
        return None
    cells = nonzero = 0
    for row, cols in b.items():
        before = a[row]
        if before.keys() != cols.keys():
            return None
        for col, v in cols.items():
            if v is None or v != before[col]:
                return None
            cells += 1
            nonzero += v != 0
    return (cells, nonzero) if cells else None


def _repeated(prev: Facts, cur: Facts) -> list[Finding]:
    out: list[Finding] = []
    py, name = prev.year, _name(prev.path)
    for table, (label, label_en) in TABLE_NAMES.items():
        same = _same_cells(prev.values.get(table) or {}, cur.values.get(table) or {})
        if same is None:
            continue
        cells, nonzero = same
        if nonzero:
            out.append(Finding(
                "table-repeated", "warning", table, None, None, None, None,
                f"{label}与{py}年度报告（{name}）逐格相同（{cells} 个数值，{nonzero} 个不为零），可能沿用了上年的数据",
                message_en=f"{label_en} repeats the {py} report ({name}) cell for cell ({cells} values, {nonzero} "
                           f"of them non-zero): last year's numbers may have been sent again",
                path=cur.path,
            ))
        elif table == PART_REQUESTS:
            out.append(Finding(
                "table-repeated", "info", table, None, None, None, None,
                f"连续两年未收到政府信息公开申请：{label}与{py}年度报告（{name}）均为零",
                message_en=f"no requests two years running: {label_en} is all zeros here and in the {py} report "
                           f"({name})",
                path=cur.path,
            ))
    return out


def _reuse_finding(prev_year: int, cur: Facts, reuse: Reuse, threshold: float) -> Finding | None:
    if not reuse.copied:
        return None
    m, n, share = len(reuse.copied), reuse.sentences, reuse.share
    warn = share > threshold
    name = _name(reuse.previous)
    return Finding(
        "prose-reuse", "warning" if warn else "info", None, None, None, None, round(share, 3),
        f"正文 {n} 句中有 {m} 句（{share:.0%}）与{prev_year}年度报告（{name}）相同，或只改动了年份、数字或个别字"
        + (f"，超过 {threshold:.0%}" if warn else ""),
        spans=reuse.spans(cur.prose) if cur.prose is not None else (),
        message_en=f"{m} of {n} prose sentences ({share:.0%}) stand in the {prev_year} report ({name}) as they are "
                   f"or with only years, numbers or a character or two changed" + (
                       f": more than {threshold:.0%}" if warn else ""),
        path=cur.path,
    )


@dataclass(slots=True)
class Across:
    """What the rules across reports found, and how the reports were grouped (what the output shows)."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    """Findings by the path of the report each is about (reports without any are left out)."""
    groups: dict[str, list[Facts]] = field(default_factory=dict)
    """Each body's reports in year order, by series key (:func:`groups`)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Each grouped report's series key, by path."""
    reuse: dict[str, Reuse] = field(default_factory=dict)
    """By path: how much of a report's prose is in its body's report of the year before (when there is one)."""

    def years(self, path: str) -> list[int]:
        """The years of the series a report belongs to (empty: it belongs to none)."""
        key = self.keys.get(path)
        if key is None:
            return []
        return sorted({f.year for f in self.groups[key] if f.year is not None})  # (groups() keeps those only)


def across(items: Iterable[Checked | Facts | None], reuse_threshold: float = REUSE_THRESHOLD,
           alias: Mapping[str, str] | None = None) -> Across:
    """Every rule across reports over ``items``, each body's consecutive years (``alias``: :func:`aliases`)."""
    out = Across(groups=groups(items, alias))
    for key, found in out.groups.items():
        by_year: dict[int, list[Facts]] = {}
        for f in found:
            assert f.year is not None  # (groups() keeps int years only)
            out.keys[f.path] = key
            by_year.setdefault(f.year, []).append(f)
        for year in sorted(by_year):
            before = by_year.get(year - 1, ())
            for cur in by_year[year]:
                new: list[Finding] = []
                for prev in before:
                    new += _carry_over(prev, cur)
                    new += _repeated(prev, cur)
                if before and cur.prose is not None:
                    reuse = best(((p.path, p.prose) for p in before if p.prose is not None), cur.prose)
                    if reuse is not None:
                        out.reuse[cur.path] = reuse
                        finding = _reuse_finding(year - 1, cur, reuse, reuse_threshold)
                        if finding is not None:
                            new.append(finding)
                if new:
                    out.findings.setdefault(cur.path, []).extend(new)
    return out


def check_series(items: Iterable[Checked | Facts | None], reuse_threshold: float = REUSE_THRESHOLD,
                 alias: Mapping[str, str] | None = None) -> dict[str, list[Finding]]:
    """Findings across reports, by the path of the report each is about (reports without any are left out)."""
    return across(items, reuse_threshold, alias).findings
