"""Report text is untrusted: how it is made safe to draw.

Report text reaches widgets only inside ``rich.text.Text`` (never a markup string), and control characters
(ANSI escapes, carriage returns, bells, bidi overrides…) are replaced one for one by visible stand-ins by
:func:`auditui.core.text.visible` (the one implementation, shared with the CLI), so ``[bold]`` and
``\\x1b[31m`` in a report show literally, nothing reaches the terminal raw, and a character's index in the
shown text is its index in the source (spans still point at the right place). Tabs are expanded by
:func:`display_line`, which also returns where each source character landed.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

# a light module (re, unicodedata): the queue's first frame imports it
from ..core.text import visible as _visible

TAB = 4


def visible(s: str) -> str:
    """``s`` with control characters replaced one for one by visible stand-ins, tabs kept (the source view
    expands them)."""
    if "\t" not in s:
        return _visible(s)
    return "\t".join(_visible(part) for part in s.split("\t"))


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
