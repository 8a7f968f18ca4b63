"""Carry-over findings across the queue's reports reach the queue counts and the review screen."""

from __future__ import annotations

import sys
from pathlib import Path

from .conftest import SIZE, make_app, queue_loaded, wait_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reportgen import consistent3, consistent4, prose_sentences, render


def write_series(folder: Path, copied: tuple[int, ...] = ()) -> None:
    """Three years of one body; 2023's 上年结转 disagrees with 2022's 结转下年度 in 自然人 only. Each year's prose
    is its own, except in the years of ``copied``, whose prose is the year before's with the years and numbers
    changed, part 五 excepted."""
    prev4 = None
    for i, year in enumerate((2021, 2022, 2023)):
        g3 = consistent3("2021", seed=20 + i)
        if prev4 is not None:
            delta = [prev4[c] - g3["二"][c] for c in range(7)]
            g3["二"] = list(prev4)
            g3["一"] = [g3["一"][c] - delta[c] for c in range(7)]
            if year == 2023:
                g3["二"][0] += 1
                g3["二"][6] += 1
                g3["一"][0] -= 1
                g3["一"][6] -= 1
        assert all(v >= 0 for v in g3["一"])
        prev4 = g3["四"]
        prose = "".join(prose_sentences(2021 if year in copied else year, year, 12))
        prose5 = "".join(prose_sentences(-year, year, 4))
        text = render(g3, consistent4(i), "2021", year, body="某某县人民政府办公室", prose=prose, prose5=prose5)
        (folder / f"{year}年报.txt").write_text(text, encoding="utf-8")


async def test_carry_over_shows_in_queue_and_review(tmp_path, log_dir):
    write_series(tmp_path)
    app = make_app([tmp_path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        path = str(tmp_path / "2023年报.txt")
        assert [(f.rule, f.table, f.row, f.column) for f in queue.series[path]] == [
            ("carry-over", "三", "二", "自然人")]
        assert list(queue.series) == [path]
        assert queue.entries[path].warnings == 1
        app.open_report(path)
        await wait_for(pilot, lambda: getattr(app.screen, "checked", None) is not None)
        screen = app.screen
        assert [f.rule for f in screen.findings] == ["carry-over"]
        await pilot.press("n")
        await pilot.pause()
        assert screen.selected == 0


def test_suggestion_is_shown_beside_the_error_finding():
    from auditui.core.batch import check_file
    from auditui.tui.i18n import set_lang
    from auditui.tui.widgets.findings import Verdict, finding_text
    from auditui.tui.widgets.grid import Colours

    from .conftest import SEED_003

    c = check_file(SEED_003)
    first = c.findings[0]
    assert first.rule == "subtotal" and first.suggestions
    text = finding_text(first, Verdict(), Colours.of({})).plain
    assert "可能的修正：三.四.1/自然人 2 → 0（总计 2 → 0）" in text
    set_lang("en")
    assert "possible fix: 三.四.1/自然人 2 → 0" in finding_text(first, Verdict(), Colours.of({})).plain


# ------------------------------------------------------------------------------------------------ issue 17
async def test_y_on_the_queue_shows_the_body_s_years_side_by_side(tmp_path, log_dir):
    from rich.style import Style

    from auditui.tui.colours import Colours
    from auditui.tui.screens.review import ReviewScreen
    from auditui.tui.screens.series import SeriesScreen, SeriesTable

    write_series(tmp_path, copied=(2022,))
    paths = {y: str(tmp_path / f"{y}年报.txt") for y in (2021, 2022, 2023)}
    app = make_app([tmp_path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        queue._cursor_moved = True
        queue.select_path(paths[2022])
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen))
        screen = app.screen
        table = screen.query_one(SeriesTable)
        assert [f.year for f in screen.reports] == [2021, 2022, 2023]
        assert screen.selected.path == paths[2022]  # the report the queue was on
        # 2022 carries over what 2021 carried out; 2023 does not in 自然人 (so in 总计)
        assert screen.links() == [(True, []), (True, ["自然人", "总计"])]
        colours = Colours.of(app.theme_variables)
        assert table.get_cell("r1", "link1").plain == " ┌▶" and table.get_cell("r3", "link1").plain == "─┘ "
        assert table.get_cell("r3", "link1").style == Style(color=colours.error, bold=True)
        assert table.get_cell("r3", "link0").style == Style(color=colours.success)
        assert table.get_cell("r1", "y2").style == Style(color=colours.error, bold=True)  # 2023's 二
        assert [table.get_cell("reuse", f"y{i}").plain for i in range(3)] == ["—", "75%", "0%"]
        detail = str(screen.query_one("#series-detail").render())
        assert "12 句（75%）" in detail and "2021年报.txt" in detail
        await pilot.press("l")
        assert screen.selected.path == paths[2023]
        assert "「自然人」为 3" in str(screen.query_one("#series-detail").render())
        await pilot.press("l")  # the last year: stays
        assert screen.selected.path == paths[2023]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.checked.path == paths[2023]
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is queue)


async def test_y_and_enter_from_the_review_screen_open_another_year_in_its_place(tmp_path, log_dir):
    from auditui.tui.screens.series import SeriesScreen

    write_series(tmp_path, copied=(2022,))
    paths = {y: str(tmp_path / f"{y}年报.txt") for y in (2021, 2022, 2023)}
    app = make_app([tmp_path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        await queue_loaded(pilot)
        app.open_report(paths[2022])
        await wait_for(pilot, lambda: getattr(app.screen, "checked", None) is not None)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen))
        assert app.screen.selected.path == paths[2022]
        await pilot.press("enter")  # the year already open: back to it
        await wait_for(pilot, lambda: getattr(app.screen, "checked", None) is not None)
        assert app.screen.checked.path == paths[2022] and len(app.screen_stack) == 2
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SeriesScreen))
        await pilot.press("h", "enter")
        await wait_for(pilot, lambda: getattr(app.screen, "checked", None) is not None
                       and app.screen.checked.path == paths[2021])
        assert len(app.screen_stack) == 2  # the review of 2022 was replaced, not stacked on
        await pilot.press("y", "escape")
        await pilot.pause()
        assert app.screen.checked.path == paths[2021]


