"""Hostile report text in the TUI: markup, escape sequences and bidi controls are drawn literally.

What the app would write to the terminal (whole frames) is searched: the report's own
escape sequences never appear raw, and its markup shows as the brackets it is. (The CLI side is in
tests/test_hostile.py.)
"""

from __future__ import annotations

import re

from reportgen import consistent3, consistent4, render

from .conftest import SIZE, make_app, review

MARKUP = "[bold red]假[/bold red]"
HOSTILE = f"{MARKUP}\x1b[31m红\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\点我\u202e\u2066abc\x9b"
TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>]")


def hostile_report() -> str:
    g3 = consistent3("2021", 3)
    g3["一"][0] = "\x1b[5m7"  # an unreadable cell: its raw text is shown in the grid and in its finding
    text = render(g3, consistent4(3), "2021", 2022, body="某县人民政府", prose=f"2022年，我县共受理申请1件。{HOSTILE}")
    return text.replace("某县人民政府\n2022年", f"{HOSTILE}某县人民政府2022年", 1)


async def test_hostile_text_is_drawn_literally(tmp_path, log_dir):
    path = tmp_path / "hostile 报告 [red].txt"
    path.write_text(hostile_report(), encoding="utf-8")
    app = make_app([path], log_dir)
    frames: list[str] = []

    def frame() -> None:
        """The whole screen as the terminal would receive it (the headless driver writes nothing)."""
        frames.append(app.screen._compositor.render_full_update().render_segments(app.console))

    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        frame()
        await pilot.press("n")  # a finding quoting the unreadable cell
        await pilot.pause()
        frame()
        await pilot.press("4")  # part 四
        await pilot.pause()
        frame()
    out = "".join(frames)
    assert out, "nothing was drawn"
    for raw in ("\x1b[31m红", "\x1b[2J", "\x1b]0;pwned", "\x1b]8;;https://evil", "\x1b[5m7"):
        assert raw not in out, f"{raw!r} reached the terminal"
    text = TEXTUAL_SEQUENCES.sub("", out)  # what is left of Textual's own sequences is drawn text
    for ch in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066"):
        assert ch not in text, f"{ch!r} reached the terminal"
    assert MARKUP in text  # shown as written, not interpreted as markup
    assert "␛[31m红" in text
