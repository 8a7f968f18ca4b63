"""Audit-log records: the data classes of one log file and their TOML mapping (reading, validating, writing),
and the two operations on history: recording a change and merging what another writer knew.

The file format is documented in ``docs/auditlog.md``. Nothing here touches the file system; reading files,
locking and atomic writes live in :mod:`.storage`, the live log in :mod:`.log`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from ... import __version__
from ..errors import FileProblem
from ..model import Finding, Report, Suggestion
from ..text import unsurrogate

SCHEMA = 2
"""The newest log layout this auditui reads. A log is written as schema 1 (which every auditui reads) unless it
holds what schema 2 added: readings and the review state (``[[reading]]``, ``[review]``): an older auditui then
refuses it (and works in a recovery file beside it) rather than show findings without the readings they
depend on."""
STATUSES = ("open", "confirmed", "dismissed")
DISPLAY_STATUSES = ("open", "confirmed", "dismissed", "resolved")
"""What counts and exports use: a resolved entry counts as resolved whatever its verdict."""
KINDS = ("edit", "undo", "auto")


class LogError(FileProblem):
    """An audit log that cannot be used. ``path`` names the file, ``reason`` says why (one line).

    ``recoverable`` is true when the file's *content* is the problem (not TOML, not an auditui log, too large):
    work may continue in a recovery file beside it. It is false for what a recovery file would not cure (a
    file or folder we may not read or write, a lock held too long)."""

    def __init__(self, path: Any, reason: str, recoverable: bool = False) -> None:
        super().__init__(path, reason)
        self.recoverable = recoverable

    def __reduce__(self) -> Any:
        return type(self), (self.path, self.reason, self.recoverable)


def now() -> str:
    """Local time, ISO 8601 with offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def check_text(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str, not {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} contains characters that cannot be stored (lone surrogates)") from None
    return text


@dataclass(slots=True)
class ReportInfo:
    """The identity of the report a log is about."""

    path: str = ""
    """The report's path as given, with the bytes of a file name that is not UTF-8 written ``\\xNN``."""
    sha256: str = ""
    body: str = ""
    year: int | None = None
    template: str = ""
    auditui: str = ""
    """The auditui version that last wrote the log."""

    @classmethod
    def of(cls, report: Report) -> ReportInfo:
        return cls(path=unsurrogate(report.source.path), sha256=report.source.sha256, body=report.body or "",
                   year=report.year, template=report.template or "", auditui=__version__)

    def to_toml(self) -> dict[str, Any]:
        d: dict[str, Any] = {"path": self.path, "sha256": self.sha256, "body": self.body}
        if self.year is not None:
            d["year"] = self.year
        d["template"] = self.template
        d["auditui"] = self.auditui
        return d


REPORT_FIELDS = ("path", "sha256", "body", "year", "template")
"""The report fields history records (``key = "report"``)."""


def fix_text(s: Suggestion) -> str:
    """A suggested correction in ids and numbers only (the exports put it into words in their language):
    ``三.四.1/自然人 2 → 0, 总计 2 → 0`` (a blank cell's current value is ``∅``)."""

    def cur(v: object) -> str:
        return "∅" if v is None else str(v)

    text = f"{s.cell.row}/{s.cell.column} {cur(s.current)} → {s.proposed}"
    return ", ".join([text, *(f"{a.cell.column} {cur(a.current)} → {a.proposed}" for a in s.also)])


@dataclass(slots=True)
class Entry:
    """One finding's verdict. ``status`` is the auditor's verdict; ``resolved`` that the finding is gone.

    ``rule`` … ``fixes`` are derived from the current parse (refreshed on open, never in history)."""

    key: str
    rule: str = ""
    severity: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    message: str = ""
    message_en: str = ""
    fixes: list[str] = field(default_factory=list)
    """The suggested corrections of an arithmetic error (:func:`fix_text`), likeliest first."""
    status: str = "open"
    reason: str = ""
    comment: str = ""
    auditor: str = ""
    time: str = ""
    resolved: bool = False
    stale: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def display_status(self) -> str:
        """``resolved`` for a finding the current parse no longer produces, else the verdict."""
        return "resolved" if self.resolved else self.status

    @property
    def has_verdict(self) -> bool:
        return self.status != "open" or bool(self.reason) or bool(self.comment)

    @classmethod
    def of(cls, key: str, f: Finding) -> Entry:
        e = cls(key=key)
        e.refresh(f)
        return e

    def refresh(self, f: Finding) -> bool:
        """Update the fields derived from the parse; True if any changed."""
        new = (f.rule, f.severity, f.table or "", f.row or "", f.column or "", f.message, f.message_en,
               [fix_text(s) for s in f.suggestions])
        old = (self.rule, self.severity, self.table, self.row, self.column, self.message, self.message_en,
               self.fixes)
        if new == old:
            return False
        (self.rule, self.severity, self.table, self.row, self.column, self.message, self.message_en,
         self.fixes) = new
        return True

    def copy(self) -> Entry:
        return Entry(self.key, self.rule, self.severity, self.table, self.row, self.column, self.message,
                     self.message_en, list(self.fixes), self.status, self.reason, self.comment, self.auditor,
                     self.time, self.resolved, self.stale, dict(self.extra))

    def to_toml(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ENTRY_FIELDS}
        d.update((k, v) for k, v in self.extra.items() if k not in d)
        return d


_ENTRY_STR = ("key", "rule", "severity", "table", "row", "column", "message", "message_en")
_ENTRY_VERDICT = ("status", "reason", "comment", "auditor", "time")
ENTRY_BOOL = ("resolved", "stale")
ENTRY_FIELDS = (*_ENTRY_STR, "fixes", *_ENTRY_VERDICT, *ENTRY_BOOL)
ENTRY_HISTORY_FIELDS = ("status", "reason", "comment", *ENTRY_BOOL)
"""The fields of a finding's entry that history records."""
NOTE_FIELDS = ("id", "target", "text", "auditor", "time")


@dataclass(slots=True)
class Note:
    id: str
    target: str
    text: str
    auditor: str = ""
    time: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Note:
        return Note(self.id, self.target, self.text, self.auditor, self.time, dict(self.extra))

    def to_toml(self) -> dict[str, Any]:
        d = {"id": self.id, "target": self.target, "text": self.text, "auditor": self.auditor,
             "time": self.time}
        d.update((k, v) for k, v in self.extra.items() if k not in d)
        return d


READING_FIELDS = ("cell", "value", "note", "was", "auditor", "time", "stale")
READING_HISTORY_FIELDS = ("value", "note", "stale")
"""The fields of a reading that history records (``key = "reading:<cell>"``)."""
BLANK = "blank"
"""A reading's ``value`` for a cell that is blank in the original (a number is written in digits)."""


def reading_value(value: int | None) -> str:
    """A reading's value as the log writes it: digits, or ``blank``."""
    return BLANK if value is None else str(value)


def is_reading_value(s: str) -> bool:
    return s == BLANK or (s.isascii() and s.isdigit() and len(s) <= 15)


@dataclass(slots=True)
class Reading:
    """The auditor's reading of one cell: the value they read in the original (``value``: digits, or ``blank``),
    an optional note, who and when. ``was`` is what the parse has in the cell (derived: refreshed on open, never
    in history); ``stale`` that the reading was made on other bytes of the report (to look at again)."""

    cell: str
    value: str
    note: str = ""
    was: str = ""
    auditor: str = ""
    time: str = ""
    stale: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int | None:
        return None if self.value == BLANK else int(self.value)

    def copy(self) -> Reading:
        return Reading(self.cell, self.value, self.note, self.was, self.auditor, self.time, self.stale,
                       dict(self.extra))

    def to_toml(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in READING_FIELDS}
        d.update((k, v) for k, v in self.extra.items() if k not in d)
        return d


REVIEW_FIELDS = ("reviewed", "reviewed_by", "reviewed_at", "blank_zero", "blank_zero_by", "blank_zero_at",
                 "stale")
REVIEW_HISTORY_FIELDS = ("reviewed", "blank_zero", "stale")
"""The fields of the review state that history records (``key = "review"``)."""


@dataclass(slots=True)
class ReviewState:
    """The report as a whole: marked reviewed (done), and its blank cells of parts 三 and 四 read as 0, each with
    who changed it last and when; ``stale``: set on other bytes of the report (to look at again)."""

    reviewed: bool = False
    reviewed_by: str = ""
    reviewed_at: str = ""
    blank_zero: bool = False
    blank_zero_by: str = ""
    blank_zero_at: str = ""
    stale: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether there is anything to write (a report nobody marked has no ``[review]`` table)."""
        return any(getattr(self, k) for k in REVIEW_FIELDS) or bool(self.extra)

    def copy(self) -> ReviewState:
        return ReviewState(self.reviewed, self.reviewed_by, self.reviewed_at, self.blank_zero, self.blank_zero_by,
                           self.blank_zero_at, self.stale, dict(self.extra))

    def to_toml(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: getattr(self, k) for k in REVIEW_FIELDS}
        d.update((k, v) for k, v in self.extra.items() if k not in d)
        return d


@dataclass(frozen=True, slots=True)
class Change:
    """One history record: one field of one finding/note/report, before and after.

    ``session`` identifies the run of auditui (and auditor) that made it: undo reverts only its own session's
    changes. Records written before sessions existed have ``""``."""

    seq: int
    change: int
    time: str
    auditor: str
    kind: str
    key: str
    field: str
    before: str
    after: str
    undoes: int = 0
    session: str = ""

    def to_toml(self) -> dict[str, Any]:
        d: dict[str, Any] = {"seq": self.seq, "change": self.change, "time": self.time,
                             "auditor": self.auditor, "session": self.session, "kind": self.kind}
        if self.kind == "undo":
            d["undoes"] = self.undoes
        d.update(key=self.key, field=self.field, before=self.before, after=self.after)
        return d

    def identity(self) -> tuple[str, ...]:
        """What makes a record the same record in two copies of a log, whatever seq each gave it."""
        return (self.session, self.time, self.auditor, self.kind, self.key, self.field, self.before, self.after)


@dataclass(slots=True)
class LogData:
    """The content of one log file, as read or about to be written."""

    path: Path
    report: ReportInfo
    entries: list[Entry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    review: ReviewState = field(default_factory=ReviewState)
    history: list[Change] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """What was wrong with the file but could be passed over (a history record that is not valid)."""
    skipped: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """History records that are not valid, as read, each after the given number of valid records: ignored,
    but written back in their place (nothing in a log is ever dropped)."""
    _index: dict[str, Entry] = field(default_factory=dict, repr=False)
    _history_toml: list[str] = field(default_factory=list, repr=False)
    """The TOML of the first records of ``history`` (history is append-only: a save writes only the new ones
    afresh)."""

    # --- queries

    def entry(self, key: str) -> Entry | None:
        if len(self._index) != len(self.entries):  # entries are only ever appended, never removed
            self._index = {e.key: e for e in self.entries}
        return self._index.get(key)

    def note(self, note_id: str) -> Note | None:
        for n in self.notes:
            if n.id == note_id:
                return n
        return None

    def reading(self, cell: str) -> Reading | None:
        for r in self.readings:
            if r.cell == cell:
                return r
        return None

    @property
    def last_seq(self) -> int:
        return self.history[-1].seq if self.history else 0

    def counts(self) -> dict[str, int]:
        """Entries by :attr:`Entry.display_status` (open, confirmed, dismissed, resolved), plus ``stale``."""
        c = dict.fromkeys(DISPLAY_STATUSES, 0)
        for e in self.entries:
            c[e.display_status] += 1
        c["stale"] = sum(1 for e in self.entries if e.stale)
        return c

    @property
    def stale(self) -> bool:
        """Something in the log was made on other bytes of the report: a verdict, a reading, the review state."""
        return any(e.stale for e in self.entries) or any(r.stale for r in self.readings) or self.review.stale

    @property
    def schema(self) -> int:
        """The layout this log needs: 2 once it holds readings or a review state, else 1 (see :data:`SCHEMA`)."""
        return 2 if self.readings or self.review else 1

    def copy(self) -> LogData:
        """A copy to change without touching this one (history records are immutable and shared)."""
        return LogData(path=self.path, report=replace(self.report),
                       entries=[e.copy() for e in self.entries], notes=[n.copy() for n in self.notes],
                       readings=[r.copy() for r in self.readings], review=self.review.copy(),
                       history=list(self.history), extra=dict(self.extra), problems=list(self.problems),
                       skipped=list(self.skipped), _history_toml=list(self._history_toml))

    # --- serialisation

    def to_toml(self) -> dict[str, Any]:
        doc = self._head()
        history = [h.to_toml() for h in self.history]
        for at, raw in reversed(self.skipped):
            history.insert(at, raw)
        if history:
            doc["history"] = history
        return doc

    def _head(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"schema": self.schema}
        doc.update((k, v) for k, v in self.extra.items() if k not in _TOP_KEYS)
        doc["report"] = self.report.to_toml()
        if self.review:
            doc["review"] = self.review.to_toml()
        if self.entries:
            doc["finding"] = [e.to_toml() for e in self.entries]
        if self.readings:
            doc["reading"] = [r.to_toml() for r in self.readings]
        if self.notes:
            doc["note"] = [n.to_toml() for n in self.notes]
        return doc

    def dumps(self) -> str:
        """The file's text. History goes last, one ``[[history]]`` table per record, each record's TOML made
        once and kept: the cost of a save does not grow with the length of the history."""
        if self.skipped:  # records as they were read, whatever they hold: the plain way
            return tomli_w.dumps(self.to_toml())
        head = tomli_w.dumps(self._head())
        done = self._history_toml
        for h in self.history[len(done):]:
            done.append("[[history]]\n" + tomli_w.dumps(h.to_toml()))
        if not done:
            return head
        return head + "\n" + "\n".join(done)

    def parse_update(self, raw: bytes) -> LogData:
        """The log file ``raw`` that another writer saved after this copy was read or written: its head
        (report, findings, notes) parsed, and of its history only the records after those this copy has,
        when the file starts its history with exactly this copy's records (as auditui writes them: each
        save only appends). Otherwise, or if anything looks different, the whole file is parsed. Either way
        the result is :meth:`parse`'s; a writer that saves after another one does not read the whole history
        again."""
        done = self._history_toml
        if self.history and not self.skipped and len(done) == len(self.history):
            known = "\n".join(done).encode("utf-8")
            start = raw.find(b"\n[[history]]\n") + 1
            if start and raw.startswith(known, start):
                try:
                    head = LogData.parse(raw[:start], self.path)
                    doc = tomllib.loads(raw[start + len(known):].decode("utf-8"))
                    if set(doc) <= {"history"} and not head.history:
                        keys = {e.key for e in head.entries}
                        last = self.last_seq
                        head.history = list(self.history)
                        for h in _array(doc.get("history"), "history"):
                            head.history.append(_change(h, keys, last))
                            last = head.history[-1].seq
                        head._history_toml = list(done)
                        return head
                except (LogError, tomllib.TOMLDecodeError, UnicodeDecodeError, _Invalid):
                    pass  # something else than appended records: read it all
        return LogData.parse(raw, self.path)

    @classmethod
    def parse(cls, data: bytes, path: Path) -> LogData:
        """Validate the bytes of one log file, or raise a recoverable :class:`LogError` naming it."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise LogError(path, f"audit log is not UTF-8 text (byte {e.start})", recoverable=True) from None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise LogError(path, f"audit log is not valid TOML: {e}", recoverable=True) from None
        try:
            log = cls._from_doc(doc, path)
        except _Invalid as e:
            raise LogError(path, f"not a valid auditui log: {e}", recoverable=True) from None
        if log.history and not log.skipped:
            log._history_toml = _history_chunks(text, len(log.history))
        return log

    @classmethod
    def _from_doc(cls, doc: dict[str, Any], path: Path) -> LogData:
        schema = doc.get("schema")
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise _Invalid("missing or bad 'schema' (expected schema = 1)")
        if schema > SCHEMA:
            raise _Invalid(f"schema {schema} was written by a newer auditui (this one reads {SCHEMA})")
        if schema < 1:
            raise _Invalid(f"bad schema {schema}")
        rep = _table(doc.get("report"), "[report]")
        year = rep.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise _Invalid(f"[report] year must be an integer, not {year!r}")
        info = ReportInfo(path=_s(rep, "path", "[report]"), sha256=_s(rep, "sha256", "[report]"),
                          body=_s(rep, "body", "[report]"), year=year,
                          template=_s(rep, "template", "[report]"), auditui=_s(rep, "auditui", "[report]"))
        entries = []
        seen: set[str] = set()
        for i, f in enumerate(_array(doc.get("finding"), "finding"), 1):
            where = f"[[finding]] #{i}"
            f = _table(f, where)
            e = Entry(key="")
            for k in (*_ENTRY_STR, *_ENTRY_VERDICT):
                setattr(e, k, _s(f, k, where))
            fixes = f.get("fixes", [])
            if not isinstance(fixes, list) or not all(isinstance(x, str) for x in fixes):
                raise _Invalid(f"{where}: fixes must be an array of strings, not {fixes!r}")
            e.fixes = fixes
            for k in ENTRY_BOOL:
                v = f.get(k, False)
                if not isinstance(v, bool):
                    raise _Invalid(f"{where}: {k} must be true or false, not {v!r}")
                setattr(e, k, v)
            e.status = e.status or "open"
            if not e.key:
                raise _Invalid(f"{where}: missing key")
            if e.key in seen:
                raise _Invalid(f"{where}: key {e.key!r} appears twice")
            seen.add(e.key)
            if e.status not in STATUSES:
                raise _Invalid(f"{where}: status {e.status!r} is not one of {', '.join(STATUSES)}")
            e.extra = {k: v for k, v in f.items() if k not in ENTRY_FIELDS}
            entries.append(e)
        notes = []
        for i, n in enumerate(_array(doc.get("note"), "note"), 1):
            where = f"[[note]] #{i}"
            n = _table(n, where)
            note = Note(id=_s(n, "id", where), target=_s(n, "target", where), text=_s(n, "text", where),
                        auditor=_s(n, "auditor", where), time=_s(n, "time", where))
            if not note.id:
                raise _Invalid(f"{where}: missing id")
            note.extra = {k: v for k, v in n.items() if k not in NOTE_FIELDS}
            notes.append(note)
        readings = []
        cells: set[str] = set()
        for i, r in enumerate(_array(doc.get("reading"), "reading"), 1):
            where = f"[[reading]] #{i}"
            r = _table(r, where)
            reading = Reading(cell=_s(r, "cell", where), value=_s(r, "value", where), note=_s(r, "note", where),
                              was=_s(r, "was", where), auditor=_s(r, "auditor", where), time=_s(r, "time", where),
                              stale=_b(r, "stale", where))
            if len(reading.cell.split("/")) != 3 or not all(reading.cell.split("/")):
                raise _Invalid(f"{where}: cell must be 'table/row/column', not {reading.cell!r}")
            if reading.cell in cells:
                raise _Invalid(f"{where}: cell {reading.cell!r} appears twice")
            cells.add(reading.cell)
            if not is_reading_value(reading.value):
                raise _Invalid(f"{where}: value must be a whole number in digits or {BLANK!r}, not {reading.value!r}")
            reading.extra = {k: v for k, v in r.items() if k not in READING_FIELDS}
            readings.append(reading)
        rv = _table(doc.get("review"), "[review]")
        review_fields: dict[str, Any] = {k: _b(rv, k, "[review]") if k in REVIEW_HISTORY_FIELDS
                                         else _s(rv, k, "[review]") for k in REVIEW_FIELDS}
        review = ReviewState(**review_fields)
        review.extra = {k: v for k, v in rv.items() if k not in REVIEW_FIELDS}
        data = cls(path=path, report=info, entries=entries, notes=notes, readings=readings, review=review,
                   extra={k: v for k, v in doc.items() if k not in _TOP_KEYS})
        for i, h in enumerate(_array(doc.get("history"), "history"), 1):
            try:
                data.history.append(_change(h, seen, data.last_seq))
            except _Invalid as e:
                data.problems.append(f"[[history]] #{i}: {e}; the record is ignored (it stays in the file)")
                data.skipped.append((len(data.history), h))
        return data


