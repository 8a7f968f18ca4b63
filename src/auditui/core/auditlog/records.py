"""Audit-log records: the data classes of one log file and their TOML mapping (reading, validating, writing).

The file format is documented in ``docs/auditlog.md``. Nothing here touches the file system except
:meth:`LogData.read`; locking and atomic writes live in :mod:`.storage`, the live log in :mod:`.log`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from ... import __version__
from ..errors import FileProblem
from ..model import Finding, Report

SCHEMA = 1
STATUSES = ("open", "confirmed", "dismissed")
DISPLAY_STATUSES = ("open", "confirmed", "dismissed", "resolved")
"""What counts and exports use: a resolved entry counts as resolved whatever its verdict."""

class LogError(FileProblem):
    """An audit log that cannot be used. ``path`` names the file, ``reason`` says why (one line)."""


# ----------------------------------------------------------------------------------------------- records


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
    sha256: str = ""
    body: str = ""
    year: int | None = None
    template: str = ""
    auditui: str = ""
    """The auditui version that last wrote the log."""

    @classmethod
    def of(cls, report: Report) -> ReportInfo:
        return cls(path=report.source.path, sha256=report.source.sha256, body=report.body or "",
                   year=report.year, template=report.template or "", auditui=__version__)

    def to_toml(self) -> dict[str, Any]:
        d: dict[str, Any] = {"path": self.path, "sha256": self.sha256, "body": self.body}
        if self.year is not None:
            d["year"] = self.year
        d["template"] = self.template
        d["auditui"] = self.auditui
        return d


@dataclass(slots=True)
class Entry:
    """One finding's verdict. ``status`` is the auditor's verdict; ``resolved`` that the finding is gone."""

    key: str
    rule: str = ""
    severity: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    message: str = ""
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
        new = (f.rule, f.severity, f.table or "", f.row or "", f.column or "", f.message)
        old = (self.rule, self.severity, self.table, self.row, self.column, self.message)
        if new == old:
            return False
        self.rule, self.severity, self.table, self.row, self.column, self.message = new
        return True

    def to_toml(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in _ENTRY_FIELDS}
        d.update((k, v) for k, v in self.extra.items() if k not in d)
        return d


_ENTRY_STR = ("key", "rule", "severity", "table", "row", "column", "message", "status", "reason", "comment",
              "auditor", "time")
_ENTRY_BOOL = ("resolved", "stale")
_ENTRY_FIELDS = (*_ENTRY_STR, *_ENTRY_BOOL)


@dataclass(slots=True)
class Note:
    id: str
    target: str
    text: str
    auditor: str = ""
    time: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_toml(self) -> dict[str, Any]:
        d = {"id": self.id, "target": self.target, "text": self.text, "auditor": self.auditor,
             "time": self.time}
        d.update((k, v) for k, v in self.extra.items() if k not in d)
        return d


@dataclass(frozen=True, slots=True)
class Change:
    """One history record: one field of one finding/note/report, before and after."""

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

    def to_toml(self) -> dict[str, Any]:
        d: dict[str, Any] = {"seq": self.seq, "change": self.change, "time": self.time,
                             "auditor": self.auditor, "kind": self.kind}
        if self.kind == "undo":
            d["undoes"] = self.undoes
        d.update(key=self.key, field=self.field, before=self.before, after=self.after)
        return d


@dataclass(slots=True)
class LogData:
    """The content of one log file, as read or about to be written."""

    path: Path
    report: ReportInfo
    entries: list[Entry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    history: list[Change] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    # --- queries

    def entry(self, key: str) -> Entry | None:
        for e in self.entries:
            if e.key == key:
                return e
        return None

    def note(self, note_id: str) -> Note | None:
        for n in self.notes:
            if n.id == note_id:
                return n
        return None

    def counts(self) -> dict[str, int]:
        """Entries by :attr:`Entry.display_status` (open, confirmed, dismissed, resolved), plus ``stale``."""
        c = dict.fromkeys(DISPLAY_STATUSES, 0)
        for e in self.entries:
            c[e.display_status] += 1
        c["stale"] = sum(1 for e in self.entries if e.stale)
        return c

    @property
    def stale(self) -> bool:
        return any(e.stale for e in self.entries)

    # --- serialisation

    def to_toml(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"schema": SCHEMA}
        doc.update((k, v) for k, v in self.extra.items() if k not in _TOP_KEYS)
        doc["report"] = self.report.to_toml()
        if self.entries:
            doc["finding"] = [e.to_toml() for e in self.entries]
        if self.notes:
            doc["note"] = [n.to_toml() for n in self.notes]
        if self.history:
            doc["history"] = [h.to_toml() for h in self.history]
        return doc

    def dumps(self) -> str:
        return tomli_w.dumps(self.to_toml())

    @classmethod
    def read(cls, path: str | os.PathLike) -> LogData:
        """Read and validate one log file, or raise :class:`LogError` naming it."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise LogError(path, f"cannot read audit log: {e.strerror or e}") from None
        return cls.parse(data, path)

    @classmethod
    def parse(cls, data: bytes, path: Path) -> LogData:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise LogError(path, f"audit log is not UTF-8 text (byte {e.start})") from None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise LogError(path, f"audit log is not valid TOML: {e}") from None
        try:
            return cls._from_doc(doc, path)
        except _Invalid as e:
            raise LogError(path, f"not a valid auditui log: {e}") from None

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
            for k in _ENTRY_STR:
                setattr(e, k, _s(f, k, where))
            for k in _ENTRY_BOOL:
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
            e.extra = {k: v for k, v in f.items() if k not in _ENTRY_FIELDS}
            entries.append(e)
        notes = []
        for i, n in enumerate(_array(doc.get("note"), "note"), 1):
            where = f"[[note]] #{i}"
            n = _table(n, where)
            note = Note(id=_s(n, "id", where), target=_s(n, "target", where), text=_s(n, "text", where),
                        auditor=_s(n, "auditor", where), time=_s(n, "time", where))
            if not note.id:
                raise _Invalid(f"{where}: missing id")
            note.extra = {k: v for k, v in n.items() if k not in ("id", "target", "text", "auditor", "time")}
            notes.append(note)
        history = []
        for i, h in enumerate(_array(doc.get("history"), "history"), 1):
            where = f"[[history]] #{i}"
            h = _table(h, where)
            ints = {}
            for k in ("seq", "change", "undoes"):
                v = h.get(k, 0)
                if not isinstance(v, int) or isinstance(v, bool):
                    raise _Invalid(f"{where}: {k} must be an integer, not {v!r}")
                ints[k] = v
            history.append(Change(seq=ints["seq"], change=ints["change"] or ints["seq"],
                                  time=_s(h, "time", where), auditor=_s(h, "auditor", where),
                                  kind=_s(h, "kind", where) or "edit", key=_s(h, "key", where),
                                  field=_s(h, "field", where), before=_s(h, "before", where),
                                  after=_s(h, "after", where), undoes=ints["undoes"]))
        extra = {k: v for k, v in doc.items() if k not in _TOP_KEYS}
        return cls(path=path, report=info, entries=entries, notes=notes, history=history, extra=extra)


