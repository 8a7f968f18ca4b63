"""The audit log: one TOML file per report holding the auditor's verdicts, comments, notes and their history.

The log is what an auditor hands in, so nothing written in it is ever lost or silently overwritten:

* every save is atomic (temporary file in the same folder, fsync, rename, fsync of the folder);
* every change is applied under a lock (``fcntl.flock`` on a hidden sidecar ``.<log name>.lock``; ``msvcrt``
  byte locking on Windows) to the log *as it is on disk now*, so two processes saving the same log lose
  neither's changes (each mutation re-reads, applies itself, writes);
* a log that cannot be parsed (bad TOML, not UTF-8, wrong types, newer schema) is never written to. With
  ``recover=True`` (the default) work continues in a new file beside it, ``<name>.recovered-<time>.toml``
  (or the newest readable such file from an earlier session), and :attr:`AuditLog.notices` says so, naming
  the broken file and its error; with ``recover=False`` :class:`LogError` is raised;
* history is append-only: who, when, which finding/note, which field, before and after.

Public API::

    AuditLog.open(report, findings, log_dir, auditor, *, recover=True) -> AuditLog
        .path, .keys (log keys aligned with findings), .entries, .notes, .history, .notices, .stale
        .entry(key) -> Entry, .status(key) -> str
        .set_status(key, status, reason="")      status: "open" | "confirmed" | "dismissed" (reason required)
        .set_comment(key, text)
        .add_note(target, text) -> note id       target: "三/三.七/总计" (cell) or "三/三.七" (row)
        .edit_note(note_id, text)                ("" deletes the note; history keeps its text)
        .undo() -> list[Change]                  reverts this auditor's last change ([] if none)
        .refresh()                               re-read what other processes wrote
    read_verdicts(report, findings, log_dir) -> dict[key, dict]     read-only: status, reason, comment, …
    count_open_errors(findings, verdicts) -> int                    errors not dismissed
    load_logs(log_dir) -> tuple[list[LogData], list[LogError]]     every readable log, every unreadable one
    log_file_name(report_path) -> str
    finding_keys(findings) -> list[str]

Keys: a finding's log key is :attr:`Finding.key` (``rule/table/row/column``); if one report yields several
findings with the same key, the second is ``key#2``, the third ``key#3`` (in findings order).

Reopening (:meth:`AuditLog.open`): verdicts reattach to current findings by key. A finding the current parse no
longer produces keeps its entry and verdict and gets ``resolved = true`` (it reappears if the finding comes
back). When the report's bytes (sha256) differ from those the log was written for, the report identity is
updated (recorded in history), :attr:`AuditLog.stale` is true for the session, and every entry of a current
finding carrying a verdict or comment gets ``stale = true`` until the auditor sets its status again (even to
the same value).
Derived fields (message, severity) are refreshed from the current parse without a history record.

File layout (diff-friendly: fixed key order, entries in order of first appearance, every key always written;
TOML has no null, so an absent string is ``""`` and an unknown ``year`` is omitted)::

    schema = 1

    [report]
    path = "sample_reports/003_a190ec9e232fd5b0.txt"
    sha256 = "9f2c…"
    body = "张家港市工业和信息化局"
    year = 2020
    template = "2019"
    auditui = "0.1.0"

    [[finding]]
    key = "row-total/三/一/总计"
    rule = "row-total"
    severity = "error"
    table = "三"
    row = "一"
    column = "总计"
    message = "…"
    status = "dismissed"          # open | confirmed | dismissed
    reason = "总计含上年结转"
    comment = ""
    auditor = "li"
    time = "2025-03-01T10:02:11+08:00"
    resolved = false              # the current parse no longer produces it
    stale = false                 # verdict made on other bytes of the report

    [[note]]
    id = "n1"
    target = "三/三.七/总计"
    text = "…"
    auditor = "li"
    time = "…"

    [[history]]
    seq = 1                       # unique, increasing
    change = 1                    # seq of the first record of the same logical change (undo unit)
    time = "…"
    auditor = "li"
    kind = "edit"                 # edit (auditor) | undo (has `undoes = <change>`) | auto (reattach)
    key = "row-total/三/一/总计"  # a finding key, "note:<id>" or "report"
    field = "status"
    before = "open"
    after = "dismissed"

Unknown keys (hand edits, newer minor versions) in the top level, findings and notes are kept on rewrite.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import posixpath
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from .. import __version__
from .model import Finding, Report

SCHEMA = 1
STATUSES = ("open", "confirmed", "dismissed")
DISPLAY_STATUSES = ("open", "confirmed", "dismissed", "resolved")
"""What counts and exports use: a resolved entry counts as resolved whatever its verdict."""

LOG_SUFFIX = ".toml"
RECOVERED = ".recovered-"


# ----------------------------------------------------------------------------------------------- errors


class LogError(Exception):
    """An audit log that cannot be used. ``path`` names the file, ``reason`` says why (one line)."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UndoError(Exception):
    """The change to undo was overwritten since (by someone else); undoing it would lose their work."""


