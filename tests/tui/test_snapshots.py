"""Snapshots (pytest-textual-snapshot; textual is pinned exactly, so the SVGs are stable).

Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs in
``tests/tui/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from auditui.tui.screens.dialogs import TextDialog

from .conftest import ROOT, SAMPLES, SEED_003, SEED_TXT, SIZE, make_app, queue_loaded, review, wait_for
from .test_sizes import assert_footer_fits


@pytest.fixture
def in_repo(monkeypatch, tmp_path):
    """Run from a folder holding the sample reports (a link) so that the report paths and the log folder
    shown are relative, the same on every machine."""
    (tmp_path / "sample_reports").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)


LOGS = Path("logs")


def test_queue(snap_compare, in_repo):
    app = make_app([p.relative_to(ROOT) for p in SEED_TXT], LOGS)

    async def run_before(pilot):
        await queue_loaded(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_review_on_a_finding(snap_compare, in_repo):
    app = make_app([SEED_003.relative_to(ROOT)], LOGS)

    async def run_before(pilot):
        await review(pilot)
        await pilot.press("n")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
def test_queue_small(snap_compare, in_repo, size, lang):
    """The queue at small sizes: the footer keeps q, ? and e; the bands end with the rows."""
    app = make_app([p.relative_to(ROOT) for p in SEED_TXT], LOGS, lang=lang)

    async def run_before(pilot):
        queue = await queue_loaded(pilot)
        await pilot.pause(0.1)
        assert_footer_fits(queue, size[0])

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
def test_review_small(snap_compare, in_repo, size, lang):
    """The review screen at small sizes on its first finding: footer with q, ? and e, the header fitted, the
    total column fixed beside the label, the finding's cells listed with their values."""
    app = make_app([p.relative_to(ROOT) for p in SEED_TXT], LOGS, lang=lang)

    async def run_before(pilot):
        await queue_loaded(pilot)
        await pilot.press("enter")
        screen = await review(pilot)
        await pilot.press("n")
        await pilot.pause(0.1)
        assert_footer_fits(screen, size[0])

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_review_with_a_read_cell(snap_compare, tmp_path, monkeypatch):
    """A report with an unreadable cell ("1O") that the auditor read as 10 (issue 13): the cell drawn »10, its row
    red (the reading makes the column and the row add up wrong), the reading in the selection line (1O → 10), the
    findings' title at its right, the header counting the reading (»1) and its two errors."""
    from test_readings import BAD, unreadable

    from auditui.core.auditlog import AuditLog
    from auditui.core.batch import check_file
    from auditui.core.model import CellRef
    from auditui.core.readings import Rechecker

    monkeypatch.chdir(tmp_path)  # relative paths: the same on every machine
    (tmp_path / "reports").mkdir()
    path = unreadable(Path("reports"))
    c = check_file(path)
    log = AuditLog.open(c.report, c.findings, LOGS, "tester", recheck=Rechecker(c))
    log.set_readings({BAD: 10}, note="原件为 10")
    app = make_app([path], LOGS)

    async def run_before(pilot):
        screen = await review(pilot)
        grid = screen.active_grid
        coord = grid.coordinate_of(CellRef(*BAD.split("/")))
        grid.move_cursor(row=coord.row, column=coord.column, animate=False)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_comment_dialog(snap_compare, in_repo):
    app = make_app([SEED_003.relative_to(ROOT)], LOGS)

    async def run_before(pilot):
        await review(pilot)
        await pilot.press("n", "a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextDialog))
        pilot.app.screen.query_one(TextArea).insert("合计应为 3，核对原件。\n第二行：[b]照原样显示[/b]")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_series_screen(snap_compare, tmp_path, monkeypatch, log_dir):
    """Three years of one body side by side: 2023's carry-over broken (its link and 二 in the error colour),
    2022's prose copied from 2021 (75%), the cursor on 2022."""
    from pathlib import Path

    from auditui.tui.screens.series import SeriesScreen

    from .test_series import write_series

    monkeypatch.chdir(tmp_path)  # relative paths: the same on every machine
    (tmp_path / "series").mkdir()
    write_series(tmp_path / "series", copied=(2022,))
    app = make_app([Path("series")], log_dir)

    async def run_before(pilot):
        queue = await queue_loaded(pilot)
        queue._cursor_moved = True
        queue.select_path(str(Path("series") / "2022年报.txt"))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SeriesScreen))

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
