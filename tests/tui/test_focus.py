"""Focus and keys that act on one pane (issue 14.5, 14.6): tab order, the focus mark, w from any pane,
escape ending a search."""

from __future__ import annotations

from .conftest import SEED_003, SIZE, make_app, review


async def test_tab_walks_the_panes_in_reading_order_and_marks_the_focused_one(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await review(pilot)
        assert screen.focused_pane == "grid"
        seen = []
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(screen.focused_pane)
            focused = screen.pane(seen[-1])
            # a bar down the focused pane's left edge; the other panes have none
            assert focused.styles.outline_left[0] == "tall"
            for name in screen.PANES:
                if name != seen[-1]:
                    assert screen.pane(name).styles.outline_left[0] in ("", "none"), name
        assert seen == ["findings", "source", "grid"]  # source, grid, findings: left, then right top to bottom
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.focused_pane == "source"


async def test_wrap_works_from_any_pane(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        assert screen.focused_pane == "grid" and screen.source.wrap
        await pilot.press("w")
        assert not screen.source.wrap
        await pilot.press("tab", "w")  # findings list
        assert screen.source.wrap
        await pilot.press("tab", "w")  # the source itself
        assert not screen.source.wrap


async def test_escape_ends_the_search(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        status = screen.query_one("#source-status")
        await pilot.press("slash", *"nothing-like-this")
        await pilot.pause()
        assert "nothing-like-this" in status.render().plain
        await pilot.press("escape")
        await pilot.pause()
        assert status.render().plain == "" and not screen.source.matches
        await pilot.press("slash", *"2020", "enter")
        await pilot.pause()
        assert screen.source.matches and screen.source.match_index is not None
        assert status.render().plain  # "match i/n (line l)"
        await pilot.press("escape")
        await pilot.pause()
        assert status.render().plain == "" and not screen.source.matches
        # the box opens empty next time, and enter no longer steps through the old matches
        await pilot.press("slash")
        await pilot.pause()
        assert screen.query_one("#search").value == ""
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert status.render().plain == ""
