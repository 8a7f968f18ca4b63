"""The data that flows through auditui: Source → Report → Finding.

Everything here is immutable: small frozen dataclasses, and NamedTuples for the values made by the hundred
per report (Span, CellRef, Cell, Row), whose construction costs a fifth of a frozen dataclass's.
No module of ``auditui.core`` imports textual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple, TypeVar

from .errors import FileProblem

Severity = Literal["error", "warning", "info"]
CellStatus = Literal["ok", "blank", "bad", "missing"]

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
"""Findings are listed errors first, then warnings, then info lines."""


def by_severity(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``findings`` in severity order, each severity's in the order given (a stable sort)."""
    return tuple(sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]))


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    c = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        c[f.severity] += 1
    return c


def cell_path(table: str | None, row: str | None = None, column: str | None = None) -> str:
    """``三/三.七/总计``, ``三/三.七`` or ``三``: where a cell, row or table is, as the findings, the audit log's note
    targets and every listing write it (absent parts, ``None``, ``""`` or ``"-"``, left out)."""
    return "/".join(x for x in (table, row, column) if x and x != "-")


_T = TypeVar("_T")

make = tuple.__new__
"""``make(Span, (line, start, end))`` is ``Span(line, start, end)`` made from a ready tuple without the
NamedTuple's Python-level ``__new__``, in a third of the time: for the spans, cells and tokens the parser makes
by the hundred per report (nowhere else)."""


class Span(NamedTuple):
    """A range of characters on one line of a Source's text: line is 0-based, [start, end) are columns."""

    line: int
    start: int
    end: int


class LoadError(FileProblem):
    """A report file that could not be read: ``path`` and a one-line ``reason``."""


class TookTooLong(LoadError):
    """A file whose reading was stopped for the time it took: on a machine less busy it may read (so the parse
    cache does not keep this answer)."""


@dataclass(frozen=True, slots=True, eq=False)
class Source:
    """The text of a report as shown to the auditor, with where it came from.

    ``text`` uses ``\\n`` line ends; every span in a Report points into it. ``sha256`` is the hash of the
    file's bytes (not of ``text``), so the audit log can tell when the file changed.
    ``pages`` holds the index of the first line of each page for paged formats (PDF), else is empty.
    """

    path: str
    text: str
    encoding: str = "utf-8"
    format: str = "text"
    sha256: str = ""
    pages: tuple[int, ...] = ()
    _lines: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def lines(self) -> tuple[str, ...]:
        """The text's lines (made on first use: a report held only for its values never needs them)."""
        lines = self._lines
        if lines is None:
            lines = tuple(self.text.split("\n"))
            object.__setattr__(self, "_lines", lines)
        return lines

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", *, encoding: str = "utf-8", format: str = "text",
                  sha256: str | None = None, pages: tuple[int, ...] = ()) -> Source:
        """A Source for in-memory text (tests, pasted text); the hash (unless given) is of the UTF-8 bytes."""
        if sha256 is None:
            sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(path=path, text=text, encoding=encoding, format=format, sha256=sha256, pages=pages)

    def snippet(self, span: Span) -> str:
        return self.lines[span.line][span.start : span.end]

    def __reduce__(self) -> tuple[type[Source], tuple[str, str, str, str, str, tuple[int, ...]]]:
        # the lines are made again from ``text`` on the other side: half the bytes of a pickled report
        return (Source, (self.path, self.text, self.encoding, self.format, self.sha256, self.pages))


Candidates = tuple[tuple[int | None, ...], ...]
"""The ways run-together digits can be cut into a row's (or a run's) cells, each as its values in column order
(None: a cell read as blank)."""

JSONObject = dict[str, Any]
"""A JSON object as made for the output (``to_json``) or read back from it."""


class CellRef(NamedTuple):
    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


class Cell(NamedTuple):
    """One cell of a template grid.

    ``value`` is None when the cell is blank, unreadable or missing: never 0 by default. ``raw`` is the text
    as it stood in the source; ``span`` where it stood (None for a cell that was not found at all).
    """

    ref: CellRef
    value: int | float | None
    raw: str = ""
    span: Span | None = None
    status: CellStatus = "ok"
    note: str = ""


