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
