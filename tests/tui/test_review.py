"""The review screen driven by Pilot: selection, highlights, verdicts written to the TOML log, search."""

from __future__ import annotations

import shutil

from rich.text import Text

from auditui.core.auditlog import log_file_name
from auditui.core.batch import check_file
from auditui.core.model import CellRef
from auditui.tui.screens.dialogs import TextDialog
from auditui.tui.widgets.grid import Grid
from auditui.tui.widgets.parts import PartTabs

from .conftest import AUDITOR, SEED_003, SIZE, finding, make_app, read_log, review, wait_for, written

FIRST = "subtotal/三/三.七/自然人"


def expected_003():
    checked = check_file(SEED_003)
    return checked.report, checked.findings


async def test_n_lands_on_first_finding(log_dir):
    report, findings = expected_003()
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert screen.single and screen.selected is None
        assert isinstance(screen.focused, Grid)
        await pilot.press("n")
        assert screen.selected == 0
        assert screen.findings[0].key == FIRST
        assert screen.active_part == "三"
        assert screen.cursor_ref() == CellRef("三", "三.七", "自然人")
        # the source shows the target cell, and every cell the subtotal involves
        target = report.cell(CellRef("三", "三.七", "自然人"))
        assert screen.source.highlighted("cell") == [target.span]
        involved = {report.cell(c).span for c in findings[0].cells}
        assert set(screen.source.highlighted("involved")) == involved
        # the grid emphasises the involved cells (a background) and draws the finding's row in the error colour
        grid = screen.active_grid
        coord = grid.coordinate_of(CellRef("三", "三.一", "自然人"))
        assert grid.get_cell_at(coord).style.bgcolor is not None
        label = grid.get_cell_at(grid.coordinate_of(CellRef("三", "三.七", "")))
        assert isinstance(label, Text) and label.style.color is not None
        # the findings list highlights it; N goes back round to the last finding
        assert screen.findings_list.highlighted == 0
        await pilot.press("N")
        assert screen.selected == len(findings) - 1
        assert screen.active_part == "四"
        await pilot.press("n")
        assert screen.selected == 0 and screen.active_part == "三"


async def test_source_highlight_follows_grid_cursor(log_dir):
    report, _ = expected_003()
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        src = screen.source
        table = report.tables["三"]
        assert screen.cursor_ref() == CellRef("三", "一", "自然人")
        assert src.highlighted("row") == list(table.row("一").spans)
        assert src.highlighted("cell") == [table.row("一").cell("自然人").span]
        await pilot.press("j", "l", "l")
        assert screen.cursor_ref() == CellRef("三", "二", "科研机构")
        assert src.highlighted("row") == list(table.row("二").spans)
        assert src.highlighted("cell") == [table.row("二").cell("科研机构").span]
        # far down: the source scrolls the highlighted line into view
        await pilot.press("G")
        ref = screen.cursor_ref()
        assert ref.row == "四"
        span = table.row("四").cell(ref.column).span
        assert src.highlighted("cell") == [span]
        first_row = src._first_row[span.line]
        assert src.scroll_offset.y <= first_row < src.scroll_offset.y + src.scrollable_content_region.height
        # part 四 on its tab: moving there highlights its row
        await pilot.press("4")
        assert screen.active_part == "四"
        assert screen.cursor_ref().table == "四"
        assert src.highlighted("row") == list(report.tables["四"].row("行政复议").spans)