_TOP_KEYS = ("schema", "report", "review", "finding", "reading", "note", "history")
_NOT_HISTORY = re.compile(r"^\[(?!\[history\]\][ \t]*$)", re.M)


def _history_chunks(text: str, n: int) -> list[str]:
    """The TOML of each of the ``n`` history records as the file holds them, when its history is the last
    thing in it as auditui writes it (``[[history]]`` tables separated by blank lines, nothing else), so that
    a save writes them again as they are instead of making their TOML afresh; else ``[]``."""
    start = text.find("\n[[history]]\n") + 1
    section = text[start:] if start else ""
    if not section.endswith("\n") or _NOT_HISTORY.search(section):
        return []
    parts = section.split("\n\n[[history]]\n")
    if len(parts) != n:
        return []
    chunks = [parts[0] + "\n", *("[[history]]\n" + p + "\n" for p in parts[1:])] if n > 1 else [parts[0]]
    chunks[-1] = chunks[-1][:-1] if n > 1 else chunks[-1]
    return chunks if "\n".join(chunks) == section else []


class _Invalid(Exception):
    pass


def _change(h: Any, keys: set[str], last_seq: int) -> Change:
    """One history record, validated: it must name a finding of this log (or a note, or the report) and one
    of its recorded fields, with values that field can take, after the records before it."""
    h = _table(h, "the record")
    ints = {}
    for k in ("seq", "change", "undoes"):
        v = h.get(k, 0)
        if not isinstance(v, int) or isinstance(v, bool):
            raise _Invalid(f"{k} must be an integer, not {v!r}")
        ints[k] = v
    c = Change(seq=ints["seq"], change=ints["change"] or ints["seq"], time=_s(h, "time", "the record"),
               auditor=_s(h, "auditor", "the record"), kind=_s(h, "kind", "the record") or "edit",
               key=_s(h, "key", "the record"), field=_s(h, "field", "the record"),
               before=_s(h, "before", "the record"), after=_s(h, "after", "the record"),
               undoes=ints["undoes"], session=_s(h, "session", "the record"))
    if c.seq <= last_seq:
        raise _Invalid(f"seq {c.seq} does not follow the record before it (seq {last_seq})")
    if not 1 <= c.change <= c.seq:
        raise _Invalid(f"change {c.change} is not the seq of an earlier record")
    if c.kind not in KINDS:
        raise _Invalid(f"kind {c.kind!r} is not one of {', '.join(KINDS)}")
    if c.kind == "undo" and not 1 <= c.undoes < c.seq:
        raise _Invalid(f"an undo must name the change it undoes (undoes = {c.undoes})")
    if c.key == "report":
        allowed: tuple[str, ...] = REPORT_FIELDS
    elif c.key == "review":
        allowed = REVIEW_HISTORY_FIELDS
    elif c.key.startswith("reading:"):
        cell = c.key[8:].split("/")
        if len(cell) != 3 or not all(cell):
            raise _Invalid(f"a reading key needs a cell (reading:table/row/column), not {c.key!r}")
        allowed = READING_HISTORY_FIELDS
        if c.field == "value" and not all(v == "" or is_reading_value(v) for v in (c.before, c.after)):
            raise _Invalid(f"value {c.before!r} → {c.after!r}: not a whole number in digits, {BLANK!r} or ''")
    elif c.key.startswith("note:"):
        if len(c.key) == 5:
            raise _Invalid("a note key needs an id (note:<id>)")
        allowed = ("target", "text")
    elif c.key in keys:
        allowed = ENTRY_HISTORY_FIELDS
    else:
        raise _Invalid(f"it names the finding {c.key!r}, which this log does not have")
    if c.field not in allowed:
        raise _Invalid(f"field {c.field!r} is not one history records for {c.key!r} ({', '.join(allowed)})")
    if c.field == "status" and not {c.before, c.after} <= set(STATUSES):
        raise _Invalid(f"status {c.before!r} → {c.after!r}: not one of {', '.join(STATUSES)}")
    if (c.field in ENTRY_BOOL or c.key == "review") and not {c.before, c.after} <= {"true", "false"}:
        raise _Invalid(f"{c.field} {c.before!r} → {c.after!r}: not true or false")
    return c


