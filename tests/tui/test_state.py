"""How the review screen keeps its state (issue 15.8): the selection is one reactive, audit-log writes run in a
worker (a stuck lock never freezes the screen), and failures are told on screen."""

from __future__ import annotations

import threading

from auditui.core.auditlog import AuditLog, LogError
from auditui.core.model import CellRef
from auditui.tui.screens.queue import QueueScreen

from .conftest import (
    FIRST_KEY,
    SEED_003,
    SEED_TXT,
    SIZE,
    finding,
    make_app,
    queue_loaded,
    read_log,
    review,
    wait_for,
    written,
)


async def test_selected_is_a_reactive_that_redraws_everything(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        grid = screen.active_grid
        involved = grid.coordinate_of(CellRef("三", "三.一", "自然人"))
        before = grid.get_cell_at(involved).style.bgcolor
        assert not screen.check_action("confirm", ())
        screen.selected = 0  # set directly: the one watcher redraws what shows it
        await pilot.pause()
        assert screen.findings_list.highlighted == 0
        assert grid.get_cell_at(involved).style.bgcolor != before  # the finding's cells are emphasised
        assert screen.source.highlighted("involved")
        assert "小计" in screen.query_one("#selection").render().plain
        assert screen.check_action("confirm", ())  # c / x / o enabled
        screen.selected = 99  # out of range: nothing selected
        await pilot.pause()
        assert screen.selected is None and screen.findings_list.highlighted is None
        assert grid.get_cell_at(involved).style.bgcolor == before


async def test_a_stuck_save_does_not_freeze_the_screen(log_dir, monkeypatch):
    release = threading.Event()
    original = AuditLog.set_status

    def slow_set_status(self, *args, **kw):
        assert threading.current_thread() is not threading.main_thread(), "a save ran on the UI thread"
        release.wait(10)  # another auditor holds the lock
        return original(self, *args, **kw)

    monkeypatch.setattr(AuditLog, "set_status", slow_set_status)
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "c")
        await pilot.pause()
        # the screen still answers while the save waits
        row = screen.active_grid.cursor_coordinate.row
        await pilot.press("j")
        await pilot.pause()
        assert screen.active_grid.cursor_coordinate.row == row + 1
        assert not list(log_dir.glob("*.toml"))  # nothing written yet (a log is written at its first verdict)
        # q waits for the save rather than losing it
        await pilot.press("q")
        await pilot.pause(0.1)
        assert app.is_running
        release.set()
        await wait_for(pilot, lambda: not app.is_running)
    assert finding(read_log(log_dir), FIRST_KEY)["status"] == "confirmed"


async def test_a_failed_save_is_told_and_the_screen_stays(log_dir, monkeypatch):
    release = threading.Event()

    def failing(self, *args, **kw):
        release.wait(10)
        raise LogError(self.path, "the lock is held by another auditui (waited 10 s)")

    monkeypatch.setattr(AuditLog, "set_status", failing)
    app = make_app(SEED_TXT, log_dir)
    async with app.run_test(size=SIZE) as pilot:
        await queue_loaded(pilot)
        await pilot.press("enter")
        screen = await review(pilot)
        await pilot.press("n", "c", "q")  # leaving waits for the save, which fails: the screen stays
        release.set()
        await written(pilot, screen)
        await pilot.pause(0.1)
        assert app.screen is screen
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("the lock is held by another auditui" in m for m in errors), errors
        assert screen.verdicts()[0].status == "open"
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))


async def test_the_log_opens_off_the_ui_thread(log_dir, monkeypatch):
    threads = []
    original = AuditLog.open.__func__

    def recording_open(cls, *args, **kw):
        threads.append(threading.current_thread())
        return original(cls, *args, **kw)

    monkeypatch.setattr(AuditLog, "open", classmethod(recording_open))
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert screen.audit_log is not None
    assert threads and threading.main_thread() not in threads
