"""The queue over sample_reports/: counts, order, filter, unreadable files, stepping between reports."""

from __future__ import annotations

import shutil

from auditui.core.load import iter_report_paths
from auditui.tui.entries import QueueEntry
from auditui.tui.screens.queue import QueueScreen, QueueTable, sort_key

from .conftest import SAMPLES, SEED_003, SEED_TXT, SIZE, make_app, queue_loaded, review, wait_for


def plain_row(table: QueueTable, index: int) -> list[str]:
    return [c.plain for c in table.get_row_at(index)]


async def test_queue_over_sample_reports(log_dir):
    expected = list(iter_report_paths([str(SAMPLES)]))
    app = make_app([SAMPLES], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert sorted(queue.entries) == sorted(expected)
        table = app.screen.query_one(QueueTable)
        assert table.row_count == len(expected)
        e = queue.entries[str(SEED_003)]
        assert (e.body, e.year, e.template) == ("张家港市工业和信息化局", 2020, "2019")
        assert (e.errors, e.warnings, e.open, e.confirmed, e.dismissed, e.stale) == (2, 6, 8, 0, 0, False)
        # default order: most open errors first; seed 003 (2 errors) comes before every report without errors
        row = queue.order.index(str(SEED_003))
        assert all(queue.entries[p].open_errors == 0 for p in queue.order[row + 1:]
                   if queue.entries[p].errors == 0)
        assert queue.entries[queue.order[0]].open_errors == max(x.open_errors for x in queue.entries.values())
        cells = plain_row(table, row)
        assert cells[:10] == ["003_a190ec9e232fd5b0.txt", "张家港市工业和信息化局", "2020", "2019", "2", "6", "8",
                              "0", "0", ""]


async def test_verdicts_show_up_in_the_queue(log_dir):
    app = make_app(SEED_TXT, log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert queue.order[0] == str(SEED_003)
        await pilot.press("enter")
        screen = await review(pilot)
        assert screen.checked.path == str(SEED_003)
        assert screen.position == (0, len(SEED_TXT))
        await pilot.press("n", "c", "c")  # c moves on to the next open finding (config advance = true)
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is queue)
        await pilot.pause(0.5)
        e = queue.entries[str(SEED_003)]
        assert (e.open, e.confirmed, e.open_errors) == (6, 2, 0)
        table = queue.query_one(QueueTable)
        row = queue.order.index(str(SEED_003))
        assert plain_row(table, row)[6:9] == ["6", "2", "0"]
        assert plain_row(table, row)[4] == "0"  # the error column counts open errors only
        assert (e.errors, e.open_errors) == (2, 0)


async def test_step_between_reports(log_dir):
    app = make_app(SEED_TXT, log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        await pilot.press("enter")
        first = await review(pilot)
        assert first.checked.path == queue.order[0]
        await pilot.press("n", "c")  # a verdict on the first report, written before the next is shown
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.screen.checked.path == queue.order[1])
        assert app.screen is first  # the screen and its widgets are kept, their content replaced
        second = app.screen
        assert second.position == (1, len(SEED_TXT))
        await pilot.pause()
        assert second.findings_list.highlighted == second.selected  # the selection: the new report's
        assert second.selected is None or second.findings[second.selected] in second.checked.findings
        source = second.source
        assert source.line_count == len(second.report.source.lines)
        assert second.grid("三").report is second.report and second.findings == list(second.checked.findings)
        await wait_for(pilot, lambda: second.audit_log is not None)
        assert second.audit_log.path != first_log(log_dir, queue.order[0])
        assert queue.entries[queue.order[0]].confirmed == 1
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.screen.checked.path == queue.order[0])
        await wait_for(pilot, lambda: app.screen.audit_log is not None)
        assert [v.status for v in app.screen.verdicts()].count("confirmed") == 1
        # back to the queue: one screen deep, cursor on the report last shown
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is queue)
        assert queue.current_path() == queue.order[0]


def first_log(log_dir, path: str):
    """The audit log written for the report at ``path`` (the only one in the folder with its name)."""
    from pathlib import Path

    stem = Path(path).stem
    found = [p for p in Path(log_dir).glob("*.toml") if p.name.startswith(stem)]
    return found[0] if found else None


async def test_filter_and_sort(log_dir):
    app = make_app(SEED_TXT, log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        await pilot.press("slash", *"尧都")
        await pilot.pause()
        assert len(queue.order) == 2
        assert all("尧都" in queue.entries[p].body for p in queue.order)
        await pilot.press("enter")
        assert isinstance(app.screen.focused, QueueTable)
        await pilot.press("slash", "escape")
        assert len(queue.order) == len(SEED_TXT)
        # s steps through the sort columns, S reverses
        await pilot.press("s")
        assert queue.sort_column == "warnings" and queue.sort_reverse
        warnings = [queue.entries[p].warnings for p in queue.order]
        assert warnings == sorted(warnings, reverse=True)
        await pilot.press("S")
        warnings = [queue.entries[p].warnings for p in queue.order]
        assert warnings == sorted(warnings)
        # a click on a header sorts by it
        queue.action_sort("year")
        years = [queue.entries[p].year for p in queue.order]
        assert queue.sort_column == "year" and years == sorted(years, reverse=True)


async def test_unreadable_file_is_listed_with_its_reason(tmp_path, log_dir):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED_003, folder / "003.txt")
    (folder / "broken.pdf").write_bytes(b"\x00\x01 not a pdf")
    (folder / "empty.txt").write_bytes(b"")
    app = make_app([folder], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert len(queue.entries) == 3
        broken = queue.entries[str(folder / "broken.pdf")]
        assert broken.error
        # unreadable files sort first so that they are not missed
        assert {queue.order[0], queue.order[1]} == {str(folder / "broken.pdf"), str(folder / "empty.txt")}
        table = queue.query_one(QueueTable)
        assert any("无法读取" in cell for cell in plain_row(table, 0))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is queue
        assert any("broken.pdf" in n.message or "empty.txt" in n.message for n in app._notifications)


async def test_single_unreadable_path_stays_in_queue(tmp_path, log_dir):
    missing = tmp_path / "nope.txt"
    app = make_app([missing], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert app.screen is queue
        assert queue.entries[str(missing)].error == "no such file"


def test_default_order_key():
    a = QueueEntry("a", errors=2, open_errors=2)
    b = QueueEntry("b", errors=2, open_errors=0, confirmed=2)
    c = QueueEntry("c", error="bad")
    d = QueueEntry("d", warnings=5, open=5)
    ordered = sorted([d, b, a, c], key=sort_key("errors"), reverse=True)
    assert [e.path for e in ordered] == ["c", "a", "b", "d"]


async def test_reports_arrive_in_batches(tmp_path, log_dir, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        shutil.copy(SEED_TXT[i % len(SEED_TXT)], folder / f"{i:03d}.txt")
    batches = []
    original = QueueScreen.on_reports_checked

    def counting(self, message):
        batches.append(len(message.entries))
        return original(self, message)

    monkeypatch.setattr(QueueScreen, "on_reports_checked", counting)
    app = make_app([folder], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        assert len(queue.entries) == 60 and sum(batches) == 60
        assert len(batches) < 30  # batches, not one message per report
        assert queue.query_one(QueueTable).row_count == 60
