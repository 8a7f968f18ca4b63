"""The live audit log of one report (:class:`AuditLog`) and the read-only readers used by the CLI and exports.

See ``docs/auditlog.md`` for the file format and the guarantees.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import __version__
from ..model import Finding, Report
from ..readings import NONE, Readings, cell_ref, recheck, was_text
from .records import (
    STATUSES,
    Change,
    Entry,
    LogData,
    LogError,
    Note,
    Reading,
    Recorder,
    ReportInfo,
    ReviewState,
    check_text,
    finding_keys,
    get_field,
    merge,
    note_ids,
    put_field,
    reading_value,
    signed,
)
from .storage import (
    LOCK_TIMEOUT,
    MAX_LOG_BYTES,
    atomic_write,
    ensure_folder,
    find_by_sha,
    is_read_only,
    locked,
    log_file_name,
    log_paths,
    new_recovery_path,
    read_log,
    read_log_bytes,
    real_path,
    recovered_siblings,
    remove_stale_temporaries,
)

if TYPE_CHECKING:
    from ..checked import Checked


Recheck = Callable[[Readings], Sequence[Finding]]
"""The findings of the report with the auditor's readings applied (:class:`~auditui.core.readings.Rechecker`)."""


def readings_of(data: LogData | None) -> Readings:
    """The readings a log holds, as the rules take them (blank-as-zero signed by who turned it on)."""
    if data is None or not (data.readings or data.review.blank_zero):
        return NONE
    return Readings.of(((r.cell, r.number) for r in data.readings),
                       (data.review.blank_zero_by or "auditor") if data.review.blank_zero else "")


class UndoError(Exception):
    """The change to undo was overwritten since (by someone else); undoing it would lose their work."""


_SESSION: tuple[int, str] | None = None


def session_id() -> str:
    """This run of auditui: a random id made once per process (a forked child makes its own). Every history
    record carries it, so that undo reverts this run's own changes, never another window's."""
    global _SESSION
    if _SESSION is None or _SESSION[0] != os.getpid():
        _SESSION = (os.getpid(), os.urandom(6).hex())
    return _SESSION[1]


