"""The data that flows through auditui: Source → Report → Finding.

Everything here is immutable: small frozen dataclasses, and NamedTuples for the values made by the hundred
per report (Span, CellRef, Cell, Row), whose construction costs a fifth of a frozen dataclass's.
No module of ``auditui.core`` imports textual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from .errors import FileProblem

Severity = Literal["error", "warning", "info"]
CellStatus = Literal["ok", "blank", "bad", "missing"]


class Span(NamedTuple):
    """A range of characters on one line of a Source's text: line is 0-based, [start, end) are columns."""

    line: int
    start: int
    end: int


class LoadError(FileProblem):
    """A report file that could not be read: ``path`` and a one-line ``reason``."""


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
    lines: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.text.split("\n")))

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", **kw) -> Source:
        """A Source for in-memory text (tests, pasted text); the hash is of the UTF-8 bytes."""
        kw.setdefault("sha256", hashlib.sha256(text.encode("utf-8")).hexdigest())
        return cls(path=path, text=text, **kw)

    def snippet(self, span: Span) -> str:
        return self.lines[span.line][span.start : span.end]


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
        return {r.id: {c.ref.column: c.value for c in r.cells} for r in self.rows}


@dataclass(frozen=True, slots=True)
class Marker:
    """A piece of text that told the parser something (a template marker, the title, the year)."""

    kind: str
    text: str
    span: Span
    template: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Report:
    source: Source
    body: str
    year: int | None
    template: str
    tables: dict[str, Table]
    markers: tuple[Marker, ...] = ()
    body_span: Span | None = None
    year_span: Span | None = None
    _cells: dict[tuple[str, str, str], Cell] | None = field(default=None, init=False, repr=False)
    int_values: dict[CellRef, int] = field(init=False, repr=False)
    """Every cell holding a whole number, by reference (what the arithmetic rules add up)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "int_values", {c.ref: c.value for t in self.tables.values() for r in t.rows
                                                for c in r.cells if c.value.__class__ is int})

    @property
    def path(self) -> str:
        return self.source.path

    def table(self, table_id: str) -> Table | None:
        return self.tables.get(table_id)

    def cell(self, ref: CellRef | tuple[str, str, str]) -> Cell | None:
        if self._cells is None:  # made on first use: a batch that finds nothing never needs it
            object.__setattr__(self, "_cells", {c.ref: c for t in self.tables.values() for r in t.rows
                                                for c in r.cells})
        return self._cells.get(ref)

    def values(self) -> dict[str, dict[str, dict[str, int | float | None]]]:
        """``{table: {row: {column: value}}}`` for 三 and 四, the JSON contract of DESIGN.md §3."""
        return {t: self.tables[t].values() for t in ("三", "四") if t in self.tables}


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

    def to_json(self) -> dict:
        return {"cell": str(self.cell), "current": self.current, "proposed": self.proposed,
                "changed_digits": self.changed_digits, "also": [a.to_json() for a in self.also]}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    table: str | None
    row: str | None
    column: str | None
    expected: int | float | None
    actual: int | float | None
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

    @property
    def key(self) -> str:
        """A stable identity for the audit log: rule/table/row/column."""
        return "/".join((self.rule, self.table or "-", self.row or "-", self.column or "-"))

    def to_json(self) -> dict:
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
            "cells": [str(c) for c in self.cells],
            "suggestions": [s.to_json() for s in self.suggestions],
        }