def _table(v: Any, where: str) -> dict[str, Any]:
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise _Invalid(f"{where} must be a table")
    return v


def _array(v: Any, name: str) -> list[Any]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise _Invalid(f"'{name}' must be an array of tables ([[{name}]])")
    return v


def _b(d: dict[str, Any], key: str, where: str) -> bool:
    v = d.get(key, False)
    if not isinstance(v, bool):
        raise _Invalid(f"{where}: {key} must be true or false, not {v!r}")
    return v


def _s(d: dict[str, Any], key: str, where: str) -> str:
    v = d.get(key, "")
    if not isinstance(v, str):
        raise _Invalid(f"{where}: {key} must be a string, not {v!r}")
    return v


# ----------------------------------------------------------------------------------------------- history


class Recorder:
    """Collects the history records of one logical change, applying each field change to the data."""

    def __init__(self, data: LogData, auditor: str, kind: str, session: str, undoes: int = 0) -> None:
        self.data = data
        self.auditor = auditor
        self.kind = kind
        self.session = session
        self.undoes = undoes
        self.time = now()
        self.change = 0
        self.records: list[Change] = []

    def record(self, key: str, fld: str, before: str, after: str) -> None:
        seq = self.data.last_seq + 1
        if not self.change:
            self.change = seq
        c = Change(seq=seq, change=self.change, time=self.time, auditor=self.auditor, kind=self.kind, key=key,
                   field=fld, before=before, after=after, undoes=self.undoes, session=self.session)
        self.data.history.append(c)
        self.records.append(c)

    def set(self, key: str, fld: str, value: str) -> bool:
        before = get_field(self.data, key, fld)
        if before == value:
            return False
        put_field(self.data, key, fld, value)
        self.record(key, fld, before, value)
        if self.kind != "auto":
            signed(self.data, key, fld, self.auditor, self.time)
        return True

    def __bool__(self) -> bool:
        return bool(self.records)