async def test_r_marks_and_unmarks_the_sentences_copied_from_last_year(tmp_path, log_dir):
    write_series(tmp_path, copied=(2022,))
    paths = {y: str(tmp_path / f"{y}年报.txt") for y in (2021, 2022, 2023)}
    app = make_app([tmp_path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        queue = await queue_loaded(pilot)
        app.open_report(paths[2022])
        await wait_for(pilot, lambda: getattr(app.screen, "checked", None) is not None)
        screen = app.screen
        reuse = queue.across.reuse[paths[2022]]
        marked = screen.source.highlighted("copied")
        lines = screen.report.source.lines
        text = "".join(lines[s.line][s.start:s.end] for s in marked)
        assert len(reuse.copied) == 12 and text.count("。") == 12  # the twelve sentences of part 一
        assert "2022年" in text and "全年发布信息" in text
        five = next(i for i, line in enumerate(lines) if line.startswith("五、"))
        assert all(s.line < five for s in marked)  # part 五 is this year's own
        # the prose-reuse finding, when selected, highlights the same sentences
        index = next(i for i, f in enumerate(screen.findings) if f.rule == "prose-reuse")
        screen.select(index)
        await pilot.pause()
        assert screen.source.highlighted("involved") == marked
        await pilot.press("r")
        await pilot.pause()
        assert screen.source.highlighted("copied") == [] and app.show_copied is False
        await pilot.press("r")
        await pilot.pause()
        assert screen.source.highlighted("copied") == marked
        # 2021 has no year before in the queue: nothing to mark, and r says so
        app.open_report(paths[2021], replace=screen)
        await wait_for(pilot, lambda: getattr(app.screen, "checked", None) is not None
                       and app.screen.checked.path == paths[2021])
        assert app.screen.source.highlighted("copied") == []
        await pilot.press("r")
        await pilot.pause()
        assert app.show_copied is True
        assert any("没有该机关上一年度的报告" in str(n.message) for n in app._notifications)


async def test_y_on_a_report_in_no_series_says_why(tmp_path, log_dir):
    from auditui.tui.screens.queue import QueueScreen

    text = render(consistent3("2021", seed=1), consistent4(1), "2021", 2022, body="工信局")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("2022", "2023"), encoding="utf-8")
    app = make_app([tmp_path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        await queue_loaded(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert any("没有归入任何机关的历年系列" in str(n.message) for n in app._notifications)
