"""The audit log: one TOML file per report holding the auditor's verdicts, comments, notes and their history.

The file format, the guarantees (atomic saves merged under a lock, broken logs never overwritten, append-only
history) and the public API are described in ``docs/auditlog.md``. The package is split in three:
:mod:`.records` (the data classes and their TOML mapping), :mod:`.storage` (file names, locking, atomic
writes, recovery files) and :mod:`.log` (:class:`AuditLog` and the read-only readers). Import from here.
"""

from .log import (
    AuditLog,
    Reviewed,
    UndoError,
    count_open_errors,
    load_logs,
    read_review,
    read_verdicts,
    readings_of,
    session_id,
    used_reasons,
)
from .records import (
    DISPLAY_STATUSES,
    SCHEMA,
    STATUSES,
    Change,
    Entry,
    LogData,
    LogError,
    Note,
    Reading,
    ReportInfo,
    ReviewState,
    finding_keys,
    now,
)
from .storage import LOCK_TIMEOUT, MAX_LOG_BYTES, LockTimeout, atomic_write, is_log_name, log_file_name

__all__ = [
    "DISPLAY_STATUSES",
    "LOCK_TIMEOUT",
    "MAX_LOG_BYTES",
    "SCHEMA",
    "STATUSES",
    "AuditLog",
    "Change",
    "Entry",
    "LockTimeout",
    "LogData",
    "LogError",
    "Note",
    "Reading",
    "ReportInfo",
    "ReviewState",
    "Reviewed",
    "UndoError",
    "atomic_write",
    "count_open_errors",
    "finding_keys",
    "is_log_name",
    "load_logs",
    "log_file_name",
    "now",
    "read_review",
    "read_verdicts",
    "readings_of",
    "session_id",
    "used_reasons",
]