class AuditLog:
    """The live audit log of one report: verdicts for its current findings. Every mutation saves at once.

    Safe across processes and threads: each save takes the log's lock (waiting at most ``timeout`` seconds,
    then :class:`~auditui.core.auditlog.storage.LockTimeout`), so a caller that must not wait (a UI thread)
    runs mutations in a worker; queries read the last state saved or read, replaced whole by each save.
    """

    def __init__(self, primary: Path, report: ReportInfo, findings: Sequence[Finding], auditor: str,
                 recover: bool, session: str, timeout: float, parsed: Report | None = None,
                 recheck: Recheck | None = None) -> None:
        self.primary = primary
        """The log's normal file name (which may be unreadable; see :attr:`path`)."""
        self.path = primary
        """The file being written: :attr:`primary`, or a recovery file beside it."""
        self.ident = report
        self.findings = list(findings)
        self.keys = finding_keys(self.findings)
        """The log key of each finding, aligned with :attr:`findings` (those given to :meth:`open`, or with
        ``recheck``, those of the report with the log's readings applied)."""
        self.parsed = parsed
        """The report as parsed (what a reading's ``was`` is taken from)."""
        self._recheck = recheck
        self._readings: Readings = NONE
        """The readings :attr:`findings` were worked out for."""
        self.auditor = auditor
        self.recover = recover
        self.session = session
        self.timeout = timeout
        self.notices: list[str] = []
        """Things the auditor must be told (a broken log left aside, a log found under another path)."""
        self.report_changed = False
        """The report's bytes differ from those the log was last written for (found by this open)."""
        self.data: LogData | None = None
        self._disk: bytes | None = None
        """The bytes of :attr:`path` that :attr:`data` was read from or written as (None: no file yet)."""
        self._merge = False
        """After moving to a recovery file: merge what this process knew into what that file holds."""
        self._told: set[str] = set()

    # --- opening

    @classmethod
    def open(cls, report: Report, findings: Sequence[Finding], log_dir: str | os.PathLike[str], auditor: str,
             *, recover: bool = True, session: str | None = None, timeout: float = LOCK_TIMEOUT,
             recheck: Recheck | None = None) -> AuditLog:
        """Open the log of ``report`` in ``log_dir`` and reattach verdicts to ``findings``.

        ``recheck``, when given, makes the findings those of the report with the log's readings applied
        (``recheck(readings)``, readings being the auditor's readings of cells and blank-as-zero): worked out
        when the log is read and again whenever the readings change (a reading, blank-as-zero, an undo, another
        writer's reading); :attr:`findings` and :attr:`keys` follow, and entries of findings that come and go
        are resolved and reopened as on a new parse. Without it the findings are ``findings`` for good.

        Nothing is written until there is something to record: a report nobody has given a verdict, a comment
        or a note has no log file (and the folder is created on the first save). ``session`` defaults to
        this process's :func:`session_id`. Raises :class:`LogError` for an unreadable log when ``recover`` is
        false, and for problems a recovery file would not cure (a file we may not read, a lock held longer
        than ``timeout`` seconds).
        """
        log_dir = Path(log_dir)
        ident = ReportInfo.of(report)
        primary = log_dir / log_file_name(report.source.path)
        notices = []
        if not os.path.lexists(primary):
            other = find_by_sha(log_dir, ident.sha256, exclude=primary)
            if other is not None:
                primary = other
                notices.append(f"{other}: continuing this log, written for the same report under another path")
        log = cls(primary, ident, findings, auditor or "auditor", recover, session or session_id(), timeout,
                  report, recheck)
        log.notices.extend(notices)
        log._open()
        return log

    def _open(self) -> None:
        while True:
            try:
                raw = read_log_bytes(self.path)
                data = self._fresh() if raw is None else LogData.parse(raw, self.path)
                break
            except LogError as e:
                if not (self.recover and e.recoverable):
                    raise
                self._switch_to_recovery(e)
        self._tell(data)
        pristine = data.copy() if raw is not None else None
        changed = self._reattach(data)
        if raw is None or not changed:
            self.data, self._disk = data, raw  # (no file: nothing to record yet)
            return
        if is_read_only(real_path(self.path)):
            self.data, self._disk = data, raw
            self.notices.append(f"{self.path}: the audit log is read-only; verdicts are shown but cannot be saved")
            return
        self.data, self._disk = pristine, raw
        self._transact(self._reattach)

    def _fresh(self) -> LogData:
        return LogData(path=self.path, report=ReportInfo(auditui=__version__))

    def _reattach(self, data: LogData) -> bool:
        changed = False
        rec = Recorder(data, self.auditor, "auto", self.session)
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
        current_before = {e.key for e in data.entries if not e.resolved}
        changed |= self._attach(data, rec)
        if self.report_changed:
            # What was made on the old bytes is to look at again: every verdict on a finding that was there (still
            # there or not: one the new bytes no longer give is not silently taken as resolved), every reading,
            # the review state.
            for e in data.entries:
                if e.has_verdict and (not e.resolved or e.key in current_before):
                    rec.set(e.key, "stale", "true")
            for r in list(data.readings):
                rec.set(f"reading:{r.cell}", "stale", "true")
            if data.review.reviewed or data.review.blank_zero:
                rec.set("review", "stale", "true")
        return changed or bool(rec)

    def _attach(self, data: LogData, rec: Recorder) -> bool:
        """Entries for the current findings (worked out again first when the readings changed), resolved for
        those that are gone, reopened for those back; each reading's ``was`` from the parse. True if anything
        changed."""
        changed = False
        if self._recheck is not None:
            readings = readings_of(data)
            if readings != self._readings:
                self.findings = list(self._recheck(readings))
                self.keys = finding_keys(self.findings)
                self._readings = readings
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
        if self.parsed is not None:
            for r in data.readings:
                ref = cell_ref(r.cell)
                was = was_text(self.parsed.cell(ref)) if ref is not None else ""
                if r.was != was:
                    r.was = was
                    changed = True
        return changed or bool(rec)

    def _ensure_entries(self, data: LogData) -> bool:
        """Entries for this session's findings in a log another process wrote (without them) since we read it."""
        added = False
        for key, f in zip(self.keys, self.findings, strict=True):
            if data.entry(key) is None:
                data.entries.append(Entry.of(key, f))
                added = True
        return added

    # --- the transaction: lock, re-read, apply, write

    def _transact(self, op: Callable[[LogData], bool]) -> None:
        while True:
            ensure_folder(self.path.parent)
            with locked(real_path(self.path), self.timeout):
                try:
                    raw = read_log_bytes(self.path)
                    theirs = raw is not None and (raw != self._disk or self.data is None)
                    parsed = None
                    if theirs and raw is not None:
                        parsed = (self.data.parse_update(raw) if self.data is not None and self._disk is not None
                                  and self.data.path == self.path else LogData.parse(raw, self.path))
                except LogError as e:
                    if not (self.recover and e.recoverable):
                        raise
                    err = e
                else:
                    if parsed is None:
                        # the file is as we left it (or gone, or a recovery file not yet written): our copy
                        data = self.data.copy() if self.data is not None else self._fresh()
                        data.path = self.path
                        merged = 0
                    else:  # another process saved since: its file is the truth, with our work merged in
                        data = parsed
                        merged = merge(data, self.data) if self._merge and self.data is not None else 0
                        merged += self._ensure_entries(data)
                    self._apply(data, raw, merged, op)
                    return
            # outside the lock: flock conflicts even between two descriptors of one process
            self._switch_to_recovery(err)

    def _apply(self, data: LogData, raw: bytes | None, merged: int, op: Callable[[LogData], bool]) -> None:
        changed = op(data)
        if self._recheck is not None:  # the findings of the readings as they now are (ours, or another writer's)
            changed |= self._attach(data, Recorder(data, self.auditor, "auto", self.session))
        if changed or merged:
            data.report.auditui = __version__
            payload = data.dumps().encode("utf-8")
            if len(payload) > MAX_LOG_BYTES:
                raise LogError(self.path, f"saving would make the audit log {len(payload) / 1048576:,.1f} MB, "
                                          f"more than the {MAX_LOG_BYTES // 1048576} MB auditui reads; "
                                          "nothing was saved")
            target = real_path(self.path)
            remove_stale_temporaries(target)
            try:
                atomic_write(target, payload)
            except OSError as e:
                raise LogError(self.path, f"cannot save audit log: {e.strerror or e}") from None
            raw = payload
            self._merge = False  # what this process knew is in the file now
        self.data, self._disk = data, raw
        self._tell(data)

    def _switch_to_recovery(self, err: LogError) -> None:
        bad = self.path
        target = None
        with locked(real_path(self.primary), self.timeout):
            for p in recovered_siblings(self.primary):
                if p == bad:
                    continue
                try:
                    read_log(p)
                except LogError:
                    continue
                target = p
                break
            if target is None:
                target = new_recovery_path(self.primary)
        self.path, self._disk, self._merge = target, None, True
        self.notices.append(f"{err.path}: cannot be used ({err.reason}). It is left untouched; "
                            f"work continues in {target.name}.")

    def _tell(self, data: LogData) -> None:
        for p in data.problems:
            notice = f"{data.path}: {p}"
            if notice not in self._told:
                self._told.add(notice)
                self.notices.append(notice)

    # --- queries

    def _data(self) -> LogData:
        assert self.data is not None
        return self.data

    @property
    def exists(self) -> bool:
        """Whether the log has been written (a report nobody has recorded anything about has no file)."""
        return self._disk is not None

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

    @property
    def readings(self) -> Readings:
        """The auditor's readings and blank-as-zero, as the rules take them."""
        return readings_of(self._data())

    @property
    def reading_list(self) -> list[Reading]:
        """Every reading of the log (with who, when, note, what the parse had, and whether it is stale)."""
        return list(self._data().readings)

    def reading(self, cell: str) -> Reading | None:
        return self._data().reading(cell)

    @property
    def review(self) -> ReviewState:
        """Reviewed (done) and blank-as-zero, with who and when. Do not mutate."""
        return self._data().review

    def look_again(self) -> list[Entry]:
        """Entries with a verdict made on other bytes of the report whose finding the new bytes no longer give
        (the stale readings are in :attr:`reading_list`)."""
        return [e for e in self._data().entries if e.stale and e.resolved]

    def refresh(self) -> None:
        """Re-read the log to see what other processes wrote (no lock, no write)."""
        try:
            raw = read_log_bytes(self.path)
            if raw is None or raw == self._disk:
                return
            data = (self.data.parse_update(raw) if self.data is not None and self._disk is not None
                    else LogData.parse(raw, self.path))
        except LogError as e:
            if not (self.recover and e.recoverable):
                raise
            self._switch_to_recovery(e)
            return
        if self._merge and self.data is not None:
            merge(data, self.data)  # shown now, written with the next change (until then, still pending)
        if self._recheck is not None:  # another writer's readings: the findings they give
            self._attach(data, Recorder(data, self.auditor, "auto", self.session))
        self._ensure_entries(data)
        self.data, self._disk = data, raw
        self._tell(data)

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
            rec = Recorder(data, self.auditor, "edit", self.session)
            rec.set(key, "status", status)
            rec.set(key, "reason", reason)
            rec.set(key, "stale", "false")
            return bool(rec)

        self._transact(op)

    def set_statuses(self, keys: Sequence[str], status: str, reason: str = "") -> None:
        """Set the verdict of several findings as one change (one undo step): bulk triage of a rule's findings.
        As :meth:`set_status` for each."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        check_text(reason, "reason")
        if status == "dismissed" and not reason.strip():
            raise ValueError("dismissing a finding needs a reason")
        keys = list(dict.fromkeys(keys))
        for key in keys:
            self.entry(key)

        def op(data: LogData) -> bool:
            rec = Recorder(data, self.auditor, "edit", self.session)
            for key in keys:
                self._require(data, key)
                rec.set(key, "status", status)
                rec.set(key, "reason", reason)
                rec.set(key, "stale", "false")
            return bool(rec)

        self._transact(op)

    def set_readings(self, values: dict[str, int | None], note: str = "") -> None:
        """Record the auditor's readings of cells (``{"三/三.七/总计": 12}``; None: the cell is blank in the
        original), with an optional note, as one change (one undo step). A reading made again (even the same)
        is no longer stale. Needs the log to have been opened with ``recheck`` for the findings to follow."""
        check_text(note, "note")
        items = []
        for cell, value in values.items():
            if cell_ref(cell) is None:
                raise ValueError(f"a reading's cell must be 'table/row/column', not {cell!r}")
            check_text(cell, "cell")
            if value is not None and (value.__class__ is not int or value < 0):
                raise ValueError(f"a reading is a whole number of 0 or more, or None (blank), not {value!r}")
            items.append((cell, reading_value(value)))
        if not items:
            return

        def op(data: LogData) -> bool:
            rec = Recorder(data, self.auditor, "edit", self.session)
            for cell, value in items:
                key = f"reading:{cell}"
                rec.set(key, "value", value)
                rec.set(key, "note", note)
                rec.set(key, "stale", "false")
            return bool(rec)

        self._transact(op)

    def clear_readings(self, cells: Sequence[str]) -> None:
        """Take the auditor's readings of ``cells`` back (the cells are then as parsed), as one change; history
        keeps what they were."""

        def op(data: LogData) -> bool:
            rec = Recorder(data, self.auditor, "edit", self.session)
            for cell in cells:
                if data.reading(cell) is None:
                    continue
                key = f"reading:{cell}"
                rec.set(key, "note", "")  # (first, so that an undo brings the reading back with its note)
                rec.set(key, "stale", "false")
                rec.set(key, "value", "")
            return bool(rec)

        self._transact(op)

    def set_blank_zero(self, on: bool) -> None:
        """Read every blank cell of parts 三 and 四 as 0 (``on``), or as blank again."""

        def op(data: LogData) -> bool:
            rec = Recorder(data, self.auditor, "edit", self.session)
            rec.set("review", "blank_zero", "true" if on else "false")
            return bool(rec)

        self._transact(op)

    def set_reviewed(self, on: bool) -> None:
        """Mark the report reviewed (done), or not. Marking it reviewed takes on what was to look at again: the
        ``stale`` flag of every verdict, reading and of the review state is cleared in the same change (one undo
        step restores them)."""

        def op(data: LogData) -> bool:
            rec = Recorder(data, self.auditor, "edit", self.session)
            rec.set("review", "reviewed", "true" if on else "false")
            if on:
                for e in data.entries:
                    if e.stale:
                        rec.set(e.key, "stale", "false")
                for r in list(data.readings):
                    if r.stale:
                        rec.set(f"reading:{r.cell}", "stale", "false")
                rec.set("review", "stale", "false")
            return bool(rec)

        self._transact(op)

    def set_comment(self, key: str, text: str) -> None:
        check_text(text, "comment")
        self.entry(key)

        def op(data: LogData) -> bool:
            self._require(data, key)
            rec = Recorder(data, self.auditor, "edit", self.session)
            rec.set(key, "comment", text)
            return bool(rec)

        self._transact(op)

    def add_note(self, target: str, text: str) -> str:
        """Attach a free note to a cell (``table/row/column``) or a row (``table/row``); returns its id."""
        parts = target.split("/") if isinstance(target, str) else []
        if not 1 <= len(parts) <= 3 or any(not p or p != p.strip() for p in parts):
            raise ValueError(f"note target must be 'table/row' or 'table/row/column', not {target!r}")
        check_text(target, "note target")
        check_text(text, "note")
        if not text:
            raise ValueError("a note needs text")
        result: list[str] = []

        def op(data: LogData) -> bool:
            used = note_ids(data)
            n = 1
            while f"n{n}" in used:
                n += 1
            note_id = f"n{n}"
            result[:] = [note_id]
            rec = Recorder(data, self.auditor, "edit", self.session)
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
            rec = Recorder(data, self.auditor, "edit", self.session)
            rec.set(f"note:{note_id}", "text", text)
            if rec and text:
                n.auditor, n.time = self.auditor, rec.time
            return bool(rec)

        self._transact(op)

    def undo(self) -> list[Change]:
        """Revert this session's most recent change not yet undone (another window's or another process's
        changes are never touched, even by the same auditor); the undo is itself recorded in history.

        Returns the history records written by the undo ([] if there was nothing to undo). Raises
        :class:`UndoError` if a field was changed since by someone else (undoing would lose their work).
        """
        result: list[Change] = []

        def op(data: LogData) -> bool:
            undone = {h.undoes for h in data.history if h.kind == "undo"}
            mine = [h for h in data.history if h.kind == "edit" and h.session == self.session
                    and h.auditor == self.auditor and h.change not in undone]
            if not mine:
                return False
            last = max(h.change for h in mine)
            records = [h for h in data.history if h.change == last and h.kind == "edit"]
            for h in records:
                if get_field(data, h.key, h.field) != h.after:
                    raise UndoError(f"cannot undo: {h.key} {h.field} was changed since "
                                    f"(now {get_field(data, h.key, h.field)!r}, was set to {h.after!r})")
            rec = Recorder(data, self.auditor, "undo", self.session, undoes=last)
            for h in reversed(records):
                before = h.after  # checked above
                put_field(data, h.key, h.field, h.before)
                rec.record(h.key, h.field, before, h.before)
                if h.key.startswith("note:"):
                    n = data.note(h.key[5:])
                    if n is not None:
                        n.auditor, n.time = self.auditor, rec.time
                else:
                    signed(data, h.key, h.field, self.auditor, rec.time)
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
    primary = log_dir / log_file_name(report.source.path)
    if not os.path.lexists(primary):
        other = find_by_sha(log_dir, ident.sha256, exclude=primary)
        return read_log(other) if other is not None else None
    try:
        return read_log(primary)
    except LogError:
        for p in recovered_siblings(primary):
            try:
                return read_log(p)
            except LogError:
                continue
        raise


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A checked report as its audit log leaves it (:func:`read_review`): ``checked`` with the log's readings
    applied and its findings checked again, each finding's verdict (aligned with ``checked.findings``, as
    :func:`read_verdicts` gives them), the readings and the review state (reviewed, blank-as-zero); ``data``
    is the log (None: there is none)."""

    checked: Checked
    verdicts: list[dict[str, Any]]
    readings: list[Reading]
    review: ReviewState
    data: LogData | None = None

    @property
    def stale(self) -> bool:
        """Something was made on other bytes of the report: a verdict, a reading, the review state."""
        return any(v["stale"] for v in self.verdicts) or any(r.stale for r in self.readings) or self.review.stale


