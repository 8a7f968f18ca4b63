"""Loading the queue in worker processes through the parse cache, reading the next report ahead (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditui.core.batch import check_file
from auditui.core.cache import CacheDir, open_cache
from auditui.tui import app as app_module
from auditui.tui.app import AuditApp
from auditui.tui.compat import FooterKey
from auditui.tui.entries import entry_of
from auditui.tui.widgets.footer import KeyFooter

from .conftest import AUDITOR, SAMPLES, SIZE, queue_loaded, review, wait_for

PDF = SAMPLES / "huaian-2024-municipal-government.pdf"


def copies(folder: Path, sources, times: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(p, folder / f"{i:02d}-{p.name}")) for i in range(times) for p in sources]


def make(paths, log_dir, **kw) -> AuditApp:
    return AuditApp([str(p) for p in paths], log_dir=log_dir, auditor=AUDITOR, lang="zh", cursor_blink=False, **kw)


async def test_queue_from_worker_processes_holds_what_each_file_gives(tmp_path, log_dir):
    files = copies(tmp_path / "r", sorted(SAMPLES.iterdir()), 2)  # twelve PDFs: worker processes
    app = make([tmp_path / "r"], log_dir, jobs=2)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert queue.total == len(files)
        for p in files:
            assert queue.entries[str(p)] == entry_of(check_file(p), log_dir)


async def test_a_report_opens_before_the_queue_is_full(tmp_path, log_dir):
    copies(tmp_path / "r", [PDF], 16)  # some seconds of reading over two workers
    app = make([tmp_path / "r"], log_dir, jobs=2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.queue is not None and len(app.queue.order) > 0, timeout=30)
        assert app.queue.is_loading
        await pilot.press("enter")
        screen = await review(pilot)
        assert app.queue.is_loading  # still filling behind the review screen
        assert screen.report.body
        await pilot.press("q")
        await queue_loaded(pilot)


async def test_the_next_report_is_read_ahead_and_shown_at_once(tmp_path, log_dir, monkeypatch):
    copies(tmp_path / "r", sorted(SAMPLES.glob("0*.txt")), 1)
    monkeypatch.setattr(app_module, "PREFETCH_DELAY", 0.0)
    app = make([tmp_path / "r"], log_dir, jobs=1)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        await pilot.press("down", "down", "enter")  # the third: past what the loader kept whole
        screen = await review(pilot)
        following = queue.order[3]
        await wait_for(pilot, lambda: following in app.cache)
        opened: list[str] = []
        monkeypatch.setattr(AuditApp, "_check_and_show", lambda self, path, replace: opened.append(path))
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.checked.path == following)
        assert opened == []  # shown from what was read ahead, not read when asked for
        assert screen.report.tables  # parsed again in the reading thread, not while drawing


async def test_the_tui_fills_the_parse_cache_and_reads_from_it(tmp_path, log_dir, monkeypatch):
    from auditui.core import batch

    files = copies(tmp_path / "r", sorted(SAMPLES.glob("0*.txt")), 1)
    expected = [entry_of(check_file(p), log_dir) for p in files]
    where = CacheDir(str(tmp_path / "cache"))
    read: list[str] = []
    real = batch._check
    monkeypatch.setattr(batch, "_check", lambda raw, prose: (read.append(raw.path), real(raw, prose))[1])
    for _ in range(2):
        app = make([tmp_path / "r"], log_dir, jobs=1, cache=where)
        async with app.run_test(size=SIZE) as pilot:
            queue = await queue_loaded(pilot)
            assert [queue.entries[str(p)] for p in files] == expected
        assert len(read) == len(files)  # the second opening read nothing
    assert open_cache(where).info().entries == len(files)


async def test_one_file_opens_without_a_queue_and_q_ends_the_app(log_dir):
    """``auditui report.txt``: the report is reviewed at once, over a one-line opening screen (no queue is
    built: issue 19); q ends the app, and y says there are no other years to compare."""
    from auditui.tui.screens.opening import OpeningScreen

    report = SAMPLES / "003_a190ec9e232fd5b0.txt"
    app = make([report], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert app.queue is None and screen.single
        expected = check_file(report)
        assert screen.report.values() == expected.report.values() and screen.findings == list(expected.findings)
        assert isinstance(app.screen_stack[0], OpeningScreen)
        await pilot.press("y")
        await pilot.pause()
        assert any("只打开了一份报告" in n.message for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_one_unreadable_file_is_named_with_the_reason(tmp_path, log_dir):
    broken = tmp_path / "坏的 [b]报告.pdf"
    broken.write_bytes(b"not a pdf at all")
    app = make([broken], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        from auditui.tui.screens.opening import OpeningScreen

        screen = app.screen
        assert isinstance(screen, OpeningScreen)
        await wait_for(pilot, lambda: screen.error is not None)
        shown = str(screen.query_one("#opening-status").render())
        assert str(broken) in shown and screen.error in shown  # (the name's brackets are text, not markup)
        # the keys are shown once the file is found unreadable (q, ?, e)
        await wait_for(pilot, lambda: any(k.key == "q" for k in screen.query_one(KeyFooter).query(FooterKey)))
        assert app.screen is screen
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("name", ["pdf", "text"])
async def test_one_file_read_before_textual_comes_from_its_child_process(log_dir, name):
    """cli.cmd_tui forks a child to read the one file while Textual starts (core.pool.Forked): the review shows
    its report, sent whole (the parser is not run again here)."""
    from auditui.core.pool import Forked

    path = PDF if name == "pdf" else SAMPLES / "003_a190ec9e232fd5b0.txt"
    forked = Forked(path)
    app = make([path], log_dir, checking=forked)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await review(pilot)
            assert app.checking is None  # taken by the opening screen
            assert screen.report.values() == check_file(path).report.values()
            assert screen.checked.report._rebuild is None  # (whole: its tables came with it)
    finally:
        forked.close()