_TOP_KEYS = ("schema", "report", "finding", "note", "history")


class _Invalid(Exception):
    pass


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


def _s(d: dict[str, Any], key: str, where: str) -> str:
    v = d.get(key, "")
    if not isinstance(v, str):
        raise _Invalid(f"{where}: {key} must be a string, not {v!r}")
    return v


# ----------------------------------------------------------------------------------------------- history


class Recorder:
    """Collects the history records of one logical change, applying each field change to the data."""

    def __init__(self, data: LogData, auditor: str, kind: str, undoes: int = 0) -> None:
        self.data = data
        self.auditor = auditor
        self.kind = kind
        self.undoes = undoes
        self.time = now()
        self.change = 0
        self.records: list[Change] = []

    def record(self, key: str, fld: str, before: str, after: str) -> None:
        seq = max((h.seq for h in self.data.history), default=0) + 1
        if not self.change:
            self.change = seq
        c = Change(seq=seq, change=self.change, time=self.time, auditor=self.auditor, kind=self.kind, key=key,
                   field=fld, before=before, after=after, undoes=self.undoes)
        self.data.history.append(c)
        self.records.append(c)

    def set(self, key: str, fld: str, value: str) -> bool:
        before = get_field(self.data, key, fld)
        if before == value:
            return False
        put_field(self.data, key, fld, value)
        self.record(key, fld, before, value)
        if not key.startswith("note:") and key != "report":
            e = self.data.entry(key)
            if e is not None and self.kind != "auto":
                e.auditor, e.time = self.auditor, self.time
        return True

    def __bool__(self) -> bool:
        return bool(self.records)


def get_field(data: LogData, key: str, fld: str) -> str:
    """A field's value as history stores it (a string; booleans as "true"/"false")."""
    if key.startswith("note:"):
        n = data.note(key[5:])
        return "" if n is None else getattr(n, fld)
    e = data.entry(key)
    if e is None:
        raise KeyError(key)
    v = getattr(e, fld)
    return ("true" if v else "false") if isinstance(v, bool) else v


def put_field(data: LogData, key: str, fld: str, value: str) -> None:
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
    if fld in _ENTRY_BOOL:
        setattr(e, fld, value == "true")
    else:
        setattr(e, fld, value)


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