def read_review(checked: Checked, log_dir: str | os.PathLike[str]) -> Reviewed:
    """``checked`` as its audit log in ``log_dir`` leaves it, without writing (or creating) anything: the
    auditor's readings and blank-as-zero applied (values, findings, counts: :func:`~auditui.core.readings.recheck`)
    and every finding's verdict. Raises :class:`LogError` as :func:`read_verdicts` does."""
    parsed = checked.report
    assert parsed is not None
    data = _readable_log(parsed, Path(log_dir))
    checked = recheck(checked, readings_of(data))
    by_key = _verdicts(data, parsed, checked.findings)
    verdicts = [by_key[k] for k in finding_keys(checked.findings)]
    if data is None:
        return Reviewed(checked, verdicts, [], ReviewState())
    changed = _changed(data, parsed)
    readings = [r.copy() for r in data.readings]
    for r in readings:  # what the parse has now, and whether the reading was made on other bytes
        ref = cell_ref(r.cell)
        r.was = was_text(parsed.cell(ref)) if ref is not None else ""
        r.stale = r.stale or changed
    review = data.review.copy()
    review.stale = review.stale or (changed and (review.reviewed or review.blank_zero))
    return Reviewed(checked, verdicts, readings, review, data)


def _changed(data: LogData | None, report: Report) -> bool:
    """The report's bytes are not those its log was last written for."""
    return data is not None and bool(data.report.sha256) and data.report.sha256 != report.source.sha256


