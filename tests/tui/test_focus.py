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


async def test_palette_lists_the_screens_own_actions_first_with_their_keys(log_dir):
    from auditui.tui.commands import ActionsProvider
    from auditui.tui.compat import bindings

    app = make_app([SEED_003], log_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        hits = [hit async for hit in ActionsProvider(screen).discover()]
        titles = [h.text for h in hits]
        own = list(dict.fromkeys(b.description for _, b in bindings(screen) if b.description and b.id))
        assert len(own) >= 15 and titles[: len(own)] == own  # the review's actions first, in their order
        keys = {h.text: h.help for h in hits}
        assert keys["Next finding"] == "n" and keys["Confirm"] == "c" and keys["Zoom"] == "z"
        assert all(keys[title] for title in own)  # each with its key
        # then the cursor keys of the focused grid, the app's keys, and Textual's system commands last
        assert len(own) <= titles.index("Down") < titles.index("Export") < titles.index("Theme")

async def test_source_highlight_paints_cell_text_only(log_dir):
    app = make_app([SEED_003], log_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await review(pilot)
        src = screen.source
        report = screen.report
        row = report.tables["三"].row("一")
        assert any(not report.source.lines[s.line][s.start:s.end].strip() for s in row.spans)  # blank cells
        assert src.highlighted("row") == list(row.spans)
        line = row.spans[0].line
        styles = src._compute_styles()
        strip = src._draw_row(src._rows[src._first_row[line]], 200, 0, True, styles)
        marked = {styles.layers["row"].bgcolor, styles.layers["cell"].bgcolor}
        painted = [seg.text for seg in strip if seg.style is not None and seg.style.bgcolor in marked]
        assert painted, "the row is highlighted"
        for text in painted:
            assert text.strip() == text and text.strip(), repr(text)  # no blank painted, no blank ends
