"""Why is a row red (issue 14.4): the selected finding lists the cells it involves with their values, its rows
are scrolled into view when they fit, and help explains every mark (issue 14.12: and where the logs go)."""

from __future__ import annotations

import sys
from pathlib import Path

from auditui.core.batch import check_file
from auditui.tui import i18n
from auditui.tui.screens.dialogs import LEGEND, HelpScreen
from auditui.tui.widgets.grid import involved_cells

from .conftest import SEED_003, make_app, queue_loaded, review, wait_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reportgen import consistent3, consistent4, render


def unbalanced(tmp_path: Path) -> Path:
    """A report whose 自然人 column does not balance: 一 + 二 ≠ （七）总计 + 四 (the row total still holds)."""
    g3 = consistent3("2021", seed=5)
    g3["一"][0] += 4
    g3["一"][6] += 4
    path = tmp_path / "unbalanced.txt"
    path.write_text(render(g3, consistent4(5), "2021", 2022), "utf-8")
    return path


async def test_a_finding_lists_its_cells_and_values(tmp_path, log_dir):
    path = unbalanced(tmp_path)
    checked = check_file(path)
    balance = next(i for i, f in enumerate(checked.findings) if f.rule == "column-balance" and f.column == "自然人")
    f = checked.findings[balance]
    value = {c.ref.row: c.value for t in checked.report.tables.values() if t.id == "三" for r in t.rows
             for c in r.cells if c.ref.column == "自然人"}
    app = make_app([path], log_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await review(pilot)
        listed = involved_cells(f, checked.report)
        assert i18n.t("review.involved", cells=listed) in screen.findings_list._texts[balance].plain
        # the four rows of the balance, by their short labels, each with its value
        for label, row in (("一、本年新收", "一"), ("二、上年结转", "二"), ("（七）总计", "三.七"), ("四、结转下年度", "四")):
            assert f"{label} {value[row]:,}" in listed, (label, listed)
        # a finding about one cell, or one that could not be evaluated, has no such line
        for i, other in enumerate(screen.findings):
            if len(other.cells) < 2 or not other.evaluable:
                assert i18n.t("review.involved", cells="") not in screen.findings_list._texts[i].plain


def test_many_cells_list_what_is_not_zero():
    checked = check_file(SEED_003)
    subtotal = checked.findings[0]  # 三.七 自然人: 20 cells
    listed = involved_cells(subtotal, checked.report)
    assert listed == "（七）总计 1 · （一）予以公开 1 · 1.不掌握 2 (+17 × 0)"  # 1 + 2 = 3, the row says 1


async def test_the_rows_of_a_finding_come_into_view_when_they_fit(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await review(pilot)
        grid = screen.active_grid
        height = grid.scrollable_content_region.height - grid.header_height
        rows = [8, 8 + height - 1]
        grid.show_rows(rows)
        await pilot.pause()
        assert int(grid.scroll_y) <= rows[0] and rows[1] < int(grid.scroll_y) + height
        grid.show_rows([0, 30])  # too far apart to fit: the scroll is left alone
        await pilot.pause()
        assert int(grid.scroll_y) <= rows[0]


async def test_help_explains_every_mark_and_where_the_logs_go(log_dir):
    app = make_app([SEED_003, SEED_003.with_name("000_633416d7cefaca87.txt")], log_dir, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await queue_loaded(pilot)
        assert str(log_dir) in queue.query_one("#queue-status").render().plain
        await pilot.press("enter")
        screen = await review(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        legend = dict(next(rows for title, rows in help_screen.sections if title == i18n.t("help.section.legend")))
        assert set(legend) == {"warning*" if m == "warning*" else m for m in LEGEND}
        assert "blank or unreadable" in legend["warning*"]
        for mark in ("●", "▲", "·", "✎", "✔", "✘"):
            assert legend[mark], mark
        assert str(log_dir) in help_screen.query_one("#help-log-dir").render().plain
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
