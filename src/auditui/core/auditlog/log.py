"""The live audit log of one report (:class:`AuditLog`) and the read-only readers used by the CLI and exports.

See ``docs/auditlog.md`` for the file format and the guarantees.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ... import __version__
from ..model import Finding, Report
from .records import (
    STATUSES,
    Change,
    Entry,
    LogData,
    LogError,
    Note,
    Recorder,
    ReportInfo,
    check_text,
    finding_keys,
    get_field,
    put_field,
)
from .storage import (
    atomic_write,
    find_by_sha,
    locked,
    log_file_name,
    log_paths,
    new_recovery_path,
    recovered_siblings,
)


class UndoError(Exception):
    """The change to undo was overwritten since (by someone else); undoing it would lose their work."""


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
            other = find_by_sha(log_dir, ident.sha256, exclude=primary)
            if other is not None:
                primary = other
                notices.append(f"{other}: continuing this log, written for the same report under another path")
        log = cls(primary, ident, findings, auditor or "auditor", recover)
        log.notices.extend(notices)
        log._transact(log._reattach)
        return log

    def _reattach(self, data: LogData) -> bool:
        changed = False
        rec = Recorder(data, self.auditor, "auto")
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
            with locked(self.path):
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
        with locked(self.primary):
            for p in recovered_siblings(self.primary):
                if p == bad:
                    continue
                try:
                    LogData.read(p)
                except LogError:
                    continue
                target = p
                break
            if target is None:
                target = new_recovery_path(self.primary)
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
        check_text(reason, "reason")
        if status == "dismissed" and not reason.strip():
            raise ValueError("dismissing a finding needs a reason")
        self.entry(key)

        def op(data: LogData) -> bool:
            self._require(data, key)
            rec = Recorder(data, self.auditor, "edit")
            rec.set(key, "status", status)
            rec.set(key, "reason", reason)
            rec.set(key, "stale", "false")
            return bool(rec)

        self._transact(op)

    def set_comment(self, key: str, text: str) -> None:
        check_text(text, "comment")
        self.entry(key)

        def op(data: LogData) -> bool:
            self._require(data, key)
            rec = Recorder(data, self.auditor, "edit")
            rec.set(key, "comment", text)
            return bool(rec)

        self._transact(op)

    def add_note(self, target: str, text: str) -> str:
        """Attach a free note to a cell (``table/row/column``) or a row (``table/row``); returns its id."""
        parts = target.split("/") if isinstance(target, str) else []
        if not 1 <= len(parts) <= 3 or any(not p or p != p.strip() for p in parts):
            raise ValueError(f"note target must be 'table/row' or 'table/row/column', not {target!r}")
        check_text(text, "note")
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
            rec = Recorder(data, self.auditor, "edit")
            data.notes.append(Note(id=note_id, target=target, text="", auditor=self.auditor, time=rec.time))
            rec.record(f"note:{note_id}", "target", "", target)
            rec.set(f"note:{note_id}", "text", text)
            return True

        self._transact(op)
        return result[0]

    def edit_note(self, note_id: str, text: str) -> None:
        """Change a note's text; ``""`` deletes the note (its text stays in history)."""
        check_text(text, "note")
        if self._data().note(note_id) is None:
            raise KeyError(note_id)

        def op(data: LogData) -> bool:
            n = data.note(note_id)
            if n is None:
                raise KeyError(note_id)
            rec = Recorder(data, self.auditor, "edit")
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
                if get_field(data, h.key, h.field) != h.after:
                    raise UndoError(f"cannot undo: {h.key} {h.field} was changed since "
                                    f"(now {get_field(data, h.key, h.field)!r}, was set to {h.after!r})")
            rec = Recorder(data, self.auditor, "undo", undoes=last)
            for h in reversed(records):
                before = h.after  # checked above
                put_field(data, h.key, h.field, h.before)
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
        other = find_by_sha(log_dir, ident.sha256, exclude=primary)
        return LogData.read(other) if other is not None else None
    try:
        return LogData.read(primary)
    except LogError:
        for p in recovered_siblings(primary):
            try:
                return LogData.read(p)
            except LogError:
                continue
        raise



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
    for p in log_paths(Path(log_dir)):
        try:
            logs.append(LogData.read(p))
        except LogError as e:
            errors.append(e)
    return logs, errors
