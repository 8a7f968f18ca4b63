"""``auditui [PATH...]``: the queue of reports and the review screen, over :mod:`auditui.core`.

:func:`run` is what the CLI calls. The app owns what outlives a screen: the language, the log folder, the
auditor, and a small cache of checked reports; the queue screen owns the list and its order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from .entries import CheckedCache, safe_check
from .i18n import LANGS, get_lang, localize_bindings, set_lang, t
from .messages import (
    LoadingFinished,
    OpenReport,
    Prefetched,
    ReportReady,
    ReportsChecked,
    StepReport,
    VerdictsChanged,
)

if TYPE_CHECKING:
    from textual.command import Provider

    from ..core.cache import CacheDir
    from ..core.checked import Checked
    from ..core.pool import Checking, Forked
    from .screens.queue import QueueScreen

# What the first frame does not need is imported where it is used: the queue (not built for one file), the
# review screen, the dialogs, the audit log and the export (the core's parser is imported by the queue's loader
# thread).

EXPORT_NAME = "auditui-export.md"
PREFETCH_DELAY = 0.4
"""Seconds after a report is shown before the next one is read ahead (it is drawn in the meantime)."""


def _actions_provider() -> type[Provider]:
    from .commands import ActionsProvider

    return ActionsProvider


class AuditApp(App[int]):
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = {_actions_provider}  # which also lists Textual's system commands, after ours

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "key.help", id="app.help"),
        Binding("e", "export", "key.export", id="app.export"),
    ]

    def __init__(self, paths: Sequence[str | os.PathLike], *, log_dir: str | os.PathLike, auditor: str,
                 lang: str | None = None, notices: Sequence[str] = (), cursor_blink: bool = True,
                 reasons: Sequence[str] = (), advance: bool = True, jobs: int | None = None,
                 cache: CacheDir | None = None, checking: Checking | Forked | None = None) -> None:
        """``jobs``: worker processes checking the queue (default: one per core); ``cache``: the parse cache
        (None: none); ``checking``: the reports (or the one report) already being checked (:func:`run` starts them before
        Textual is imported)."""
        self.lang = set_lang(lang)
        super().__init__()
        localize_bindings(self)
        self.paths = [os.fspath(p) for p in paths] or [os.curdir]
        self.log_dir = Path(log_dir)
        self.auditor = auditor
        self.cursor_blink = cursor_blink
        self.startup_notices = list(notices)
        self.jobs = jobs if jobs is not None and jobs > 0 else (os.cpu_count() or 1)
        self.parse_cache = cache
        self.checking = checking
        self.cache = CheckedCache()
        self.queue: QueueScreen | None = None
        self.single = False
        self.show_copied = True
        """Whether the review screen marks the prose copied from last year's report (``r`` toggles)."""
        self.preset_reasons = list(reasons)
        """Reasons for dismissing from the config (``reasons = [...]``)."""
        self.used_reasons: list[str] = []
        """Reasons this auditor gave before (read from the log folder once, in a worker) and in this session,
        latest first."""
        self._reasons_read = False
        self.advance = advance
        """Whether ``c`` / ``x`` move on to the next open finding (config ``advance``)."""
        self.title = t("app.title")

    # ------------------------------------------------------------------------------------------ start

    def get_default_screen(self) -> Screen:
        if len(self.paths) == 1 and os.path.isfile(self.paths[0]):  # one file: no queue (see screens.opening)
            from .screens.opening import OpeningScreen

            self.single = True
            return OpeningScreen(self.paths[0])
        from .screens.queue import QueueScreen

        self.queue = QueueScreen(self.paths, self.log_dir)
        return self.queue

    def on_mount(self) -> None:
        set_lang(self.lang)
        for notice in self.startup_notices:
            self.notify(notice, severity="warning", timeout=20, markup=False)
        self.call_after_refresh(keep_out_of_collections)


    def on_reports_checked(self, message: ReportsChecked) -> None:
        """Keep the reports the loader kept whole, for opening without checking them again."""
        for checked in message.whole:
            self.cache.put(checked)

    def on_loading_finished(self, message: LoadingFinished) -> None:
        """One readable report and nothing else: review it straight away (q then quits)."""
        keep_out_of_collections()  # (the queue's entries and facts: there until the app ends)
        queue = self.queue
        if queue is None:
            return
        if queue.total == 0:
            self.notify(t("app.no_reports", paths=", ".join(self.paths)), severity="warning", timeout=20,
                        markup=False)
            return
        if queue.total == 1 and not self.single:
            entry = next(iter(queue.entries.values()))
            if entry.error is None:
                self.single = True
                self.open_report(entry.path)

    # ------------------------------------------------------------------------------------------ opening

    def show_single(self, checked: Checked) -> None:
        """Review the one file named on the command line (checked by the opening screen); ``q`` ends the app."""
        self.cache.put(checked)
        self._show(checked, None)
        self.call_after_refresh(keep_out_of_collections)

    def open_report(self, path: str, replace: Screen | None = None) -> None:
        checked = self.cache.get(path)
        if checked is not None and checked.report is not None:
            self._show(checked, replace)
        else:
            self._check_and_show(path, replace)

    def on_open_report(self, message: OpenReport) -> None:
        self.open_report(message.path)

    @work(thread=True, exclusive=True, group="open-report", exit_on_error=False, description="opening a report")
    def _check_and_show(self, path: str, replace: Screen | None) -> None:
        self.post_message(ReportReady(safe_check(path, self.parse_cache), replace))

    def on_report_ready(self, message: ReportReady) -> None:
        checked, replace = message.checked, message.replace
        if checked.report is None:
            self.notify(t("queue.cannot_open", path=checked.path, reason=checked.error or "?"),
                        severity="error", markup=False)
            return
        self.cache.put(checked)
        self._show(checked, replace)

    def _show(self, checked: Checked, replace: Screen | None) -> None:
        from .screens.review import ReviewScreen

        if self.queue is not None:  # the carry-over findings of this report, found across the queue
            checked = checked.with_findings(self.queue.series.get(checked.path, ()))
        position = self.queue.position(checked.path) if self.queue is not None and not self.single else None
        if self.queue is not None:
            self.queue.select_path(checked.path)
        if isinstance(replace, ReviewScreen) and replace is self.screen:
            replace.show_report(checked, position)  # (] and [: the screen and its widgets are kept)
        else:
            screen = ReviewScreen(checked, log_dir=self.log_dir, auditor=self.auditor, position=position,
                                  single=self.single)
            if replace is not None and replace is self.screen:
                self.switch_screen(screen)
            else:
                self.push_screen(screen)
        # once this report is drawn (a thread reading ahead meanwhile would take the interpreter from the drawing)
        self.set_timer(PREFETCH_DELAY, lambda: self.prefetch_after(checked.path))

    # ------------------------------------------------------------------------------------------ prefetch

    def prefetch_after(self, path: str) -> None:
        """Read the report after ``path`` in the queue while this one is reviewed, so that ``]`` shows it at
        once (the one before was shown last, and is still kept)."""
        if self.queue is None or self.single:
            return
        following = self.queue.neighbour(path, 1)
        entry = self.queue.entries.get(following) if following is not None else None
        if entry is None or entry.error is not None or following in self.cache:
            return
        self._prefetch(following)

    @work(thread=True, exclusive=True, group="prefetch", exit_on_error=False, description="reading ahead")
    def _prefetch(self, path: str) -> None:
        checked = safe_check(path, self.parse_cache)
        if checked.report is not None:
            checked.report.tables  # noqa: B018 (a report from the cache or a worker parses its text again here)
        self.post_message(Prefetched(checked))

    def on_prefetched(self, message: Prefetched) -> None:
        """Keep the report read ahead; then, the auditor reading, collect the cyclic garbage that drawing the
        report left (some 25,000 objects: else the collector may walk them in the middle of drawing the next)."""
        import gc

        if message.checked.report is not None:
            self.cache.put(message.checked)
        gc.collect()

    def on_step_report(self, message: StepReport) -> None:
        """Open the next (``step`` 1) or previous (-1) report of the queue in place of the review screen."""
        if self.queue is None or self.single:
            self.notify(t("app.only_one"), markup=False, timeout=3)
            return
        path = self.queue.neighbour(message.path, message.step)
        if path is None:
            self.bell()
            return
        self.open_report(path, replace=self.screen)

    def on_verdicts_changed(self, message: VerdictsChanged) -> None:
        if self.queue is not None:
            self.queue.update_entry(message.entry)

    # ------------------------------------------------------------------------------------------ reasons

    def reasons(self) -> list[str]:
        """What the reason dialogs offer: the reasons this auditor used (latest first), then the config's. The
        log folder is read for them once, in a worker, when a report is first opened."""
        return list(dict.fromkeys([*self.used_reasons, *self.preset_reasons]))

    def remember_reason(self, reason: str) -> None:
        if reason.strip():
            self.used_reasons = [reason, *(r for r in self.used_reasons if r != reason)]

    def read_reasons(self) -> None:
        if not self._reasons_read:
            self._reasons_read = True
            self._read_reasons()

    @work(thread=True, exclusive=True, group="reasons", exit_on_error=False, description="reading used reasons")
    def _read_reasons(self) -> None:
        from ..core.auditlog import used_reasons

        found = used_reasons(self.log_dir, self.auditor)
        self.call_from_thread(self._add_reasons, found)

    def _add_reasons(self, found: list[str]) -> None:
        self.used_reasons = list(dict.fromkeys([*self.used_reasons, *found]))

    # ------------------------------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from .screens.dialogs import HelpScreen

        if isinstance(self.screen, ModalScreen):
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def action_export(self) -> None:
        from .screens.dialogs import PathDialog

        if isinstance(self.screen, ModalScreen):
            return
        self.push_screen(PathDialog(t("dialog.export.title"), str(Path.cwd() / EXPORT_NAME),  # not among the logs
                                    t("dialog.export.hint")), self.export_to)

    def export_to(self, path: str | None) -> None:
        """Merge every log of the log folder into ``path`` (format from its suffix); notify where it went."""
        if not path:
            return
        from ..core.auditlog import LogError, atomic_write, load_logs
        from ..core.export import FORMATS, export_bytes

        out = Path(path).expanduser()
        fmt = {".csv": "csv", ".toml": "toml", ".md": "md", ".markdown": "md"}.get(out.suffix.lower(), "md")
        assert fmt in FORMATS
        try:
            logs, errors = load_logs(self.log_dir) if self.log_dir.is_dir() else ([], [])
        except OSError as e:
            self.notify(t("export.failed", detail=str(e)), severity="error", markup=False)
            return
        if not logs:
            detail = "; ".join(f"{e.path}: {e.reason}" for e in errors) or str(self.log_dir)
            self.notify(t("export.none", detail=detail), severity="warning", markup=False)
            return
        try:
            atomic_write(out, export_bytes(logs, fmt, lang=get_lang()))
        except (OSError, LogError) as e:
            self.notify(t("export.failed", detail=getattr(e, "strerror", None) or str(e)), severity="error",
                        markup=False)
            return
        self.notify(t("export.done", reports=len(logs), path=str(out)), timeout=10, markup=False)
        if errors:
            self.notify(t("export.partial", detail="; ".join(f"{e.path}: {e.reason}" for e in errors)),
                        severity="warning", timeout=20, markup=False)


