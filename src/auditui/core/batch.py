"""Path → load → parse → check, for one file or a batch (optionally across processes).

The CLI and the TUI both go through :func:`check_file`, so the interactive and the batch paths are one path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .load import load
from .model import Finding, LoadError, Report
from .parse import parse
from .rules import check, counts


@dataclass(slots=True)
class Checked:
    """One report checked: its Report and findings, or the reason it could not be read."""

    path: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)


def check_file(path: str | os.PathLike) -> Checked:
    path = os.fspath(path)
    try:
        source = load(path)
    except LoadError as e:
        return Checked(path, error=e.reason)
    try:
        report = parse(source)
        findings = check(report)
    except RecursionError:
        return Checked(path, error="the report's structure is too deeply nested to read")
    return Checked(path, report, findings)


def summary(c: Checked) -> dict:
    """The JSON object of DESIGN.md §3 for one report (findings as dicts)."""
    r = c.report
    if r is None:
        return {"path": c.path, "body": None, "year": None, "template": None, "values": {}, "findings": [],
                "error": c.error}
    part2 = r.tables["二"].values() if "二" in r.tables else {}
    return {
        "path": c.path,
        "body": r.body,
        "year": r.year,
        "template": r.template,
        "format": r.source.format,
        "encoding": r.source.encoding,
        "sha256": r.source.sha256,
        "values": r.values(),
        "part2": part2,
        "counts": c.counts,
        "findings": [f.to_json() for f in c.findings],
        "error": None,
    }


def check_file_summary(path: str) -> dict:
    return summary(check_file(path))


def check_many(paths: Iterable[str], jobs: int = 1, on_done: Callable[[int], None] | None = None,
               ) -> Iterator[Checked | dict]:
    """Check files in order. With ``jobs`` > 1 the work is spread over processes and JSON summaries
    (plain dicts) come back instead of Checked objects, which keeps what crosses the pipe small."""
    paths = list(paths)
    if jobs <= 1 or len(paths) < 2:
        for p in paths:
            yield check_file(p)
            if on_done:
                on_done(1)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for s in pool.map(check_file_summary, paths, chunksize=chunk):
            yield s
            if on_done:
                on_done(1)
