"""The exports of ``auditui export`` (and the TUI's ``e``): every audit log of a folder merged into one TOML,
CSV or Markdown document. The command itself (arguments, messages, exit status) is in :mod:`auditui.cli`.

Public API::

    export(logs, fmt, *, lang="en") -> str          fmt: "toml" | "csv" | "md"
    export_bytes(logs, fmt, *, lang="en") -> bytes  UTF-8; CSV with a BOM so spreadsheets keep the Chinese
    infer_format(path) -> str                       from the suffix: .csv, .toml, else md

Reports are ordered by body, year and path. For each report: its identity (path, sha256, body, year,
template, log file), whether it was marked reviewed (by whom, when) and its blank cells read as 0, whether
something is stale (made on other bytes of the report: to look at again), counts by status (open, confirmed,
dismissed, resolved — a finding the current parse no longer produces counts as resolved whatever its verdict —
and stale), every finding with status, verdict, reason, comment, auditor, time and the suggested corrections of
an arithmetic error, the auditor's readings of cells (old value → new value, who, when, note), and the free
notes. History stays in the logs.

``lang`` (``zh`` or ``en``) is the language of everything auditui writes: a finding's message, the words
around a suggested correction, and the Markdown's headings and labels. Ids (rules, tables, rows, columns,
statuses in TOML and CSV) stay as they are; what the auditor wrote is never translated.

* TOML: ``schema``, ``[counts]`` (all reports), ``[[report]]`` with ``[report.counts]``, ``[report.review]``
  (when the report was marked reviewed or its blanks read as 0), ``[[report.finding]]``, ``[[report.reading]]``
  and ``[[report.note]]``.
* CSV: one row per finding, per reading, per note, and one for the report marked reviewed and one for its blank
  cells read as 0 (``kind`` = ``finding`` / ``reading`` / ``note`` / ``reviewed`` / ``blank_zero``; a note's
  target and a reading's cell are split into table/row/column, a note's text and a reading's note are in
  ``comment``, a reading's old and new values in ``was`` and ``value``), each repeating the report's identity. Every field
  is quoted, and a field that a spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return: a report's own title or an auditor's comment may) is written with a
  ``'`` in front, as OWASP recommends against CSV injection.
* Markdown: a summary table, then one section per report: reviewed and blank-as-zero, its findings, its
  readings (``三/三.七/总计: ?1O → 10``), its notes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from .. import __version__
from .auditlog import DISPLAY_STATUSES, Entry, LogData, Reading, now

FORMATS = ("toml", "csv", "md")
COUNT_KEYS = (*DISPLAY_STATUSES, "stale")

LANGS = ("zh", "en")
CSV_COLUMNS = ("report_path", "body", "year", "template", "report_sha256", "log_file", "kind", "key", "rule",
               "severity", "table", "row", "column", "message", "fixes", "status", "verdict", "stale", "reason",
               "comment", "auditor", "time", "was", "value")


def _sorted(logs: Sequence[LogData]) -> list[LogData]:
    return sorted(logs, key=lambda d: (d.report.body, d.report.year or 0, d.report.path, d.path.name))


def _totals(logs: Sequence[LogData]) -> dict[str, int]:
    total = dict.fromkeys(COUNT_KEYS, 0)
    for d in logs:
        for k, v in d.counts().items():
            total[k] += v
    return total


def export(logs: Sequence[LogData], fmt: str, *, lang: str | None = "en") -> str:
    """The merged document as text (CSV without its BOM: see :func:`export_bytes`), in ``lang``."""
    t = LABELS.get(lang or "en", LABELS["en"])
    if fmt == "toml":
        return _toml(logs, t)
    if fmt == "csv":
        return _csv(logs, t)
    if fmt == "md":
        return _md(logs, t)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def export_bytes(logs: Sequence[LogData], fmt: str, *, lang: str | None = "en") -> bytes:
    """UTF-8 bytes; CSV starts with a BOM so that spreadsheet programs read it as UTF-8."""
    return export(logs, fmt, lang=lang).encode("utf-8-sig" if fmt == "csv" else "utf-8")


def infer_format(output: str | Path | None) -> str:
    """The format a file name asks for: ``.csv``, ``.toml``, else Markdown."""
    suffix = Path(output).suffix.lower() if output else ""
    return {".csv": "csv", ".toml": "toml", ".md": "md", ".markdown": "md"}.get(suffix, "md")


def _message(e: Entry, t: dict[str, str]) -> str:
    return e.message_en if t["lang"] == "en" and e.message_en else e.message


def _fixes(e: Entry, t: dict[str, str]) -> str:
    """The suggested corrections in words: ``possible fix: 三.四.1/自然人 2 → 0; or …`` (empty if none)."""
    if not e.fixes:
        return ""
    return t["fix"].format(fixes=t["fix_or"].join(e.fixes))


# ------------------------------------------------------------------------------------------------ TOML


def _toml(logs: Sequence[LogData], t: dict[str, str]) -> str:
    reports = []
    for d in _sorted(logs):
        r = d.report.to_toml()
        del r["auditui"]
        r["log"] = d.path.name
        r["stale"] = d.stale
        r["counts"] = d.counts()
        if d.review:
            r["review"] = {k: v for k, v in d.review.to_toml().items() if k in REVIEW_OUT}
        if d.entries:
            r["finding"] = [_finding_out(e, t) for e in d.entries]
        if d.readings:
            r["reading"] = [{k: v for k, v in x.to_toml().items() if k in READING_OUT} for x in d.readings]
        if d.notes:
            r["note"] = [n.to_toml() for n in d.notes]
        reports.append(r)
    doc: dict[str, Any] = {"schema": 1, "auditui": __version__, "generated": now(), "lang": t["lang"],
                           "counts": _totals(logs)}
    if reports:
        doc["report"] = reports
    return tomli_w.dumps(doc)


REVIEW_OUT = ("reviewed", "reviewed_by", "reviewed_at", "blank_zero", "blank_zero_by", "blank_zero_at", "stale")
READING_OUT = ("cell", "was", "value", "note", "auditor", "time", "stale")


def _finding_out(e: Entry, t: dict[str, str]) -> dict[str, Any]:
    """An entry for the export: ``status`` as displayed (resolved wins), ``verdict`` the auditor's, ``fixes``
    the suggested corrections (ids and numbers, likeliest first)."""
    return {"key": e.key, "rule": e.rule, "severity": e.severity, "table": e.table, "row": e.row,
            "column": e.column, "message": _message(e, t), "fixes": list(e.fixes), "status": e.display_status,
            "verdict": e.status, "reason": e.reason, "comment": e.comment, "auditor": e.auditor, "time": e.time,
            "resolved": e.resolved, "stale": e.stale}


# ------------------------------------------------------------------------------------------------ CSV


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A CSV field a spreadsheet shows as text: one that would start a formula gets a ``'`` in front (OWASP's
    advice against CSV injection; the ``'`` does not show in the cell)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(logs: Sequence[LogData], t: dict[str, str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    w.writerow(CSV_COLUMNS)
    for d in _sorted(logs):
        r = d.report
        ident = [r.path, r.body, "" if r.year is None else str(r.year), r.template, r.sha256, d.path.name]
        for e in d.entries:
            row = [*ident, "finding", e.key, e.rule, e.severity, e.table, e.row, e.column, _message(e, t),
                   _fixes(e, t), e.display_status, e.status, "yes" if e.stale else "", e.reason, e.comment,
                   e.auditor, e.time, "", ""]
            w.writerow([csv_cell(x) for x in row])
        v = d.review
        for kind, on, who, when in (("reviewed", v.reviewed, v.reviewed_by, v.reviewed_at),
                                    ("blank_zero", v.blank_zero, v.blank_zero_by, v.blank_zero_at)):
            if on:
                row = [*ident, kind, "", "", "", "", "", "", "", "", "", "", "yes" if v.stale else "", "", "",
                       who, when, "", ""]
                w.writerow([csv_cell(x) for x in row])
        for x in d.readings:
            parts = [*x.cell.split("/", 2), "", "", ""][:3]
            row = [*ident, "reading", x.cell, "", "", *parts, "", "", "", "", "yes" if x.stale else "", "", x.note,
                   x.auditor, x.time, x.was, x.value]
            w.writerow([csv_cell(y) for y in row])
        for n in d.notes:
            parts = [*n.target.split("/", 2), "", "", ""][:3]
            row = [*ident, "note", n.id, "", "", *parts, "", "", "", "", "", "", n.text, n.auditor, n.time, "", ""]
            w.writerow([csv_cell(x) for x in row])
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ Markdown

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "lang": "en",
        "title": "Audit log: government information disclosure annual reports",
        "generated": "Generated {time} by auditui {version} from {n} audit log(s).",
        "summary": "Summary",
        "report": "Report",
        "year": "Year",
        "template": "Template",
        "total": "Total",
        "open": "Open", "confirmed": "Confirmed", "dismissed": "Dismissed", "resolved": "Resolved",
        "stale": "Stale",
        "file": "File", "log": "Log", "body_unknown": "(body unknown)",
        "stale_warning": "The report changed since the log was written: {n} verdict(s) carried over must "
                         "be reviewed (marked stale).",
        "findings": "Findings", "no_findings": "No findings.",
        "notes": "Notes",
        "reason": "Reason", "comment": "Comment", "by": "By",
        "verdict_was": "verdict before it was resolved: {v}",
        "status_open": "open", "status_confirmed": "confirmed (the report is wrong)",
        "status_dismissed": "dismissed (not a real problem)", "status_resolved": "resolved (no longer found)",
        "error": "error", "warning": "warning", "info": "info",
        "fix": "possible fix: {fixes}", "fix_or": "; or ",
        "none": "No audit logs.",
        "reviewed": "Reviewed", "reviewed_by": "Marked reviewed by {who} {when}",
        "blank_zero": "The blank cells of parts 三 and 四 read as 0 by {who} {when}",
        "readings": "Readings", "blank": "blank", "note": "Note",
        "state_stale": "set on other bytes of the report: to look at again",
    },
    "zh": {
        "lang": "zh",
        "title": "政府信息公开工作年度报告审计记录",
        "generated": "由 auditui {version} 于 {time} 根据 {n} 份审计日志生成。",
        "summary": "汇总",
        "report": "报告",
        "year": "年度",
        "template": "模板",
        "total": "合计",
        "open": "待核", "confirmed": "确认有误", "dismissed": "排除", "resolved": "已消除", "stale": "待复核",
        "file": "文件", "log": "日志", "body_unknown": "（机关未识别）",
        "stale_warning": "日志写入后报告已变动：沿用的 {n} 项结论需要复核（标为待复核）。",
        "findings": "问题", "no_findings": "无问题。",
        "notes": "备注",
        "reason": "理由", "comment": "意见", "by": "审计人",
        "verdict_was": "消除前的结论：{v}",
        "status_open": "待核", "status_confirmed": "确认有误", "status_dismissed": "排除（非实际问题）",
        "status_resolved": "已消除（本次解析不再出现）",
        "error": "错误", "warning": "警告", "info": "提示",
        "fix": "可能的修正：{fixes}", "fix_or": "；或 ",
        "none": "没有审计日志。",
        "reviewed": "已审", "reviewed_by": "{who} 于 {when} 标记为已审",
        "blank_zero": "第三、四部分的空白单元格由 {who} 于 {when} 按 0 读取",
        "readings": "读数", "blank": "空白", "note": "说明",
        "state_stale": "在报告改动前设定，待复核",
    },
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")


def _visible(s: str) -> str:
    """Control characters as their visible Control Pictures (␁, ␛, ␡); CRLF and CR as a line break."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(chr(0x2400 + ord(c)) if (ord(c) < 0x20 and c not in "\n\t") else ("␡" if c == "\x7f" else c)
                   for c in s)