# ----------------------------------------------------------------------------------------------- records


def now() -> str:
    """Local time, ISO 8601 with offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _check_text(text: str, what: str) -> str:
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


class _Recorder:
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
        before = _get(self.data, key, fld)
        if before == value:
            return False
        _put(self.data, key, fld, value)
        self.record(key, fld, before, value)
        if not key.startswith("note:") and key != "report":
            e = self.data.entry(key)
            if e is not None and self.kind != "auto":
                e.auditor, e.time = self.auditor, self.time
        return True

    def __bool__(self) -> bool:
        return bool(self.records)


def _get(data: LogData, key: str, fld: str) -> str:
    """A field's value as history stores it (a string; booleans as "true"/"false")."""
    if key.startswith("note:"):
        n = data.note(key[5:])
        return "" if n is None else getattr(n, fld)
    e = data.entry(key)
    if e is None:
        raise KeyError(key)
    v = getattr(e, fld)
    return ("true" if v else "false") if isinstance(v, bool) else v


def _put(data: LogData, key: str, fld: str, value: str) -> None:
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


# ----------------------------------------------------------------------------------------------- files


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


_UNSAFE = re.compile(r'[\x00-\x20\x7f/\\:*?"<>|\u3000]+')


def _norm_path(path: str) -> str:
    """The path as given, normalised; an absolute path inside the current folder is made relative to it, so
    ``auditui /work/reports/a.pdf`` and ``auditui reports/a.pdf`` (run from /work) share one log."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            rel = path
        if not rel.startswith(".."):
            path = rel
    p = path.replace("\\", "/")
    return posixpath.normpath(p) if p else p


def log_file_name(report_path: str) -> str:
    """``<readable stem>-<8 hex of the normalised path>.toml``: the same report path always gives the same name.

    The path is taken as given (normalised: ``./a.txt`` = ``a.txt``, ``\\`` = ``/``), so a team that runs
    auditui from the root of a shared checkout gets the same names and can keep logs in git.
    """
    norm = _norm_path(report_path)
    stem = posixpath.splitext(posixpath.basename(norm))[0]
    stem = _UNSAFE.sub("_", stem).strip("._")[:60] or "report"
    digest = hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}{LOG_SUFFIX}"


def _log_paths(log_dir: Path) -> list[Path]:
    try:
        return sorted(p for p in log_dir.glob("*" + LOG_SUFFIX) if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


def _find_by_sha(log_dir: Path, sha256: str, exclude: Path) -> Path | None:
    """A readable log in ``log_dir`` written for the same bytes (the report was moved or given another path)."""
    if not sha256:
        return None
    for p in _log_paths(log_dir):
        if p == exclude or RECOVERED in p.name:
            continue
        try:
            if sha256.encode() in p.read_bytes() and LogData.read(p).report.sha256 == sha256:
                return p
        except (OSError, LogError):
            continue
    return None


def _recovered_siblings(primary: Path) -> list[Path]:
    """Recovery files of ``primary``, newest first."""
    stem = primary.name[: -len(LOG_SUFFIX)]
    return sorted(primary.parent.glob(f"{glob_escape(stem)}{RECOVERED}*{LOG_SUFFIX}"), reverse=True)


def glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


def _new_recovery_path(primary: Path) -> Path:
    stem = primary.name[: -len(LOG_SUFFIX)]
    ts = datetime.now().strftime("%Y%m%dT%H%M%S")
    p = primary.with_name(f"{stem}{RECOVERED}{ts}{LOG_SUFFIX}")
    n = 2
    while p.exists():
        p = primary.with_name(f"{stem}{RECOVERED}{ts}-{n}{LOG_SUFFIX}")
        n += 1
    return p


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on the hidden sidecar ``.<name>.lock`` (never deleted: deleting lock files races)."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise LogError(lock, f"cannot create the lock file of the audit log: {e.strerror or e}") from None
    try:
        _lock_fd(fd)
        try:
            yield
        finally:
            _unlock_fd(fd)
    finally:
        os.close(fd)


try:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _lock_fd(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises
                return
            except OSError:
                continue

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dfd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)


# ----------------------------------------------------------------------------------------------- AuditLog


class AuditLog:
    """The live audit log of one report: verdicts for its current findings. Every mutation saves at once.

    Not thread-safe within one process (use one AuditLog per report per process); safe across processes.
    """

    def __init__(self, primary: Path, report: ReportInfo, findings: Sequence[Finding], auditor: str,
                 recover: bool) -> None:
        self.primary = primary
        """The log's normal file name (which may be unreadable; see :attr:`path`)."""
        self.path = primary
        """The file being written: :attr:`primary`, or a recovery file beside it."""
        self.ident = report
        self.findings = list(findings)
        self.keys = finding_keys(self.findings)
        """The log key of each finding, aligned with the findings given to :meth:`open`."""
        self.auditor = auditor
        self.recover = recover
        self.notices: list[str] = []
        """Things the auditor must be told (a broken log left aside, a log found under another path)."""
        self.report_changed = False
        """The report's bytes differ from those the log was last written for (found by this open)."""
        self.data: LogData | None = None

    # --- opening

    @classmethod
    def open(cls, report: Report, findings: Sequence[Finding], log_dir: str | os.PathLike, auditor: str,
             *, recover: bool = True) -> AuditLog:
        """Open (or create) the log of ``report`` in ``log_dir`` and reattach verdicts to ``findings``.

        Raises :class:`LogError` for an unreadable log when ``recover`` is false, and for I/O errors.
        """
        log_dir = Path(log_dir)
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise LogError(log_dir, f"cannot create the log folder: {e.strerror or e}") from None
        ident = ReportInfo.of(report)
        primary = log_dir / log_file_name(ident.path)
        notices = []
        if not primary.exists():
            other = _find_by_sha(log_dir, ident.sha256, exclude=primary)
            if other is not None:
                primary = other
                notices.append(f"{other}: continuing this log, written for the same report under another path")
        log = cls(primary, ident, findings, auditor or "auditor", recover)
        log.notices.extend(notices)
        log._transact(log._reattach)
        return log

    def _reattach(self, data: LogData) -> bool:
        changed = False
        rec = _Recorder(data, self.auditor, "auto")
        old, new = data.report, self.ident
        existing = bool(old.sha256)
        if existing and old.sha256 != new.sha256:
            self.report_changed = True
        for fld in ("path", "sha256", "body", "year", "template"):
            before, after = getattr(old, fld), getattr(new, fld)
            if before != after:
                setattr(old, fld, after)
                if existing:
                    rec.record("report", fld, "" if before is None else str(before),
                               "" if after is None else str(after))
                changed = True
        if old.auditui != new.auditui:
            old.auditui = new.auditui
            changed = True
        for key, f in zip(self.keys, self.findings, strict=True):
            e = data.entry(key)
            if e is None:
                data.entries.append(Entry.of(key, f))
                changed = True
                continue
            changed |= e.refresh(f)
            if e.resolved:
                rec.set(key, "resolved", "false")
        current = set(self.keys)
        for e in data.entries:
            if e.key not in current and not e.resolved:
                rec.set(e.key, "resolved", "true")
        if self.report_changed:
            for e in data.entries:  # where the finding still exists: a resolved one needs no review
                if e.has_verdict and not e.resolved:
                    rec.set(e.key, "stale", "true")
        return changed or bool(rec)

    # --- the transaction: lock, re-read, apply, write

    def _transact(self, op: Callable[[LogData], bool]) -> None:
        while True:
            with _locked(self.path):
                try:
                    data = self._read_current()
                except LogError as e:
                    if not self.recover:
                        raise
                    err = e
                else:
                    self._apply(data, op)
                    return
            # outside the lock: flock conflicts even between two descriptors of one process
            self._switch_to_recovery(err)

    def _apply(self, data: LogData, op: Callable[[LogData], bool]) -> None:
        new = not self.path.exists()
        changed = op(data)
        if changed or new:
            data.report.auditui = __version__
            try:
                atomic_write(self.path, data.dumps().encode("utf-8"))
            except OSError as e:
                raise LogError(self.path, f"cannot save audit log: {e.strerror or e}") from None
        self.data = data

    def _read_current(self) -> LogData:
        if self.path.exists():
            return LogData.read(self.path)
        if self.data is not None:  # the file went away (or we moved to a recovery file): keep our work
            data = copy.deepcopy(self.data)
            data.path = self.path
            return data
        return LogData(path=self.path, report=ReportInfo(auditui=__version__))

    def _switch_to_recovery(self, err: LogError) -> None:
        bad = self.path
        target = None
        with _locked(self.primary):
            for p in _recovered_siblings(self.primary):
                if p == bad:
                    continue
                try:
                    LogData.read(p)
                except LogError:
                    continue
                target = p
                break
            if target is None:
                target = _new_recovery_path(self.primary)
        self.path = target
        self.notices.append(f"{err.path}: cannot be used ({err.reason}). It is left untouched; "
                            f"work continues in {target.name}.")

    # --- queries

    def _data(self) -> LogData:
        assert self.data is not None
        return self.data

    @property
    def entries(self) -> list[Entry]:
        """Current findings' entries in findings order, then resolved ones in log order. Do not mutate."""
        data = self._data()
        by_key = {e.key: e for e in data.entries}
        current = [by_key[k] for k in self.keys if k in by_key]
        seen = set(self.keys)
        return current + [e for e in data.entries if e.key not in seen]

    def entry(self, key: str) -> Entry:
        e = self._data().entry(key)
        if e is None:
            raise KeyError(key)
        return e

    def status(self, key: str) -> str:
        """The verdict: ``open``, ``confirmed`` or ``dismissed`` (see :attr:`Entry.resolved` for gone ones)."""
        return self.entry(key).status

    @property
    def notes(self) -> list[Note]:
        return list(self._data().notes)

    def notes_for(self, target: str) -> list[Note]:
        return [n for n in self._data().notes if n.target == target]

    @property
    def history(self) -> list[Change]:
        return list(self._data().history)

    @property
    def stale(self) -> bool:
        """The report changed since verdicts were made (this open found it, or entries still carry the flag)."""
        return self.report_changed or self._data().stale

    def counts(self) -> dict[str, int]:
        return self._data().counts()

    def refresh(self) -> None:
        """Re-read the log to see what other processes wrote (no write)."""
        self._transact(lambda data: False)

    # --- mutations (each saves at once)

    def set_status(self, key: str, status: str, reason: str = "") -> None:
        """Set a finding's verdict. ``dismissed`` needs a reason. Clears the entry's ``stale`` flag."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        _check_text(reason, "reason")
        if status == "dismissed" and not reason.strip():
            raise ValueError("dismissing a finding needs a reason")
        self.entry(key)

        def op(data: LogData) -> bool:
            self._require(data, key)
            rec = _Recorder(data, self.auditor, "edit")
            rec.set(key, "status", status)
            rec.set(key, "reason", reason)
            rec.set(key, "stale", "false")
            return bool(rec)

        self._transact(op)

    def set_comment(self, key: str, text: str) -> None:
        _check_text(text, "comment")
        self.entry(key)

        def op(data: LogData) -> bool:
            self._require(data, key)
            rec = _Recorder(data, self.auditor, "edit")
            rec.set(key, "comment", text)
            return bool(rec)

        self._transact(op)

    def add_note(self, target: str, text: str) -> str:
        """Attach a free note to a cell (``table/row/column``) or a row (``table/row``); returns its id."""
        parts = target.split("/") if isinstance(target, str) else []
        if not 1 <= len(parts) <= 3 or any(not p or p != p.strip() for p in parts):
            raise ValueError(f"note target must be 'table/row' or 'table/row/column', not {target!r}")
        _check_text(text, "note")
        if not text:
            raise ValueError("a note needs text")
        result: list[str] = []

        def op(data: LogData) -> bool:
            used = {n.id for n in data.notes} | {h.key[5:] for h in data.history if h.key.startswith("note:")}
            n = 1
            while f"n{n}" in used:
                n += 1
            note_id = f"n{n}"
            result[:] = [note_id]
            rec = _Recorder(data, self.auditor, "edit")
            data.notes.append(Note(id=note_id, target=target, text="", auditor=self.auditor, time=rec.time))
            rec.record(f"note:{note_id}", "target", "", target)
            rec.set(f"note:{note_id}", "text", text)
            return True

        self._transact(op)
        return result[0]

    def edit_note(self, note_id: str, text: str) -> None:
        """Change a note's text; ``""`` deletes the note (its text stays in history)."""
        _check_text(text, "note")
        if self._data().note(note_id) is None:
            raise KeyError(note_id)

        def op(data: LogData) -> bool:
            n = data.note(note_id)
            if n is None:
                raise KeyError(note_id)
            rec = _Recorder(data, self.auditor, "edit")
            rec.set(f"note:{note_id}", "text", text)
            if rec and text:
                n.auditor, n.time = self.auditor, rec.time
            return bool(rec)

        self._transact(op)

    def undo(self) -> list[Change]:
        """Revert this auditor's most recent change not yet undone; the undo is itself recorded in history.

        Returns the history records written by the undo ([] if there was nothing to undo). Raises
        :class:`UndoError` if a field was changed since by someone else (undoing would lose their work).
        """
        result: list[Change] = []

        def op(data: LogData) -> bool:
            undone = {h.undoes for h in data.history if h.kind == "undo"}
            mine = [h for h in data.history if h.kind == "edit" and h.auditor == self.auditor
                    and h.change not in undone]
            if not mine:
                return False
            last = max(h.change for h in mine)
            records = [h for h in data.history if h.change == last and h.kind == "edit"]
            for h in records:
                if _get(data, h.key, h.field) != h.after:
                    raise UndoError(f"cannot undo: {h.key} {h.field} was changed since "
                                    f"(now {_get(data, h.key, h.field)!r}, was set to {h.after!r})")
            rec = _Recorder(data, self.auditor, "undo", undoes=last)
            for h in reversed(records):
                before = h.after  # checked above
                _put(data, h.key, h.field, h.before)
                rec.record(h.key, h.field, before, h.before)
                if h.key.startswith("note:"):
                    n = data.note(h.key[5:])
                    if n is not None:
                        n.auditor, n.time = self.auditor, rec.time
                else:
                    e = data.entry(h.key)
                    if e is not None:
                        e.auditor, e.time = self.auditor, rec.time
            result[:] = rec.records
            return True

        self._transact(op)
        return result

    @staticmethod
    def _require(data: LogData, key: str) -> None:
        if data.entry(key) is None:
            raise KeyError(key)


