"""Messages between the loader worker, the screens and the app (small dataclass messages).

Workers never call into a screen or the app: they post one of these. Screens ask the app for what outlives
them (opening a report, stepping to the next one) the same way: a screen's message bubbles up to the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from .entries import QueueEntry

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..core.checked import Checked
    from ..core.model import Finding
    from ..core.series import Across


@dataclass
class ReportsChecked(Message):
    """A batch of reports checked by the loader worker; ``done`` of ``total`` so far. ``whole`` are reports
    kept whole (source text and grids) for opening without checking them again."""

    entries: list[QueueEntry]
    done: int
    total: int
    whole: list[Checked] = field(default_factory=list)


@dataclass
class LoadingFinished(Message):
    """The loader worker has checked every report; ``series`` holds the findings across reports (carry-over,
    tables repeated, prose reused) by the path of the report each is about, ``across`` the whole result of the
    checks across years (:class:`~auditui.core.series.Across`: the grouping, each body's facts, the reuse)."""

    total: int
    series: dict[str, list[Finding]] = field(default_factory=dict)
    across: Across | None = None


@dataclass
class VerdictsChanged(Message):
    """The audit log of the report at ``path`` changed: the queue updates its counts."""

    entry: QueueEntry


@dataclass
class OpenReport(Message):
    """Open the report at ``path`` for review (from the queue)."""

    path: str


@dataclass
class StepReport(Message):
    """Replace the review of ``path`` by the report ``step`` places after it in the queue (-1: before)."""

    path: str
    step: int


@dataclass
class ReportReady(Message):
    """The app's worker has checked a report to open (``replace``: the review screen it replaces)."""

    checked: Checked
    replace: Screen | None = None


@dataclass
class Prefetched(Message):
    """The app's worker has read ahead the report after the one under review (kept for ``]``)."""

    checked: Checked