def _md_inline(s: str) -> str:
    """Text for a table cell or a line: special characters escaped, line breaks as <br>."""
    s = _ENTITY.sub("&amp;", _MD_SPECIAL.sub(r"\\\1", _visible(s)))
    return "<br>".join(line.strip() for line in s.split("\n"))


def _md_block(s: str, indent: str) -> list[str]:
    """Multi-line text as a block quote, line for line, so that nothing the auditor wrote is re-formatted."""
    out = []
    for line in _ENTITY.sub("&amp;", _MD_SPECIAL.sub(r"\\\1", _visible(s))).split("\n"):
        line = line.replace("\t", "    ")
        stripped = line.lstrip(" ")
        line = "\u00a0" * (len(line) - len(stripped)) + stripped  # indentation must not make a code block
        line = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        out.append(f"{indent}> {line}".rstrip())
    return out


def _md(logs: Sequence[LogData], t: dict[str, str]) -> str:
    logs = _sorted(logs)
    out = [f"# {t['title']}", "", t["generated"].format(time=now(), version=__version__, n=len(logs)), ""]
    if not logs:
        out += [t["none"], ""]
        return "\n".join(out)
    cols = ("open", "confirmed", "dismissed", "resolved", "stale")
    out += [f"## {t['summary']}", "",
            f"| # | {t['report']} | {t['year']} | {t['template']} | " + " | ".join(t[c] for c in cols)
            + f" | {t['reviewed']} |",
            "|---:|---|---|---|" + "---:|" * len(cols) + ":---:|"]
    for i, d in enumerate(logs, 1):
        c = d.counts()
        r = d.report
        out.append(f"| {i} | {_md_inline(r.body or t['body_unknown'])} ({_md_inline(r.path)}) | "
                   f"{r.year or ''} | {_md_inline(r.template)} | " + " | ".join(str(c[k]) for k in cols)
                   + f" | {'✔' if d.review.reviewed else ''} |")
    total = _totals(logs)
    reviewed = sum(1 for d in logs if d.review.reviewed)
    out.append(f"| | **{t['total']}** | | | " + " | ".join(f"**{total[k]}**" for k in cols)
               + f" | **{reviewed}** |")
    out.append("")
    for i, d in enumerate(logs, 1):
        out += _md_report(i, d, t)
    return "\n".join(out)


