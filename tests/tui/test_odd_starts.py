"""Odd starts (issue 14.11): a path that does not exist, and the numbers of part 二."""

from __future__ import annotations

import pytest

from auditui import cli
from auditui.core.batch import check_file
from auditui.tui.widgets.grid import Grid, fmt_number, fmt_value

from .conftest import SAMPLES, make_app, review


def test_a_missing_path_exits_2_like_check(tmp_path, capsys, monkeypatch):
    def no_tui(*args, **kw):
        raise AssertionError("the TUI started")

    monkeypatch.setattr("auditui.tui.app.run", no_tui)
    missing = tmp_path / "nonexistent"
    assert cli.main([str(missing)]) == 2
    tui_err = capsys.readouterr().err
    assert cli.main(["check", str(missing)]) == 2
    check_err = capsys.readouterr().err
    assert tui_err.strip() == check_err.strip() == f"✖ {missing}: no such file"
    # one good path does not excuse a missing one
    assert cli.main([str(SAMPLES / "001_64184a962bfd4335.txt"), str(missing)]) == 2


@pytest.mark.parametrize(("value", "shown"), [(4529, "4,529"), (4529.0, "4,529"), (18651.06, "18,651.06"),
                                              (0.5, "0.5"), (0, "0"), (1234567.1, "1,234,567.1"), (-12.25, "-12.25")])
def test_numbers_are_shown_one_way(value, shown):
    assert fmt_number(value) == shown


async def test_part_2_numbers_are_grouped_alike(log_dir):
    path = SAMPLES / "huaian-2024-municipal-government.pdf"
    checked = check_file(path)
    table = checked.report.tables["二"]
    big = [c for r in table.rows for c in r.cells if c.value is not None and abs(c.value) >= 1000]
    assert any(isinstance(c.value, float) and c.value != int(c.value) for c in big)
    assert any(c.value == int(c.value) for c in big)  # both kinds, as in the issue: 18,651.06 / 4529
    app = make_app([path], log_dir)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await review(pilot)
        await pilot.press("2")
        await pilot.pause()
        grid: Grid = screen.active_grid
        for cell in big:
            coord = grid.coordinate_of(cell.ref)
            shown = grid.get_cell_at(coord).plain.lstrip("✎")
            assert shown == fmt_value(cell)[0] == fmt_number(cell.value)
            assert "," in shown, shown
