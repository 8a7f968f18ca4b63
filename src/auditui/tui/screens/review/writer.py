"""Writing the audit log without freezing the review screen.

Each change the auditor makes (a verdict, a comment, a note, a reading, an undo) is a :data:`LogOp` given to the
screen's :class:`LogWriter`. Its worker thread runs the changes in order, one at a time (the log is locked and
synced to disk: a lock another auditor holds must not freeze the screen), and posts the screen a
:class:`LogWritten` after each and a :class:`LogIdle` once it has nothing left to write.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from ....core.auditlog import UndoError
from ...i18n import t

if TYPE_CHECKING:
    from textual.screen import Screen

    from ....core.auditlog import AuditLog


@dataclass
class LogWritten(Message):
    """A change to the audit log finished in the worker: ``notice`` to show, or ``error`` if it failed.
    ``wrote``: it was a change (not the opening of the log, which the queue's counts already reflect)."""

    notice: str | None = None
    error: str | None = None
    wrote: bool = True


class LogIdle(Message):
    """The audit-log worker has nothing left to write."""


LogOp = Callable[["AuditLog"], "str | None"]
"""A change to the open audit log, run in the worker: returns what to tell the auditor (None: nothing)."""


class Told(Exception):
    """A failed change whose message is already what the auditor should read."""


class LogWriter:
    """The audit-log worker of ``screen``: ``open_log`` opens the log (in the worker, like every write: opening
    takes the lock and may write; it raises :class:`Told` if the log cannot be opened), ``log`` is the log once
    open (None before, or if it could not be opened)."""

    def __init__(self, screen: Screen, open_log: Callable[[], str | None], log: Callable[[], AuditLog | None]) -> None:
        self._screen = screen
        self._open_log = open_log
        self._log = log
        self._ops: deque[LogOp | None] = deque()
        """Changes waiting for the worker, in order (None: opening the log, what a report starts with)."""
        self._lock = threading.Lock()
        self._writing = False
        """A worker is writing the queued changes (guarded by ``_lock``)."""

    @property
    def busy(self) -> bool:
        """Changes given are still being written (the :class:`LogIdle` that ends them is on its way)."""
        with self._lock:
            return self._writing

    def write(self, op: LogOp | None) -> None:
        """Queue ``op`` for the worker, which runs the queue in order in a thread; each result comes back as a
        :class:`LogWritten` message, and :class:`LogIdle` once the queue is empty. ``op`` is given the open log
        (an op queued while the log could not be opened fails with a message); None opens the log."""
        with self._lock:
            self._ops.append(op)
            if self._writing:
                return
            self._writing = True
        self._screen.run_worker(self._write_queued, thread=True, group="audit-log", exit_on_error=False,
                                description="writing the audit log")

    def _write_queued(self) -> None:
        """The worker: run the queued changes one by one (an ``AuditLog`` is used by one thread at a time)."""
        while True:
            with self._lock:
                idle = not self._ops
                if idle:
                    self._writing = False
                else:
                    op = self._ops.popleft()
            if idle:
                self._screen.post_message(LogIdle())
                return
            wrote = op is not None  # every op but the opening needs the log
            try:
                if op is None:
                    notice = self._open_log()
                else:
                    log = self._log()
                    if log is None:
                        raise Told(t("review.no_log"))
                    notice = op(log)
            except Told as e:
                self._screen.post_message(LogWritten(error=str(e), wrote=wrote))
            except UndoError as e:
                self._screen.post_message(LogWritten(error=t("review.undo_failed", error=str(e)), wrote=wrote))
            except Exception as e:  # a lock that timed out, a full disk, a log changed under us: say so
                reason = getattr(e, "reason", None) or str(e) or type(e).__name__
                self._screen.post_message(LogWritten(error=t("review.save_failed", error=reason), wrote=wrote))
            else:
                self._screen.post_message(LogWritten(notice=notice, wrote=wrote))