def signed(data: LogData, key: str, fld: str, auditor: str, time: str) -> None:
    """Who changed ``fld`` of ``key`` last, and when, written where the log keeps it: a finding's or a reading's
    ``auditor`` and ``time``, the review state's ``<field>_by`` and ``<field>_at`` (a note signs itself)."""
    if key == "review":
        if fld in ("reviewed", "blank_zero"):
            setattr(data.review, f"{fld}_by", auditor)
            setattr(data.review, f"{fld}_at", time)
        return
    if key.startswith("reading:"):
        r = data.reading(key[8:])
        if r is not None:
            r.auditor, r.time = auditor, time
        return
    if key.startswith("note:") or key == "report":
        return
    e = data.entry(key)
    if e is not None:
        e.auditor, e.time = auditor, time


def get_field(data: LogData, key: str, fld: str) -> str:
    """A field's value as history stores it (a string; booleans as "true"/"false"; a reading that is not there
    has the value ``""``)."""
    if key == "report":
        v = getattr(data.report, fld)
        return "" if v is None else str(v)
    if key == "review":
        return "true" if getattr(data.review, fld) else "false"
    if key.startswith("reading:"):
        r = data.reading(key[8:])
        if r is None:
            return "false" if fld == "stale" else ""
        v = getattr(r, fld)
        return ("true" if v else "false") if isinstance(v, bool) else v
    if key.startswith("note:"):
        n = data.note(key[5:])
        return "" if n is None else getattr(n, fld)
    e = data.entry(key)
    if e is None:
        raise KeyError(key)
    v = getattr(e, fld)
    return ("true" if v else "false") if isinstance(v, bool) else v


