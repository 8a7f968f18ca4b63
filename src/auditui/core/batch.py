"""Path → load → parse → check, for one file or a batch (optionally across processes).

The CLI and the TUI both go through :func:`check_file`, so the interactive and the batch paths are one path.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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


BATCH_GC_THRESHOLD = 50_000


def tune_gc() -> None:
    """Set the cyclic collector up for checking many reports in this process.

    A report is some thousands of small tuples (tokens, spans, cells), nearly all freed by reference counting
    as soon as the report is done; none of them form cycles. With the default threshold (a young collection
    every 700 allocations) the collector walks each report's live objects many times over: about 8 % of the
    batch's time. Here a young collection comes every 50,000 allocations instead, and what is alive before
    the batch starts (modules, templates, the parser's caches) is frozen out of every collection. Cycles are
    still collected; memory stays flat (bench/run.py measures it)."""
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, gen1, gen2)


@contextmanager
def batch_gc() -> Iterator[None]:
    """:func:`tune_gc` for the duration of a batch, then the collector as it was."""
    before = gc.get_threshold()
    tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def check_file_summary(path: str) -> dict:
    return summary(check_file(path))


def check_many(paths: Iterable[str], jobs: int = 1, on_done: Callable[[int], None] | None = None,
               ) -> Iterator[Checked | dict]:
    """Check files in order. With ``jobs`` > 1 the work is spread over processes and JSON summaries
    (plain dicts) come back instead of Checked objects, which keeps what crosses the pipe small."""
    paths = list(paths)
    if jobs <= 1 or len(paths) < 2:
        with batch_gc():
            for p in paths:
                yield check_file(p)
                if on_done:
                    on_done(1)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs, initializer=tune_gc) as pool:
        for s in pool.map(check_file_summary, paths, chunksize=chunk):
            yield s
            if on_done:
                on_done(1)