class Row(NamedTuple):
    """One row of a table (a NamedTuple: some forty are made per report)."""

    id: str
    label: str
    cells: tuple[Cell, ...]
    found: bool = True
    label_span: Span | None = None
    spans: tuple[Span, ...] = ()
    """Every span of the source that belongs to this row: label fragments and values."""
    shape: tuple[int, int] | None = None
    """(numbers found, numbers expected) when the row's shape was wrong, else None."""
    raw_values: tuple[str, ...] = ()
    """The value tokens as read, whether or not they could be placed in columns."""
    candidates: Candidates = ()
    """For a row whose digits ran together and could be cut into cells in several ways: those ways (the row's
    cells are then unread), for the auditor to choose from."""
    split: str = ""
    """How run-together digits were cut into the row's cells: "" (they were not), "split" (the one way they can
    be), "premise" (the one way that fits the row's own total, which is then no check)."""

    def cell(self, column: str) -> Cell:
        for c in self.cells:
            if c.ref.column is column or c.ref.column == column:
                return c
        raise KeyError(column)

    def value(self, column: str) -> int | float | None:
        return self.cell(column).value


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    found: bool = True
    span: Span | None = None
    _index: dict[str, Row] = field(init=False, repr=False, compare=False)
    _values: dict[str, dict[str, int | float | None]] | None = field(default=None, init=False, repr=False,
                                                                     compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {r.id: r for r in self.rows})

    def row(self, row_id: str) -> Row:
        return self._index[row_id]

    def get(self, row_id: str) -> Row | None:
        return self._index.get(row_id)

    def value(self, row_id: str, column: str) -> int | float | None:
        row = self.get(row_id)
        if row is None:
            return None
        try:
            return row.value(column)
        except KeyError:
            return None

    def values(self) -> dict[str, dict[str, int | float | None]]:
        """``{row: {column: value}}``, made once (the JSON output and the checks across years both read it): the
        caller must not change it."""
        values = self._values
        if values is None:
            values = {r.id: {c.ref.column: c.value for c in r.cells} for r in self.rows}
            object.__setattr__(self, "_values", values)
        return values


@dataclass(frozen=True, slots=True)
class Marker:
    """A piece of text that told the parser something (a template marker, the title, the year)."""

    kind: str
    text: str
    span: Span
    template: str | None = None


Values = dict[str, dict[str, dict[str, int | float | None]]]
"""``{table: {row: {column: value}}}``: a report's grids as numbers (None: blank, unreadable or missing)."""