def put_field(data: LogData, key: str, fld: str, value: str) -> None:
    if key == "report":
        if fld == "year":
            data.report.year = int(value) if value.isdigit() else None
        else:
            setattr(data.report, fld, value)
        return
    if key == "review":
        setattr(data.review, fld, value == "true")
        return
    if key.startswith("reading:"):
        cell = key[8:]
        r = data.reading(cell)
        if fld == "value" and not value:  # no value: no reading (its value and note live on in history)
            if r is not None:
                data.readings.remove(r)
            return
        if r is None:
            if fld != "value":  # the note or flag of a reading that is gone: nothing to do
                return
            r = Reading(cell=cell, value=value)
            data.readings.append(r)
        if fld == "stale":
            r.stale = value == "true"
        else:
            setattr(r, fld, value)
        return
    if key.startswith("note:"):
        note_id = key[5:]
        n = data.note(note_id)
        if fld == "text" and not value:
            if n is not None:
                data.notes.remove(n)
            return
        if n is None:
            if fld != "text":  # setting the target of a note that is gone: nothing to do
                return
            target = next((h.after for h in reversed(data.history)
                           if h.key == key and h.field == "target" and h.after), "")
            n = Note(id=note_id, target=target, text="")
            data.notes.append(n)
        setattr(n, fld, value)
        return
    e = data.entry(key)
    if e is None:
        raise KeyError(key)
    if fld in ENTRY_BOOL:
        setattr(e, fld, value == "true")
    else:
        setattr(e, fld, value)


