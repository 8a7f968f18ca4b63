"""The grid draws its one-line cells straight to segments (auditui.tui.compat.render_cell): the same segments,
cell for cell, as Textual's own ``DataTable._render_cell`` draws, for every cell of the sample reports, with and
without the cursor, in a wide and a narrow grid, in both themes' colours (a finding selected)."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.widgets import DataTable

from auditui.tui.compat import render_cell

from .conftest import SEED_TXT, make_app, review


def _drawn(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    """Each line as (text, style) runs, neighbours of one style joined (how the terminal shows them)."""
    return [[(s.text, s.style) for s in Segment.simplify(line)] for line in lines]


def _compare(grid) -> int:
    """Every cell of ``grid`` drawn both ways; the number drawn by the fast path."""
    base = grid.rich_style
    fast = 0
    for i in range(grid.row_count):
        for j, column in enumerate(grid.ordered_columns):
            width = column.get_render_width(grid)
            for cursor in (False, True):
                grid._cell_render_cache.clear()
                ours = render_cell(grid, i, j, base, width, cursor, False, lambda *a: None)
                grid._cell_render_cache.clear()
                theirs = DataTable._render_cell(grid, i, j, base, width, cursor, False)
                if ours is None:  # (this cell is one the grid leaves to Textual)
                    continue
                fast += 1
                assert _drawn(ours) == _drawn(theirs), (grid.table_id, i, j, cursor, grid.get_cell_at((i, j)))
    return fast


@pytest.mark.parametrize("size", [(160, 45), (90, 40)])
async def test_cells_drawn_as_textual_draws_them(log_dir, size):
    fast = 0
    for path in SEED_TXT:
        app = make_app([path], log_dir)
        async with app.run_test(size=size) as pilot:
            screen = await review(pilot)
            await pilot.press("n")  # a finding selected: its cells drawn with the severity's background
            await pilot.pause()
            for tid in ("二", "三", "四"):
                fast += _compare(screen.grid(tid))
    assert fast > 1000  # (the fast path is what drew nearly all of them)