class Report:
    """A parsed report: its body, year, template, tables (parts 二, 三, 四) and what told the parser so.

    Immutable. A report that :func:`~auditui.core.parse.parse` made is rebuilt on the other side of a pickle
    (a worker process of ``check --jobs``, a cache) from its source and the few values every caller reads —
    body, year, template, the grids' values — and parses its source again for its tables, cells and spans only
    when they are first read: shipping a report's few hundred cells, spans and references costs more than
    parsing it (a Python call per NamedTuple each way), and a batch that only prints values never reads them.
    """

    __slots__ = ("_cells", "_derived", "_int_values", "_markers", "_rebuild", "_tables", "_values", "body",
                 "body_span", "source", "template", "year", "year_span")

    def __init__(self, source: Source, body: str, year: int | None, template: str, tables: dict[str, Table] | None,
                 markers: tuple[Marker, ...] | None = (), body_span: Span | None = None,
                 year_span: Span | None = None, *, rebuild: Callable[[Source], Report] | None = None) -> None:
        """``rebuild``: the pure function of the source that made this report (``parse``), if one did; then
        ``tables`` and ``markers`` may be None, to be made again from the source when first read."""
        self.source, self.body, self.year, self.template = source, body, year, template
        self.body_span, self.year_span = body_span, year_span
        self._tables: dict[str, Table] | None = tables
        self._markers: tuple[Marker, ...] | None = markers
        self._rebuild = rebuild
        self._values: Values | None = None
        self._cells: dict[tuple[str, str, str], Cell] | None = None
        self._int_values: dict[CellRef, int] | None = None
        self._derived: dict[str, Any] = {}
        """What the rules derive from the report once for several of them (e.g. its prose split into sentences),
        by name; never shipped with the report."""

    def derived(self, name: str, make: Callable[[Report], _T]) -> _T:
        """``make(self)``, made once for this report under ``name``."""
        got: _T | None = self._derived.get(name)
        if got is None:
            got = self._derived[name] = make(self)
        return got

    def __setattr__(self, name: str, value: object) -> None:
        if name[0] != "_" and hasattr(self, name):
            raise AttributeError(f"Report.{name} cannot be changed")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"Report(path={self.path!r}, body={self.body!r}, year={self.year!r}, template={self.template!r})"

    def _parse_again(self) -> Report:
        if self._rebuild is None:
            raise TypeError("a Report without its tables needs the function that made it (rebuild)")
        again = self._rebuild(self.source)
        self._tables, self._markers = again.tables, again.markers
        return again

    @property
    def tables(self) -> dict[str, Table]:
        tables = self._tables
        if tables is None:
            tables = self._parse_again().tables
        return tables

    @property
    def markers(self) -> tuple[Marker, ...]:
        markers = self._markers
        if markers is None:
            markers = self._parse_again().markers
        return markers

    @property
    def int_values(self) -> dict[CellRef, int]:
        """Every cell holding a whole number, by reference (what the arithmetic rules add up)."""
        if self._int_values is None:
            self._int_values = {c.ref: c.value for t in self.tables.values() for r in t.rows
                                for c in r.cells if c.value.__class__ is int}
        return self._int_values

    @property
    def path(self) -> str:
        return self.source.path

    def cell(self, ref: CellRef | tuple[str, str, str]) -> Cell | None:
        if self._cells is None:  # made on first use: a batch that finds nothing never needs it
            self._cells = {c.ref: c for t in self.tables.values() for r in t.rows for c in r.cells}
        return self._cells.get(ref)

    def values(self, tables: Iterable[str] | None = None) -> Values:
        """``{table: {row: {column: value}}}`` for ``tables`` (None: 三 and 四, the JSON contract, docs/json.md);
        the caller must not change it."""
        if tables is None:
            from .template import PART_LITIGATION, PART_REQUESTS  # (the template imports this module)
            tables = (PART_REQUESTS, PART_LITIGATION)
        if self._values is None:
            self._values = {t.id: t.values() for t in self.tables.values()}
        return {t: self._values[t] for t in tables if t in self._values}

    def moved(self, path: str) -> Report:
        """This report as read from ``path``: the same bytes under another name (the parse cache keeps a
        report once for every copy of a file; see :mod:`auditui.core.cache`)."""
        source = replace(self.source, path=path)
        if self._rebuild is None:
            return Report(source, self.body, self.year, self.template, self.tables, self.markers, self.body_span,
                          self.year_span)
        r = Report(source, self.body, self.year, self.template, self._tables, self._markers, self.body_span,
                   self.year_span, rebuild=self._rebuild)
        r._values = self._values
        return r

    def whole(self) -> Report:
        """This report with its tables and markers, pickled whole: a process it is sent to (the TUI, from the
        worker that read its one report) gets it without importing the parser to make them again (some tens of
        milliseconds of a start; shipping one report's cells costs a few)."""
        if self._rebuild is None:
            return self
        r = Report(self.source, self.body, self.year, self.template, self.tables, self.markers, self.body_span,
                   self.year_span)
        r._values = self._values
        return r

    def __reduce__(self) -> tuple[Callable[..., Report], tuple[object, ...]]:
        if self._rebuild is None:  # made by hand (tests), or made whole: sent whole
            return (_report, (self.source, self.body, self.year, self.template, self.tables, self.markers,
                              self.body_span, self.year_span))
        # the values of every table: worked out from the tables, or as this report was itself sent (a report
        # from the cache that a worker process sends on, its tables not parsed again)
        values = self.values(self._tables) if self._tables is not None else self._values
        return (_report_to_parse_again, (self._rebuild, self.source, self.body, self.year, self.template, values,
                                         _flat(self.body_span), _flat(self.year_span)))


