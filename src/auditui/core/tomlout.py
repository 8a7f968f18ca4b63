"""``auditui check --format toml``: the JSON summaries as one TOML document (TOML has no null: omitted)."""

from __future__ import annotations

import tomli_w

from .text import unsurrogate_all


def _drop_none(x):
    if isinstance(x, dict):
        return {k: _drop_none(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [_drop_none(v) for v in x if v is not None]
    return x


def dumps_reports(reports: list[dict]) -> str:
    """The summaries as TOML; a file name that is not UTF-8 is written with its bytes as ``\\xNN``."""
    return tomli_w.dumps({"report": [_drop_none(unsurrogate_all(r)) for r in reports]})
