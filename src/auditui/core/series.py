"""Rules across reports: one body's reports for consecutive years, checked together.

The API works on the JSON summaries of :func:`auditui.core.batch.summary` (plain dicts with ``path``, ``body``,
``year``, ``template``, ``values`` and ``part2``), so it runs the same whether the reports were checked in this
process or in worker processes (``check --jobs``); :func:`facts` makes such a dict from a Report for callers that
hold Reports (the TUI).

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
from collections.abc import Iterable, Mapping
from typing import Any

from .model import CellRef, Finding, Report
from .text import norm

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
PART2_ROWS = {"规章": "规章", "规范性文件": "行政规范性文件"}

_NOT_WORD = re.compile(r"[\W_]+")
_PLACE = re.compile(r"^(?:\w{2,}?(?:省|市|县|区|镇|乡|旗|州|盟|街道)|国家|国务院|全国|中央)")
_NOISE = re.compile(r"^关于|关于$|的$")


def body_key(body: str | None) -> str | None:
    """The name under which a body's reports are grouped, or None when it is too generic to group."""
    if not body:
        return None
    k = _NOT_WORD.sub("", norm(body))
    k = _NOISE.sub("", k).replace("人民政府", "政府")
    if not k or not _PLACE.match(k):
        return None
    return k


def facts(report: Report, path: str | None = None) -> dict[str, Any]:
    """The part of a summary the series rules read, made from a Report."""
    return {
        "path": path or report.path,
        "body": report.body,
        "year": report.year,
        "template": report.template,
        "values": report.values(),
        "part2": report.tables["二"].values() if "二" in report.tables else {},
        "error": None,
    }


def groups(summaries: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Reports by body, each body's in year order (reports without a usable body or year are left out)."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for s in summaries:
        if s.get("error") is not None or not isinstance(s.get("year"), int):
            continue
        key = body_key(s.get("body"))
        if key is not None:
            out.setdefault(key, []).append(s)
    for items in out.values():
        items.sort(key=lambda s: (s["year"], s["path"]))
    return out


def _v(s: Mapping[str, Any], table: str, row: str, column: str) -> int | None:
    src = s.get("values", {}) if table != "二" else {"二": s.get("part2") or {}}
    v = (src.get(table) or {}).get(row, {}).get(column)
    return v if type(v) is int else None


def _name(path: str) -> str:
    return os.path.basename(path) or path


def _carry_over(prev: Mapping[str, Any], cur: Mapping[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    py, cy = prev["year"], cur["year"]
    pairs = {col: (_v(prev, "三", "四", col), _v(cur, "三", "二", col)) for col in COLUMNS}
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
            f"{py}年度报告（{_name(prev['path'])}）「四、结转下年度继续办理」「{col}」为 {a}，"
            f"本报告（{cy}年度）「二、上年结转政府信息公开申请数量」「{col}」为 {b}，两者应相等{also}",
            cells=(CellRef("三", "二", col),) + ((CellRef("三", "二", "总计"),) if also else ()),
            message_en=f"the {py} report ({_name(prev['path'])}) carries {a} over to next year in {col}; this {cy} "
                       f"report carries over {b} from last year",
            path=cur["path"],
        ))
    if prev.get("template") == cur.get("template") == "2021":
        for row, label in PART2_ROWS.items():
            last = _v(prev, "二", row, "现行有效件数")
            made, gone, now = (_v(cur, "二", row, c) for c in ("本年制发件数", "本年废止件数", "现行有效件数"))
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
                path=cur["path"],
            ))
    return out


def check_series(summaries: Iterable[Mapping[str, Any]]) -> dict[str, list[Finding]]:
    """Findings across reports, by the path of the report each is about (reports without any are left out)."""
    out: dict[str, list[Finding]] = {}
    for items in groups(summaries).values():
        by_year: dict[int, list[Mapping[str, Any]]] = {}
        for s in items:
            by_year.setdefault(s["year"], []).append(s)
        for year in sorted(by_year):
            for cur in by_year[year]:
                for prev in by_year.get(year - 1, ()):
                    found = _carry_over(prev, cur)
                    if found:
                        out.setdefault(cur["path"], []).extend(found)
    return out


_ORDER = {"error": 0, "warning": 1, "info": 2}


def attach(summary: dict[str, Any], findings: Iterable[Finding]) -> dict[str, Any]:
    """A summary with ``findings`` added to its findings (kept in severity order) and its counts."""
    found = [f.to_json() for f in findings]
    if not found:
        return summary
    merged = [*summary.get("findings", []), *found]
    merged.sort(key=lambda f: _ORDER.get(f["severity"], 3))
    counts = dict(summary.get("counts") or {"error": 0, "warning": 0, "info": 0})
    for f in found:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    summary["findings"] = merged
    summary["counts"] = counts
    return summary
