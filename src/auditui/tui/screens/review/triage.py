"""The auditor's verdicts and remarks on a report, each written to its audit log at once (by the screen's
:class:`~.writer.LogWriter`): confirm (``c``), dismiss with a reason (``x``) or reopen (``o``) the selected
finding, or every open finding of its rule (``C``, ``X``: one undo step); comment on a finding or note a cell
(``a``); mark the report reviewed (``d``); undo the last change (``u``). After a verdict the selection moves on
to the next open finding (config ``advance``).

:class:`TriageActions` is a part of :class:`~.screen.ReviewScreen` (a mixin).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...i18n import get_lang, rule_name, t
from ...widgets.findings import where

if TYPE_CHECKING:
    from textual.screen import Screen as _Screen  # (for the type checker: what the mixin's methods are given)

    from ....core.auditlog import AuditLog, Change
    from ....core.model import CellRef, Finding
    from ...widgets.findings import Verdict
    from .writer import LogWriter
else:
    _Screen = object

DONE_AGAIN_SECONDS = 8.0
"""A second ``d`` within this time marks a report reviewed although errors are open."""


class TriageActions(_Screen):
    """The review screen's actions on findings and notes, and on the report's review state."""

    findings: list[Finding]
    keys: list[str]
    listed: list[int]
    selected: int | None
    audit_log: AuditLog | None
    writer: LogWriter
    _done_asked: float
    if TYPE_CHECKING:  # (the screen's)
        @property
        def selected_finding(self) -> Finding | None: ...
        def select(self, index: int | None) -> None: ...
        def _step(self, step: int, among: list[int] | None = None) -> int | None: ...
        def cursor_ref(self) -> CellRef | None: ...
        def verdicts(self) -> list[Verdict]: ...
        def statuses(self) -> list[str]: ...
        def _need_log(self) -> bool: ...

    def _what(self, f: Finding) -> str:
        return f"{rule_name(f.rule)} {where(f)}"

    def _need_finding(self) -> Finding | None:
        f = self.selected_finding
        if f is None:
            self.app.notify(t("review.no_finding"), severity="warning", markup=False)
        return f

    def _entry(self, key: str):
        """The log entry of finding ``key`` as last read (None while the log opens)."""
        if self.audit_log is None:
            return None
        try:
            return self.audit_log.entry(key)
        except KeyError:
            return None

    def _message(self, f: Finding) -> str:
        return f.message_en if get_lang() == "en" and f.message_en else f.message

    # ------------------------------------------------------------------------------------------ verdicts: c, o, x

    def action_confirm(self) -> None:
        self._set_status("confirmed", "review.confirmed")

    def action_reopen(self) -> None:
        self._set_status("open", "review.reopened")

    def _set_status(self, status: str, notice: str) -> None:
        index, f = self.selected, self._need_finding()
        if f is None or index is None or not self._need_log():
            return
        key, what = self.keys[index], self._what(f)

        def op(log: AuditLog) -> str:
            log.set_status(key, status)
            return t(notice, what=what)

        self.writer.write(op)
        if status != "open":
            self._advance()

    def _advance(self, keys: list[str] | None = None) -> None:
        """After a verdict on the selected finding (or on the findings of ``keys``, being written): on to the next
        finding still open (config ``advance``, the default)."""
        if not getattr(self.app, "advance", True) or self.selected is None:
            return
        statuses = self.statuses()
        done = set(keys) if keys is not None else {self.keys[self.selected]}
        open_ = [i for i in self.listed if statuses[i] == "open" and self.keys[i] not in done]
        following = self._step(1, open_)
        if following is not None:
            self.select(following)

    def action_dismiss_finding(self) -> None:
        from ..dialogs import TextDialog  # the text editor is imported when first needed

        index, f = self.selected, self._need_finding()
        if f is None or index is None or not self._need_log():
            return
        key, what = self.keys[index], self._what(f)
        entry = self._entry(key)

        def done(reason: str | None) -> None:
            if reason is None:
                return
            reason = reason.strip()
            self._remember(reason)

            def op(log: AuditLog) -> str:
                log.set_status(key, "dismissed", reason=reason)
                return t("review.dismissed", what=what)

            self.writer.write(op)
            if self.selected is not None and self.keys[self.selected] == key:
                self._advance()

        self.app.push_screen(TextDialog(t("dialog.reason.title", what=what), entry.reason if entry else "",
                                        context=self._message(f), required=True, choices=self._reasons(),
                                        id="reason-dialog"), done)

    def _reasons(self) -> list[str]:
        """The reasons to pick from: those this auditor used, latest first, and the config's."""
        reasons = getattr(self.app, "reasons", None)
        return list(reasons()) if callable(reasons) else []

    def _remember(self, reason: str) -> None:
        remember = getattr(self.app, "remember_reason", None)
        if callable(remember):
            remember(reason)

    # ------------------------------------------------------------------------------------------ every open finding of a rule: C, X

    def _rule_keys(self) -> tuple[Finding, list[str]] | None:
        """The selected finding and the keys of every open finding of its rule in this report."""
        f = self._need_finding()
        if f is None or not self._need_log():
            return None
        statuses = self.statuses()
        keys = [k for k, g, s in zip(self.keys, self.findings, statuses, strict=True) if g.rule == f.rule and s == "open"]
        if not keys:
            self.app.notify(t("review.bulk_none", rule=rule_name(f.rule)), markup=False, timeout=3)
            return None
        return f, keys

    def action_confirm_all(self) -> None:
        """Confirm every open finding of the selected finding's rule (``C``): one change, one undo step."""
        got = self._rule_keys()
        if got is not None:
            self._set_statuses(*got, "confirmed")

    def action_dismiss_all(self) -> None:
        """Dismiss every open finding of the selected finding's rule with one reason (``X``): one undo step."""
        from ..dialogs import TextDialog

        got = self._rule_keys()
        if got is None:
            return
        f, keys = got

        def done(reason: str | None) -> None:
            if reason is not None:
                self._remember(reason.strip())
                self._set_statuses(f, keys, "dismissed", reason.strip())

        self.app.push_screen(TextDialog(t("dialog.bulk.title", n=len(keys), rule=rule_name(f.rule)),
                                        context=self._message(f), required=True, choices=self._reasons(),
                                        id="reason-dialog"), done)

    def _set_statuses(self, f: Finding, keys: list[str], status: str, reason: str = "") -> None:
        rule = rule_name(f.rule)

        def op(log: AuditLog) -> str:
            log.set_statuses(keys, status, reason)
            return t(f"review.bulk_{status}", n=len(keys), rule=rule)

        self.writer.write(op)
        self._advance(keys)

    # ------------------------------------------------------------------------------------------ the report reviewed: d

    def action_done(self) -> None:
        """Mark the report reviewed (``d``; again: not reviewed). Refused while errors are open or something is to
        look at again, unless ``d`` is pressed a second time."""
        if not self._need_log() or self.audit_log is None:
            return
        log = self.audit_log
        on = not (log.review.reviewed and not log.review.stale)
        if on:
            statuses = self.statuses()
            errors = sum(1 for f, s in zip(self.findings, statuses, strict=True) if f.severity == "error" and s == "open")
            stale = sum(1 for v in self.verdicts() if v.stale) + len(log.look_again()) + \
                sum(1 for r in log.reading_list if r.stale) + int(log.review.stale)
            if (errors or stale) and time.monotonic() - self._done_asked > DONE_AGAIN_SECONDS:
                self._done_asked = time.monotonic()
                self.app.notify(t("review.done_refused", errors=errors, stale=stale), severity="warning",
                                markup=False, timeout=DONE_AGAIN_SECONDS)
                return
        self._done_asked = 0.0

        def op(log: AuditLog) -> str:
            log.set_reviewed(on)
            return t("review.done") if on else t("review.not_done")

        self.writer.write(op)

    # ------------------------------------------------------------------------------------------ comments and notes: a

    def action_comment(self) -> None:
        from ..dialogs import TextDialog

        if not self._need_log():
            return
        index, f = self.selected, self.selected_finding
        if f is not None and index is not None:
            key, what = self.keys[index], self._what(f)
            entry = self._entry(key)
            current = entry.comment if entry else ""

            def done(text: str | None) -> None:
                if text is None or text == current:
                    return
                kept = text if text.strip() else ""

                def op(log: AuditLog) -> str:
                    log.set_comment(key, kept)
                    return t("review.commented" if kept else "review.comment_cleared", what=what)

                self.writer.write(op)

            self.app.push_screen(TextDialog(t("dialog.comment.title", what=what), current,
                                            context=self._message(f), id="comment-dialog"), done)
            return
        ref = self.cursor_ref()
        if ref is None or not ref.row:
            self.app.notify(t("review.no_cell"), severity="warning", markup=False)
            return
        target = "/".join(x for x in (ref.table, ref.row, ref.column) if x)
        notes = [n for n in self.audit_log.notes_for(target) if n.text] if self.audit_log is not None else []
        note = notes[-1] if notes else None
        current = note.text if note is not None else ""

        def saved(text: str | None) -> None:
            if text is None or text == current or (note is None and not text.strip()):
                return

            def op(log: AuditLog) -> str:
                if note is not None:
                    log.edit_note(note.id, text if text.strip() else "")
                    return t("review.note_edited", what=target)
                log.add_note(target, text)
                return t("review.noted", what=target)

            self.writer.write(op)

        self.app.push_screen(TextDialog(t("dialog.note.title", what=target), current, id="note-dialog"), saved)

    # ------------------------------------------------------------------------------------------ undo: u

    def action_undo(self) -> None:
        if not self._need_log():
            return

        def op(log: AuditLog) -> str:
            changes = log.undo()
            return t("review.undone", what=describe(changes)) if changes else t("review.nothing_to_undo")

        self.writer.write(op)


def describe(changes: Iterable[Change]) -> str:
    """A short account of an undo: which finding or note, which fields."""
    changes = list(changes)
    keys = []
    for c in changes:
        label = c.key[5:] if c.key.startswith("note:") else c.key
        if label not in keys:
            keys.append(label)
    fields = sorted({c.field for c in changes if c.before != c.after})
    shown = ", ".join(keys[:3]) + (f" (+{len(keys) - 3})" if len(keys) > 3 else "")
    return f"{shown} ({', '.join(fields)})"
