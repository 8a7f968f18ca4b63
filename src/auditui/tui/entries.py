"""What the queue knows about a report: a small summary, so that 1,000 reports cost little memory.

The full :class:`~auditui.core.checked.Checked` (source text, grids) is kept only for the few reports opened
recently (:class:`CheckedCache`); the queue holds a :class:`QueueEntry` per report.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the core is imported where it is used: the queue's first frame needs none of it
    from ..core.cache import CacheDir
    from ..core.checked import Checked
    from ..core.model import Finding, Span
    from ..core.reuse import Reuse
    from ..core.series import Across


@dataclass(frozen=True, slots=True)
class QueueEntry:
    path: str
    body: str = ""
    year: int | None = None
    template: str = ""
    errors: int = 0
    warnings: int = 0
    open: int = 0
    confirmed: int = 0
    dismissed: int = 0
    open_errors: int = 0
    """Errors still waiting for a verdict: the queue's default order puts most of these first."""
    stale: bool = False
    reviewed: bool = False
    """The report is marked reviewed (done) in its audit log."""
    error: str | None = None
    """Why the file could not be read (None: it could)."""
    log_error: str | None = None
    """Why the audit log could not be read (the counts then ignore it)."""

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def verdict_counts(findings: Sequence[Finding], statuses: Sequence[str]) -> dict[str, int]:
    c = {"open": 0, "confirmed": 0, "dismissed": 0, "open_errors": 0}
    for f, s in zip(findings, statuses, strict=True):
        c[s if s in c else "open"] += 1
        if f.severity == "error" and s == "open":
            c["open_errors"] += 1
    return c


def entry_of(checked: Checked, log_dir: str | os.PathLike | None, statuses: Sequence[str] | None = None,
             stale: bool | None = None, reviewed: bool = False) -> QueueEntry:
    """The queue's summary of ``checked``; verdicts from ``statuses`` if given (the review screen's, for the report
    as it shows it), else read from the log, with the counts of the report as the log's readings leave it."""
    if checked.report is None:
        return QueueEntry(path=checked.path, error=checked.error or "?")
    log_error = None
    if statuses is None:
        statuses = ["open"] * len(checked.findings)
        stale = False
        if log_dir is not None:
            from ..core.auditlog import LogError, read_review

            try:
                got = read_review(checked, log_dir)
            except LogError as e:
                log_error = e.reason
            except OSError as e:  # a log folder we may not read: the counts say "open"
                log_error = str(e)
            else:
                checked = got.checked
                statuses = [v["status"] for v in got.verdicts]
                stale, reviewed = got.stale, got.review.reviewed
    r = checked.report
    assert r is not None
    counts = checked.counts
    vc = verdict_counts(checked.findings, statuses)
    return QueueEntry(path=checked.path, body=r.body or "", year=r.year, template=r.template or "",
                      errors=counts.get("error", 0), warnings=counts.get("warning", 0), open=vc["open"],
                      confirmed=vc["confirmed"], dismissed=vc["dismissed"], open_errors=vc["open_errors"],
                      stale=bool(stale), reviewed=reviewed, log_error=log_error)


def safe_check(path: str, cache: CacheDir | None = None) -> Checked:
    """:func:`check_file` (through the parse cache ``cache``, if any), but a crash of the core on a strange file
    becomes an unreadable entry."""
    from ..core.batch import check_file
    from ..core.checked import Checked

    try:
        return check_file(path, cache=cache)
    except Exception as e:  # the TUI must survive any file: report it in the queue instead
        return Checked(path, error=f"{type(e).__name__}: {e}")


class CheckedCache:
    """The last few reports checked, by path (least recently used dropped first)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[str, Checked] = OrderedDict()

    def __contains__(self, path: object) -> bool:
        return path in self._items

    def get(self, path: str) -> Checked | None:
        c = self._items.get(path)
        if c is not None:
            self._items.move_to_end(path)
        return c

    def put(self, checked: Checked) -> None:
        self._items[checked.path] = checked
        self._items.move_to_end(checked.path)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def copied_spans(app, path: str) -> tuple[Reuse, tuple[Span, ...]] | None:
    """How much of the report at ``path`` is copied from its body's year before, and the copied sentences'
    spans, from what the queue found (None: no report of the year before in the queue, or still loading)."""
    queue = getattr(app, "queue", None)
    found: Across | None = getattr(queue, "across", None)
    if found is None:
        return None
    reuse = found.reuse.get(path)
    key = found.keys.get(path)
    if reuse is None or key is None:
        return None
    facts = next((f for f in found.groups[key] if f.path == path), None)
    if facts is None or facts.prose is None:
        return None
    return reuse, reuse.spans(facts.prose)


__all__ = ["CheckedCache", "QueueEntry", "copied_spans", "entry_of", "safe_check", "verdict_counts"]