def keep_out_of_collections() -> None:
    """Leave what is alive now (modules, styles, the screens' widgets, the queue) out of the cyclic garbage
    collector's full collections (``gc.freeze``): a full collection walked the whole interface, some 100 ms that
    fell in the middle of drawing a report every few ``]``. Reference counting still frees all of it; only
    cycles among what is frozen now are never collected (the review screen is kept from one report to the next,
    so there are few). See also :meth:`AuditApp.on_prefetched`."""
    import gc

    gc.freeze()


def settings(log_dir: str | os.PathLike | None = None, auditor: str | None = None, lang: str | None = None,
             ) -> tuple[Path, str, str, list[str]]:
    """The log folder, auditor and language by precedence (command line, environment, config, default),
    and what the auditor must be told (a config file that cannot be used, a language we do not have)."""
    from ..core.config import Config, ConfigError, default_auditor, load_config, resolve_log_dir

    notices: list[str] = []
    try:
        config = load_config()
    except ConfigError as e:
        config = Config(auditor=default_auditor())
        set_lang(lang)
        notices.append(t("app.config_error", error=str(e)))
    directory = resolve_log_dir(log_dir, config)
    chosen = lang or config.lang or "zh"
    if chosen not in LANGS:
        set_lang("zh")
        notices.append(t("app.bad_lang", lang=chosen))
        chosen = "zh"
    return Path(directory), auditor or config.auditor, chosen, notices


