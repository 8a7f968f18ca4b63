"""The output edge: a :class:`~auditui.core.checked.Checked` report as the JSON object of ``auditui check --format
json`` (the contract in ``docs/json.md``, validated against ``docs/check.schema.json``), and as TOML.

Nothing before this module turns a result into a dict: the batch, the series rules, the audit log and the TUI all
work on :class:`Checked`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import tomli_w

from .checked import Checked
from .model import SEVERITY_ORDER, Finding, JSONObject
from .template import PART_PROACTIVE
from .text import unsurrogate_all

if TYPE_CHECKING:
    from .auditlog import Reading, ReviewState
    from .series import Across

VERDICT_FIELDS = ("reason", "comment", "auditor", "time")


def to_json(c: Checked, verdicts: Sequence[Mapping[str, Any] | None] | None = None,
            readings: Sequence[Reading] | None = None, review: ReviewState | None = None) -> dict[str, Any]:
    """The JSON object for one report. ``verdicts``, when given (``check --log-dir``), holds each finding's
    audit-log entry in findings order (None: no entry), added to the finding as ``status``, ``reason``,
    ``comment``, ``auditor``, ``time`` and ``stale``. ``readings`` and ``review`` (``check --log-dir`` too: the
    report's values and findings are then those of ``c`` with the readings applied, see
    :func:`~auditui.core.auditlog.read_review`) add ``readings``, ``blank_zero`` and ``reviewed``."""
    r = c.report
    if r is None:
        return {"path": c.path, "body": None, "year": None, "template": None, "values": {}, "findings": [],
                "error": c.error}
    findings = _findings(c.findings, verdicts)
    log = {} if review is None else log_json(readings or (), review)
    return {
        "path": c.path,
        "body": r.body,
        "year": r.year,
        "template": r.template,
        "format": r.source.format,
        "encoding": r.source.encoding,
        "sha256": r.source.sha256,
        "values": r.values(),
        "part2": r.values((PART_PROACTIVE,)).get(PART_PROACTIVE, {}),
        "counts": c.counts,
        "findings": findings,
        **log,
        "error": None,
    }


def log_json(readings: Sequence[Reading], review: ReviewState) -> dict[str, Any]:
    """What the audit log says of the report as a whole (docs/json.md): the auditor's ``readings`` of cells (each
    ``{cell, value, was, note, auditor, time, stale}``, value null: read as blank; ``was``: what the parse has),
    ``blank_zero`` (the blank cells of parts 三 and 四 read as 0: ``{auditor, time, stale}``, or null) and
    ``reviewed`` (the report marked done: ``{auditor, time, stale}``, or null)."""

    def state(on: bool, who: str, when: str) -> dict[str, Any] | None:
        return {"auditor": who, "time": when, "stale": review.stale} if on else None

    return {
        "readings": [{"cell": x.cell, "value": x.number, "was": x.was, "note": x.note, "auditor": x.auditor,
                      "time": x.time, "stale": x.stale} for x in readings],
        "blank_zero": state(review.blank_zero, review.blank_zero_by, review.blank_zero_at),
        "reviewed": state(review.reviewed, review.reviewed_by, review.reviewed_at),
    }


def _findings(findings: Sequence[Finding], verdicts: Sequence[Mapping[str, Any] | None] | None) -> list[JSONObject]:
    out = [f.to_json() for f in findings]
    if verdicts is not None:
        for fj, entry in zip(out, verdicts, strict=True):
            entry = entry or {}
            fj["status"] = entry.get("status", "open")
            for name in VERDICT_FIELDS:
                fj[name] = entry.get(name, "")
            fj["stale"] = bool(entry.get("stale", False))
    return out


def join(obj: dict[str, Any], extra: Sequence[Finding],
         verdicts: Sequence[Mapping[str, Any] | None] | None = None) -> dict[str, Any]:
    """A report's JSON object (:func:`to_json`) with ``extra`` findings (the checks across years) joined, as
    :meth:`Checked.with_findings` joins them to the report: all kept in severity order (a stable sort), the
    counts made again. ``verdicts``: the audit-log entries of ``extra``, as for :func:`to_json`. Changes ``obj``."""
    if extra:
        findings = [*obj["findings"], *_findings(extra, verdicts)]
        findings.sort(key=lambda f: SEVERITY_ORDER[f["severity"]])
        obj["findings"] = findings
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in findings:
            counts[f["severity"]] += 1
        obj["counts"] = counts
    return obj


def series_json(across: Across, path: str) -> dict[str, Any]:
    """``series`` and ``reuse`` of one report (docs/json.md): how the checks across years grouped it — its
    series key (the body's name normalised, or as the config's aliases say) and the years of that body in the
    run — and how much of its prose is in its body's report of the year before. Each null when there is none."""
    key = across.keys.get(path)
    reuse = across.reuse.get(path)
    prose = None
    if reuse is not None and key is not None:  # (a report has reuse figures only within a series)
        prose = next(f.prose for f in across.groups[key] if f.path == path)
    return {"series": {"key": key, "years": across.years(path)} if key is not None else None,
            "reuse": reuse.to_json(prose) if reuse is not None and prose is not None else None}


def _drop_none(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _drop_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_drop_none(v) for v in x if v is not None]
    return x


def dumps_toml(reports: Sequence[dict[str, Any]]) -> str:
    """``auditui check --format toml``: the JSON objects as one TOML document (TOML has no null: omitted; a file
    name that is not UTF-8 is written with its bytes as ``\\xNN``)."""
    return tomli_w.dumps({"report": [_drop_none(unsurrogate_all(r)) for r in reports]})
