"""The result of checking one file, :class:`Checked`: light on purpose (the model only, no parser, no rule), so
that a process that is sent results (the TUI, from its worker processes) need not import what made them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .model import Finding, Report, by_severity, counts

if TYPE_CHECKING:
    from .reuse import Prose


@dataclass(frozen=True, slots=True)
class Checked:
    """One report checked: its Report and findings, or the reason it could not be read.

    Picklable (worker processes send it back whole: :class:`~auditui.core.model.Report` pickles compactly).
    Findings across reports (:mod:`auditui.core.series`) join it with :meth:`with_findings`."""

    path: str
    report: Report | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    prose: Prose | None = None
    """The report's prose sentences as the checks across years compare them (:mod:`auditui.core.reuse`), when
    asked for (``check_file(path, prose=True)``): made where the report was parsed, since a report sent back by
    a worker process would be parsed again to find its sentences (:class:`~auditui.core.series.Facts` makes
    them from the report itself when they are not here)."""

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    def moved(self, path: str) -> Checked:
        """This result for a file of the same bytes and name at ``path`` (the parse cache keeps one)."""
        if path == self.path:
            return self
        return replace(self, path=path, report=self.report.moved(path) if self.report is not None else None)

    def with_findings(self, extra: Iterable[Finding]) -> Checked:
        """This report with ``extra`` findings added, all kept in severity order (a stable sort)."""
        extra = tuple(extra)
        if not extra:
            return self
        return replace(self, findings=by_severity((*self.findings, *extra)))


__all__ = ["Checked"]