def _md_report(i: int, d: LogData, t: dict[str, str]) -> list[str]:
    r = d.report
    c = d.counts()
    title = _md_inline(r.body or t["body_unknown"]) + (f" · {r.year}" if r.year is not None else "")
    out = [f"## {i}. {title}", "",
           f"- {t['file']}: {_md_inline(r.path)}",
           f"- SHA-256: `{r.sha256}`" if re.fullmatch(r"[0-9a-f]*", r.sha256) else
           f"- SHA-256: {_md_inline(r.sha256)}",
           f"- {t['template']}: {_md_inline(r.template)} · {t['log']}: {_md_inline(d.path.name)}",
           "- " + " · ".join(f"{t[k]} {c[k]}" for k in ("open", "confirmed", "dismissed", "resolved", "stale")),
           ""]
    v = d.review
    marks = []
    if v.reviewed:
        marks.append(t["reviewed_by"].format(who=_md_inline(v.reviewed_by), when=_md_inline(v.reviewed_at)))
    if v.blank_zero:
        marks.append(t["blank_zero"].format(who=_md_inline(v.blank_zero_by), when=_md_inline(v.blank_zero_at)))
    for m in marks:
        out.append(f"- **{m}**" + (f" · **{t['stale']}** ({t['state_stale']})" if v.stale else ""))
    if marks:
        out.append("")
    if d.stale:
        out += [f"> **{t['stale']}**: {t['stale_warning'].format(n=c['stale'])}", ""]
    out += [f"### {t['findings']}", ""]
    if not d.entries:
        out += [t["no_findings"], ""]
    for j, e in enumerate(d.entries, 1):
        where = "/".join(x for x in (e.table, e.row, e.column) if x and x != "-")
        status = t[f"status_{e.display_status}"]
        head = f"{j}. **{status}**"
        if e.stale:
            head += f" · **{t['stale']}**"
        head += f" · {t.get(e.severity, _md_inline(e.severity))} · {_md_inline(e.rule)}"
        if where:
            head += f" · {_md_inline(where)}"
        out.append(head)
        if e.message:
            out.append(f"   {_md_inline(_message(e, t))}")
        if e.fixes:
            out.append(f"   - {_md_inline(_fixes(e, t))}")
        if e.resolved and e.status != "open":
            out.append(f"   - {t['verdict_was'].format(v=t['status_' + e.status])}")
        if e.reason:
            out.append(f"   - {t['reason']}:")
            out += _md_block(e.reason, "     ")
        if e.comment:
            out.append(f"   - {t['comment']}:")
            out += _md_block(e.comment, "     ")
        if e.auditor or e.time:
            out.append(f"   - {t['by']}: {_md_inline(e.auditor)} {_md_inline(e.time)}".rstrip())
        out.append("")
    if d.readings:
        out += [f"### {t['readings']}", ""]
        out += [_md_reading(x, t) for x in d.readings]
        out.append("")
    if d.notes:
        out += [f"### {t['notes']}", ""]
        for n in d.notes:
            out.append(f"- **{_md_inline(n.target)}** ({_md_inline(n.auditor)} {_md_inline(n.time)}):")
            out += _md_block(n.text, "  ")
        out.append("")
    return out


def _md_reading(x: Reading, t: dict[str, str]) -> str:
    """``- **三/三.七/总计**: ?1O → 10 · By: 李四 2025-… · Note: …`` (∅: nothing the parse could read)."""
    new = t["blank"] if x.value == "blank" else x.value
    line = f"- **{_md_inline(x.cell)}**: {_md_inline(x.was) or '∅'} → {_md_inline(new)}"
    if x.stale:
        line += f" · **{t['stale']}**"
    line += f" · {t['by']}: {_md_inline(x.auditor)} {_md_inline(x.time)}".rstrip()
    if x.note:
        line += f" · {t['note']}: {_md_inline(x.note)}"
    return line


__all__ = ["CSV_COLUMNS", "FORMATS", "LANGS", "csv_cell", "export", "export_bytes", "infer_format"]
