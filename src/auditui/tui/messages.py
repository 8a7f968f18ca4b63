"""Messages between the loader worker, the screens and the app (small dataclass messages)."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from .entries import QueueEntry


@dataclass
class ReportsChecked(Message):
    """A batch of reports checked by the loader worker; ``done`` of ``total`` so far."""

    entries: list[QueueEntry]
    done: int
    total: int


@dataclass
class LoadingFinished(Message):
    """The loader worker has checked every report; ``series`` holds the findings across reports (carry-over,
    tables repeated, prose reused) by the path of the report each is about, ``across`` the whole result of the
    checks across years (:class:`~auditui.core.series.Across`: the grouping, each body's facts, the reuse)."""

    total: int
    series: dict[str, list] = field(default_factory=dict)
    across: object = None


@dataclass
class VerdictsChanged(Message):
    """The audit log of the report at ``path`` changed: the queue updates its counts."""

    entry: QueueEntry
