"""The output edge: a :class:`~auditui.core.batch.Checked` report as the JSON object of ``auditui check --format
json`` (the contract in ``docs/json.md``, validated against ``docs/check.schema.json``), and as TOML.

Nothing before this module turns a result into a dict: the batch, the series rules, the audit log and the TUI all
work on :class:`Checked`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tomli_w

from .batch import Checked

VERDICT_FIELDS = ("reason", "comment", "auditor", "time")


def to_json(c: Checked, verdicts: Sequence[Mapping[str, Any] | None] | None = None) -> dict[str, Any]:
    """The JSON object for one report. ``verdicts``, when given (``check --log-dir``), holds each finding's
    audit-log entry in findings order (None: no entry), added to the finding as ``status``, ``reason``,
    ``comment``, ``auditor``, ``time`` and ``stale``."""
    r = c.report
    if r is None:
        return {"path": c.path, "body": None, "year": None, "template": None, "values": {}, "findings": [],
                "error": c.error}
    findings = [f.to_json() for f in c.findings]
    if verdicts is not None:
        for fj, entry in zip(findings, verdicts, strict=True):
            entry = entry or {}
            fj["status"] = entry.get("status", "open")
            for name in VERDICT_FIELDS:
                fj[name] = entry.get(name, "")
            fj["stale"] = bool(entry.get("stale", False))
    return {
        "path": c.path,
        "body": r.body,
        "year": r.year,
        "template": r.template,
        "format": r.source.format,
        "encoding": r.source.encoding,
        "sha256": r.source.sha256,
        "values": r.values(),
        "part2": r.values(("二",)).get("二", {}),
        "counts": c.counts,
        "findings": findings,
        "error": None,
    }


def _drop_none(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _drop_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_drop_none(v) for v in x if v is not None]
    return x


def dumps_toml(reports: Sequence[dict[str, Any]]) -> str:
    """``auditui check --format toml``: the JSON objects as one TOML document (TOML has no null: omitted)."""
    return tomli_w.dumps({"report": [_drop_none(r) for r in reports]})
