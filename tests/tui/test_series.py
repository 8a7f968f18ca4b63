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
