"""The interface at small sizes (80×24, 100×30) in both languages: footer, header, zoom, resize (issue 14)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from auditui.tui.compat import FooterKey
from auditui.tui.widgets.footer import EssentialKeys, FooterKeys, KeyFooter

from .conftest import SEED_003, SEED_TXT, make_app, queue_loaded, review

SMALL = [(80, 24), (100, 30)]


def footer_state(screen) -> tuple[dict[str, FooterKey], list[FooterKey]]:
    """The keys drawn in the footer (by key) and those hidden because they did not fit."""
    footer = screen.query_one(KeyFooter)
    shown = {k.key: k for k in footer.query(FooterKey) if k.display}
    hidden = [k for k in footer.query_one(FooterKeys).query(FooterKey) if not k.display]
    return shown, hidden


def assert_footer_fits(screen, width: int) -> None:
    shown, _ = footer_state(screen)
    for key in ("q", "question_mark", "e", "ctrl+p"):
        assert key in shown, key
        region = shown[key].region
        assert 0 <= region.x and region.right <= width, (key, region)
        assert shown[key].parent.__class__ is EssentialKeys
    # no key of the left part is cut: each is drawn whole or not at all
    left = screen.query_one(FooterKeys)
    for key in left.query(FooterKey):
        if key.display and key.region.width:
            assert key.region.right <= left.region.right, key.key


@pytest.mark.parametrize("size", SMALL)
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_footer_keeps_back_help_export(log_dir, size, lang):
    app = make_app(SEED_TXT[:2], log_dir, lang=lang)
    async with app.run_test(size=size) as pilot:
        queue = await queue_loaded(pilot)
        await pilot.pause(0.1)
        assert_footer_fits(queue, size[0])
        await pilot.press("enter")
        screen = await review(pilot)
        await pilot.press("n")
        await pilot.pause(0.1)
        assert_footer_fits(screen, size[0])
        shown, hidden = footer_state(screen)
        if size[0] == 80:
            assert hidden, "at 80 columns some review keys give way"
        # the keys that gave way come back when the terminal grows
        await pilot.resize_terminal(200, size[1])
        await pilot.pause(0.2)
        shown, hidden = footer_state(screen)
        assert not hidden and "u" in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_header_keeps_counts_and_file_name(log_dir, lang):
    app = make_app([SEED_003], log_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await review(pilot)
        header = screen.query_one("#review-header")
        plain = header.render().plain
        assert cell_len(plain) <= header.content_size.width
        assert "●2" in plain and "▲6" in plain and "·8" in plain  # counts, in the legend's marks
        assert plain.endswith(".txt") and "003_" in plain  # the file name, cut in the middle
        await pilot.resize_terminal(160, 45)
        await pilot.pause(0.2)
        plain = header.render().plain
        words = ("2 个错误", "6 个警告", "待定 8") if lang == "zh" else ("2 errors", "6 warnings", "open 8")
        assert all(w in plain for w in words)
        assert plain.endswith(SEED_003.name)


def visible_rows(table) -> range:
    """The data rows of a DataTable in view (below its fixed header)."""
    top = int(table.scroll_y)
    return range(top, top + table.scrollable_content_region.height - table.header_height)


async def test_zoom_shows_the_focused_pane_alone(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await review(pilot)
        grid = screen.active_grid
        narrow_width = grid.size.width
        await pilot.press("z")
        await pilot.pause()
        assert screen.zoomed == "grid" and screen.has_class("-zoom-grid")
        assert not screen.source.display or screen.source.region.width == 0
        assert screen.findings_list.region.width == 0
        assert grid.size.width > narrow_width and grid.region.width >= 78
        # zoomed in, tab shows the next pane alone (reading order: source, grid, findings)
        await pilot.press("tab")
        await pilot.pause()
        assert screen.zoomed == "findings" and screen.focused is screen.findings_list
        assert screen.findings_list.region.height >= 18 and grid.region.width == 0
        await pilot.press("tab")
        await pilot.pause()
        assert screen.zoomed == "source" and screen.focused is screen.source
        assert screen.source.region.width >= 78
        # z again: every pane back
        await pilot.press("z")
        await pilot.pause()
        assert screen.zoomed is None
        for name in screen.PANES:
            assert screen.pane(name).region.width > 0, name


async def test_narrow_grid_keeps_the_total_and_whole_headers(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await review(pilot)
        grid = screen.active_grid
        assert grid.order[0] == "总计" and grid.fixed_columns == 3
        pad = 2 * grid.cell_padding
        fixed = sum(c.get_render_width(grid) for c in grid.ordered_columns[:3])
        step = grid.ordered_columns[3].get_render_width(grid)
        assert all(c.get_render_width(grid) == step for c in grid.ordered_columns[3:])
        # the scrolled part of the grid holds whole columns, so scrolling by a column never halves a header
        assert (grid.scrollable_content_region.width - fixed) % step == 0
        assert grid.columns[grid.ordered_columns[1].key].width >= 10 - pad
        for _ in range(len(grid.order)):
            await pilot.press("l")
        await pilot.pause()
        assert grid.scroll_x > 0 and grid.scroll_x % step == 0
        assert screen.cursor_ref().column == grid.order[-1]
        # the total column stays in view, fixed beside the label
        total_cell = grid.coordinate_of(screen.cursor_ref()._replace(column="总计"))
        assert total_cell.column < grid.fixed_columns


async def test_resize_keeps_the_selection_in_view(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await review(pilot)
        await pilot.press("n")  # 三.七: far down the grid, line 76 of the source
        await pilot.pause()
        focus = screen.source.highlighted("cell")[0]
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        grid = screen.active_grid
        assert grid.cursor_coordinate.row in visible_rows(grid)
        src = screen.source
        row = src._row_of(focus.line, 0)
        assert src.scroll_offset.y <= row < src.scroll_offset.y + src.scrollable_content_region.height
        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.3)
        assert grid.cursor_coordinate.row in visible_rows(grid)
        row = src._row_of(focus.line, 0)
        assert src.scroll_offset.y <= row < src.scroll_offset.y + src.scrollable_content_region.height


@pytest.mark.parametrize("copies", [2, 40])
async def test_queue_bands_end_where_the_rows_end(tmp_path, log_dir, copies):
    from auditui.tui.screens.queue import QueueTable

    for i in range(copies):
        (tmp_path / f"r{i:02}.txt").write_bytes(SEED_003.read_bytes())
    app = make_app([tmp_path], log_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await queue_loaded(pilot)
        await pilot.pause(0.2)
        table = queue.query_one(QueueTable)
        assert table.show_vertical_scrollbar == (copies == 40)
        rows_end = table.scrollable_content_region.right
        for band in ("#queue-status", "#queue-detail"):
            assert queue.query_one(band).region.right == rows_end, band