def read_verdicts(report: Report, findings: Sequence[Finding],
                  log_dir: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Each finding's verdict from the report's log, without writing (or creating) anything.

    Returns ``{log key: {"status", "reason", "comment", "auditor", "time", "stale"}}`` with one item per
    finding (log keys: :func:`finding_keys`, i.e. :attr:`Finding.key` unless repeated). ``status`` is
    ``open``, ``confirmed`` or ``dismissed``; ``stale`` is true when the verdict was made on other bytes of the
    report. No log (or no folder): every finding is ``open``. Raises :class:`LogError` if the log cannot be
    read and there is no readable recovery file beside it.
    """
    return _verdicts(_readable_log(report, Path(log_dir)), report, findings)


def _verdicts(data: LogData | None, report: Report, findings: Sequence[Finding]) -> dict[str, dict[str, Any]]:
    keys = finding_keys(findings)
    changed = _changed(data, report)
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


def load_logs(log_dir: str | os.PathLike[str]) -> tuple[list[LogData], list[LogError]]:
    """Every log in ``log_dir`` (files named as logs, sorted by name), and a LogError for each that cannot be
    read. Other files (an export saved there, a README) are passed over quietly."""
    logs, errors = [], []
    for p in log_paths(Path(log_dir)):
        try:
            data = read_log(p)
        except LogError as e:
            errors.append(e)
            continue
        if data is not None:
            logs.append(data)
    return logs, errors


def used_reasons(log_dir: str | os.PathLike[str], auditor: str, limit: int = 30) -> list[str]:
    """The reasons ``auditor`` gave for dismissing findings, in the logs of ``log_dir``, latest first (at most
    ``limit``): what a reason dialog offers to pick from. Logs that cannot be read are passed over."""
    logs, _errors = load_logs(log_dir)
    given = sorted(((e.time, e.reason.strip()) for d in logs for e in d.entries
                    if e.status == "dismissed" and e.reason.strip() and e.auditor == auditor), reverse=True)
    return list(dict.fromkeys(reason for _time, reason in given))[:limit]