async def test_a_click_on_a_part_name_shows_that_part(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        tabs = screen.query_one(PartTabs)
        assert screen.active_part == "三" and screen.focused is screen.grid("三")
        for part, start, _end in tabs._ranges():
            await pilot.click(PartTabs, offset=(start + 1, 0))
            await pilot.pause()
            assert screen.active_part == part
            # only that part's grid is shown, and it has the focus (as after the keys 2, 3, 4)
            assert [g.table_id for g in screen.query(Grid) if g.display] == [part]
            assert screen.focused is screen.grid(part)
        await pilot.click(PartTabs, offset=(tabs.size.width - 1, 0))  # past the names: nothing changes
        await pilot.pause()
        assert screen.active_part == tabs._ranges()[-1][0]


async def test_selecting_in_findings_list_moves_grid(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("tab")  # grid → findings list
        assert screen.focused is screen.findings_list
        screen.findings_list.highlighted = 3
        await pilot.pause()
        assert screen.selected == 3
        f = screen.findings[3]
        assert screen.cursor_ref() == CellRef(f.table, f.row, f.column)
        assert screen.active_part == "四"


async def test_confirm_then_undo(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "c")
        await written(pilot, screen)
        entry = finding(read_log(log_dir), FIRST)
        assert entry["status"] == "confirmed"
        assert entry["auditor"] == AUDITOR
        assert screen.findings_list._texts[0].plain.startswith("✔")
        await pilot.press("u")
        await written(pilot, screen)
        log = read_log(log_dir)
        assert finding(log, FIRST)["status"] == "open"
        assert any(h["kind"] == "undo" for h in log["history"])
        assert screen.findings_list._texts[0].plain.startswith("·")
        # nothing left to undo: nothing changes
        await pilot.press("u")
        await written(pilot, screen)
        assert finding(read_log(log_dir), FIRST)["status"] == "open"
        # q leaves the app when it was started on one report
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_dismiss_asks_for_a_reason(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        dialog = app.screen
        # an empty reason is refused, the dialog stays
        await pilot.press("ctrl+s")
        assert app.screen is dialog
        await pilot.press(*"carry-over")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        entry = finding(read_log(log_dir), FIRST)
        assert entry["status"] == "dismissed"
        assert entry["reason"] == "carry-over"
        # escape cancels without writing
        await pilot.press("n", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"nope", "escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert finding(read_log(log_dir), screen.findings[1].key)["status"] == "open"


async def test_comment_is_multiline(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"one", "enter", *"two [b]")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        entry = finding(read_log(log_dir), FIRST)
        assert entry["comment"] == "one\ntwo [b]"
        assert entry["status"] == "open"
        shown = screen.findings_list._texts[0].plain.split("\n")
        assert shown[1:] == ["涉及：（七）总计 1 · （一）予以公开 1 · 1.不掌握 2 (+17 × 0)",
                             "→ 可能的修正：三.四.1/自然人 2 → 0（总计 2 → 0）", "” one", "  two [b]"]
        # a edits the same comment: the dialog opens with it
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        assert app.screen.text == "one\ntwo [b]"
        await pilot.press("escape")


async def test_note_on_a_cell_without_finding(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert screen.selected is None
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"check", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await written(pilot, screen)
        notes = read_log(log_dir)["note"]
        assert [(n["target"], n["text"]) for n in notes] == [("三/一/自然人", "check")]
        # the cell shows the note mark
        assert screen.active_grid.get_cell_at(screen.active_grid.cursor_coordinate).plain.startswith("✎")


async def test_search_the_source(log_dir):
    report, _ = expected_003()
    text = report.source.text
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("/")
        assert screen.focused.id == "search"
        await pilot.press(*"结转下年度")
        src = screen.source
        assert len(src.matches) == text.count("结转下年度") > 0
        await pilot.press("enter")
        first = src.matches[src.match_index]
        assert report.source.snippet(first) == "结转下年度"
        visible = range(src.scroll_offset.y, src.scroll_offset.y + src.scrollable_content_region.height)
        assert src._first_row[first.line] in visible
        await pilot.press("enter")
        assert src.match_index == (src.matches.index(first) + 1) % len(src.matches)
        # escape ends the search (see test_focus.py): the source has the focus, and no matches
        await pilot.press("escape")
        assert screen.focused is src
        assert not src.matches
        # j/k/n still reach the app from the source pane
        await pilot.press("n")
        assert screen.selected == 0


async def test_markup_and_ansi_in_a_report_show_literally(tmp_path, log_dir):
    text = SEED_003.read_text("utf-8")
    lines = text.split("\n")
    hostile = "注意 [bold red]不是标记[/bold red] [link=http://x]x[/link] \x1b[31m红色\x1b[0m \x07 [/]"
    lines.insert(5, hostile)
    path = tmp_path / "hostile[red].txt"
    path.write_text("\n".join(lines), "utf-8")
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        src = screen.source
        line = next(i for i, s in enumerate(src._lines) if "不是标记" in s)
        src.scroll_to_span(_span(line))
        await pilot.pause()
        first = src._first_row[line]
        rows = [i for i in range(first, len(src._rows)) if src._rows[i].line == line]
        drawn = "".join(seg.text for i in rows for seg in src.render_line(i - src.scroll_offset.y))
        assert "[bold red]不是标记[/bold red]" in drawn
        assert "␛[31m红色␛[0m" in drawn and "\x1b" not in drawn and "\x07" not in drawn
        # the header names the file as it is, brackets and all
        header = app.screen.query_one("#review-header").render()
        assert "hostile[red].txt" in str(header)
        # a comment with markup goes into the log and back to the screen literally
        await pilot.press("n", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"[b]x[/b]", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "[b]x[/b]" in screen.findings_list._texts[0].plain


def _span(line: int):
    from auditui.core.model import Span

    return Span(line, 0, 1)


async def test_corrupted_log_is_reported_and_left_alone(tmp_path, log_dir):
    log_dir.mkdir()
    broken = log_dir / log_file_name(str(SEED_003))
    broken.write_text("this is [not valid toml", "utf-8")
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert any("cannot be used" in n.message for n in app._notifications)
        await pilot.press("n", "c")
        await written(pilot, screen)
    assert broken.read_text("utf-8") == "this is [not valid toml"
    recovered = [p for p in log_dir.glob("*.recovered-*.toml")]
    assert len(recovered) == 1
    assert 'status = "confirmed"' in recovered[0].read_text("utf-8")


async def test_read_only_when_the_log_cannot_be_opened(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    app = make_app([SEED_003], blocker / "logs")
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert screen.audit_log is None
        await pilot.press("n", "c")
        await written(pilot, screen)
        assert screen.findings_list._texts[0].plain.startswith("·")


async def test_changed_report_marks_verdicts_stale(tmp_path, log_dir):
    path = tmp_path / "r.txt"
    shutil.copy(SEED_003, path)
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        await pilot.press("n", "c")
        await written(pilot, screen)
    path.write_text(SEED_003.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    app = make_app([path], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert screen.audit_log.stale
        assert "⟳" in str(screen.query_one("#review-header").render())
        assert "⟳" in screen.findings_list._texts[0].plain
        # setting the verdict again clears the entry's flag
        await pilot.press("n", "c")
        await written(pilot, screen)
        assert "⟳" not in screen.findings_list._texts[0].plain


async def test_theme_change_recolours(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        grid = screen.active_grid
        coord = grid.coordinate_of(CellRef("三", "三.七", ""))
        before = grid.get_cell_at(coord).style.color
        app.theme = "textual-light"
        await pilot.pause()
        assert grid.get_cell_at(coord).style.color != before


def test_review_mixins_hold_no_message_handlers():
    """The review screen's actions are mixed in from plain classes, where Textual would silently ignore an @on
    handler (it registers them on its own classes only): every handler is the screen's."""
    from auditui.tui.screens.review import ReviewScreen
    from auditui.tui.screens.review.readings import ReadingActions
    from auditui.tui.screens.review.search import SearchActions
    from auditui.tui.screens.review.triage import TriageActions

    for mixin in (TriageActions, ReadingActions, SearchActions):
        assert mixin in ReviewScreen.__mro__
        assert not [name for name, value in vars(mixin).items() if hasattr(value, "_textual_on")], mixin
    assert sorted(ReviewScreen._css_type_names) == ["DOMNode", "ReviewScreen", "Screen", "Widget"]