def note_ids(data: LogData) -> set[str]:
    """Every note id the log has used (deleted notes' ids live on in history and are never reused)."""
    return {n.id for n in data.notes} | {h.key[5:] for h in data.history if h.key.startswith("note:")}


def merge(data: LogData, mine: LogData) -> int:
    """Bring into ``data`` what ``mine`` (another copy of the same log) knows and ``data`` does not: the
    history records ``data`` lacks, in their order, each applied where the field still holds the value the
    record started from (a field changed since keeps its newer value: the record still goes into history),
    and the entries ``data`` lacks. A note created only in ``mine`` whose id ``data`` already uses gets a new
    id. Returns the number of records added.

    This is how a writer that finds the log broken and continues in a recovery file another writer already
    started keeps what it had saved: every writer's knowledge ends up in the recovery file."""
    known = {h.identity(): h for h in data.history}
    missing = [h for h in mine.history if h.identity() not in known]
    for e in mine.entries:
        if data.entry(e.key) is None:
            data.entries.append(e.copy())
    if not missing:
        return 0
    used = note_ids(data)
    renamed: dict[str, str] = {}
    for h in missing:
        if h.key.startswith("note:") and h.field == "target" and not h.before and h.key[5:] in used:
            n = 1
            while f"n{n}" in used:
                n += 1
            renamed[h.key[5:]] = f"n{n}"
            used.add(f"n{n}")
    changes = {h.change: known[h.identity()].change for h in mine.history if h.identity() in known}
    for h in missing:
        key = h.key
        if key.startswith("note:") and key[5:] in renamed:
            key = "note:" + renamed[key[5:]]
        seq = data.last_seq + 1
        change = changes.setdefault(h.change, seq)
        undoes = changes.get(h.undoes, 0) if h.undoes else 0
        if h.kind == "undo" and not undoes:
            undoes = h.undoes  # (cannot happen: the change an undo names is older, hence mapped)
        data.history.append(Change(seq=seq, change=change, time=h.time, auditor=h.auditor, kind=h.kind,
                                   key=key, field=h.field, before=h.before, after=h.after, undoes=undoes,
                                   session=h.session))
        if get_field(data, key, h.field) == h.before:
            put_field(data, key, h.field, h.after)
            if h.kind != "auto":
                if key.startswith("note:"):
                    note = data.note(key[5:])
                    if note is not None:
                        note.auditor, note.time = h.auditor, h.time
                else:
                    signed(data, key, h.field, h.auditor, h.time)
    return len(missing)


def finding_keys(findings: Sequence[Finding]) -> list[str]:
    """The log key of each finding, aligned: :attr:`Finding.key`, with ``#2``, ``#3``… for repeated keys."""
    seen: dict[str, int] = {}
    keys = []
    for f in findings:
        k = f.key
        n = seen.get(k, 0) + 1
        seen[k] = n
        keys.append(k if n == 1 else f"{k}#{n}")
    return keys