# ----------------------------------------------------------------------------------------------- read-only


def _readable_log(report: Report, log_dir: Path) -> LogData | None:
    ident = ReportInfo.of(report)
    primary = log_dir / log_file_name(ident.path)
    if not primary.exists():
        other = _find_by_sha(log_dir, ident.sha256, exclude=primary)
        return LogData.read(other) if other is not None else None
    try:
        return LogData.read(primary)
    except LogError:
        for p in _recovered_siblings(primary):
            try:
                return LogData.read(p)
            except LogError:
                continue
        raise


VERDICT_FIELDS = ("status", "reason", "comment", "auditor", "time", "stale")


def read_verdicts(report: Report, findings: Sequence[Finding],
                  log_dir: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """Each finding's verdict from the report's log, without writing (or creating) anything.

    Returns ``{log key: {"status", "reason", "comment", "auditor", "time", "stale"}}`` with one item per
    finding (log keys: :func:`finding_keys`, i.e. :attr:`Finding.key` unless repeated). ``status`` is
    ``open``, ``confirmed`` or ``dismissed``; ``stale`` is true when the verdict was made on other bytes of the
    report. No log (or no folder): every finding is ``open``. Raises :class:`LogError` if the log cannot be
    read and there is no readable recovery file beside it.
    """
    keys = finding_keys(findings)
    data = _readable_log(report, Path(log_dir))
    changed = data is not None and bool(data.report.sha256) and data.report.sha256 != report.source.sha256
    out: dict[str, dict[str, Any]] = {}
    for k in keys:
        e = data.entry(k) if data is not None else None
        if e is None:
            out[k] = {"status": "open", "reason": "", "comment": "", "auditor": "", "time": "", "stale": False}
        else:
            out[k] = {"status": e.status, "reason": e.reason, "comment": e.comment, "auditor": e.auditor,
                      "time": e.time, "stale": e.stale or (changed and e.has_verdict)}
    return out


def count_open_errors(findings: Sequence[Finding], verdicts: dict[str, dict[str, Any]]) -> int:
    """Errors not dismissed: what ``auditui check --log-dir`` exits with (non-zero if any)."""
    return sum(1 for f, k in zip(findings, finding_keys(findings), strict=True)
               if f.severity == "error" and verdicts.get(k, {}).get("status") != "dismissed")


def load_logs(log_dir: str | os.PathLike) -> tuple[list[LogData], list[LogError]]:
    """Every ``*.toml`` log in ``log_dir`` (sorted by file name), and a LogError for each that cannot be read."""
    logs, errors = [], []
    for p in _log_paths(Path(log_dir)):
        try:
            logs.append(LogData.read(p))
        except LogError as e:
            errors.append(e)
    return logs, errors
