"""Report text is untrusted: how it is made safe to draw.

Report text reaches widgets only inside ``rich.text.Text`` (never a markup string), and control characters
(ANSI escapes, carriage returns, bells…) are replaced one for one by visible symbols, so ``[bold]`` and
``\\x1b[31m`` in a report show literally, nothing reaches the terminal raw, and a character's index in the
shown text is its index in the source (spans still point at the right place). Tabs are expanded by
:func:`display_line`, which also returns where each source character landed.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text

TAB = 4

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # ␀ … ␟ (␛ for ESC)
    if c == 0x7F:
        return "␡"
    return "·" if c >= 0x200B else "�"  # C1 controls, bidi overrides, zero-width characters


def visible(s: str) -> str:
    """``s`` with control characters replaced one for one by visible symbols (tabs kept)."""
    return _CONTROL.sub(_picture, s)


def one_line(s: str) -> str:
    """``s`` on one line, for labels: tabs and newlines become spaces, controls become symbols."""
    return visible(s.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def plain(s: str, style: str = "", **kw) -> Text:
    """Untrusted text as a Text on one line: never parsed as markup."""
    return Text(one_line(s), style=style, **kw)


def display_line(line: str) -> tuple[str, list[int] | None]:
    """The line as drawn (controls made visible, tabs expanded to the next stop of ``TAB`` cells) and, if tabs
    moved anything, where each character of ``line`` starts in it (``len(line) + 1`` offsets)."""
    line = visible(line)
    if "\t" not in line:
        return line, None
    out: list[str] = []
    offsets: list[int] = []
    pos = 0  # index in the output string
    cells = 0  # cell column in the output
    for ch in line:
        offsets.append(pos)
        if ch == "\t":
            n = TAB - cells % TAB
            out.append(" " * n)
            pos += n
            cells += n
        else:
            out.append(ch)
            pos += 1
            cells += cell_len(ch)
    offsets.append(pos)
    return "".join(out), offsets


def truncate(s: str, width: int) -> str:
    """``s`` cut to ``width`` cells with an ellipsis."""
    if cell_len(s) <= width:
        return s
    out, w = [], 0
    for ch in s:
        cw = cell_len(ch)
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def truncate_middle(s: str, width: int) -> str:
    """``s`` cut to ``width`` cells in the middle, keeping its end (a file name keeps its suffix)."""
    if cell_len(s) <= width:
        return s
    tail_width = min(8, max(1, width // 3))
    tail, w = "", 0
    for ch in reversed(s):
        if w + cell_len(ch) > tail_width:
            break
        tail = ch + tail
        w += cell_len(ch)
    return truncate(s[: len(s) - len(tail)], width - w) + tail