def _report(source: Source, body: str, year: int | None, template: str, tables: dict[str, Table],
            markers: tuple[Marker, ...], body_span: Span | None, year_span: Span | None) -> Report:
    return Report(source, body, year, template, tables, markers, body_span, year_span)


def _report_to_parse_again(rebuild: Callable[[Source], Report], source: Source, body: str, year: int | None,
                           template: str, values: Values, body_span: tuple[int, int, int] | None,
                           year_span: tuple[int, int, int] | None) -> Report:
    r = Report(source, body, year, template, None, None, _span(body_span), _span(year_span), rebuild=rebuild)
    r._values = values
    return r


def _flat(span: Span | None) -> tuple[int, int, int] | None:
    return None if span is None else (span[0], span[1], span[2])


def _span(t: tuple[int, int, int] | None) -> Span | None:
    return None if t is None else Span._make(t)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A correction of one value that would make every arithmetic rule hold (see :mod:`auditui.core.suggest`).

    ``also`` lists the cells that carry the same value and change with it (a row's own 总计), else is empty.
    """

    cell: CellRef
    current: int | float | None
    proposed: int
    changed_digits: int
    also: tuple[Suggestion, ...] = ()

    def to_json(self) -> JSONObject:
        return {"cell": str(self.cell), "current": self.current, "proposed": self.proposed,
                "changed_digits": self.changed_digits, "also": [a.to_json() for a in self.also]}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    table: str | None
    row: str | None
    column: str | None
    expected: int | float | str | None
    actual: int | float | str | None
    """What the arithmetic adds up to and what the report states; for ``template-year``, the template ids."""
    message: str
    cells: tuple[CellRef, ...] = ()
    evaluable: bool = True
    """False when the rule could not be evaluated (a cell it needs is blank or unreadable)."""
    spans: tuple[Span, ...] = ()
    """Extra source spans (a sentence of prose, a title) beyond those of ``cells``."""
    suggestions: tuple[Suggestion, ...] = ()
    message_en: str = ""
    path: str = ""
    """For findings across reports: which report the finding is about (empty: the report checked)."""
    candidates: Candidates = ()
    """For a row whose run-together digits could be cut in several ways: each way's values, in column order."""

    def __reduce__(self) -> tuple[Callable[..., Finding], tuple[object, ...]]:
        # cell references as plain tuples: pickling a NamedTuple costs a Python call each (see Report)
        return (_finding_from_wire, (self.rule, self.severity, self.table, self.row, self.column, self.expected,
                                     self.actual, self.message, tuple(map(tuple, self.cells)), self.evaluable,
                                     tuple(map(tuple, self.spans)), self.suggestions, self.message_en, self.path,
                                     self.candidates))

    @property
    def key(self) -> str:
        """A stable identity for the audit log: rule/table/row/column."""
        return "/".join((self.rule, self.table or "-", self.row or "-", self.column or "-"))

    def to_json(self) -> JSONObject:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "expected": self.expected,
            "actual": self.actual,
            "message": self.message,
            "evaluable": self.evaluable,
            "cells": list(map("/".join, self.cells)),  # (str(c) each, without a Python call per cell)
            "suggestions": [s.to_json() for s in self.suggestions],
            **({"candidates": [list(c) for c in self.candidates]} if self.candidates else {}),
        }


def _finding_from_wire(rule: str, severity: Severity, table: str | None, row: str | None, column: str | None,
                       expected: int | float | str | None, actual: int | float | str | None, message: str,
                       cells: tuple[tuple[str, str, str], ...], evaluable: bool, spans: tuple[tuple[int, int, int], ...],
                       suggestions: tuple[Suggestion, ...], message_en: str, path: str, candidates: Candidates
                       ) -> Finding:
    return Finding(rule, severity, table, row, column, expected, actual, message, tuple(map(CellRef._make, cells)),
                   evaluable, tuple(map(Span._make, spans)), suggestions, message_en, path, candidates)