def review_settings() -> tuple[tuple[str, ...], bool]:
    """The config's preset dismissal reasons and ``advance`` (the defaults when the config cannot be used:
    :func:`settings` says so)."""
    from ..core.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError:
        return (), True
    return config.reasons, config.advance


def run(paths: Sequence[str | os.PathLike], log_dir: str | os.PathLike | None = None, auditor: str | None = None,
        lang: str | None = None, jobs: int | None = None, cache: CacheDir | None = None,
        checking: Checking | Forked | None = None, cache_problem: str | None = None) -> int:
    """Start the TUI (what ``auditui [PATH...]`` calls); returns the exit status. ``jobs``, ``cache``,
    ``checking``: see :class:`AuditApp`; ``cache_problem``: why the parse cache could not be opened."""
    directory, who, chosen, notices = settings(log_dir, auditor, lang)
    reasons, advance = review_settings()
    if cache_problem:
        notices.append(t("app.cache_error", error=cache_problem))
    app = AuditApp(paths, log_dir=directory, auditor=who, lang=chosen, notices=notices, reasons=reasons,
                   advance=advance, jobs=jobs, cache=cache, checking=checking)
    keep_out_of_collections()  # (the modules: a full collection walked them all during the first frame)
    try:
        result = app.run()
    finally:
        if checking is not None:
            checking.close()
    return int(result or app.return_code or 0)
