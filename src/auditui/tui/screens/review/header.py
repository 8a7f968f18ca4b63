"""The review screen's header: the report, its counts, its verdicts, its flags and its file, in one line fitted to
the width."""

from __future__ import annotations

import os

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from ...i18n import t
from ...safe import one_line, truncate, truncate_middle
from ...widgets.grid import Colours


def header_text(report, counts: dict[str, int], verdicts: dict[str, int], flags: list[tuple[str, Style]],
                position: tuple[int, int] | None, colours: Colours, width: int) -> Text:
    """The review header in ``width`` cells. What gives way first, as the width shrinks: the counts' words
    (``2 errors`` → ``●2``, the legend's marks), then the file name (cut in the middle, keeping its end), then the
    body's name, then the year and template; the counts, the flags and some of the file name always stay."""
    errors, warnings = counts.get("error", 0), counts.get("warning", 0)
    err_style = Style(color=colours.error, bold=True) if errors else Style(color=colours.success)
    warn_style = Style(color=colours.warning) if warnings else Style(color=colours.success)
    body = one_line(report.body) if report.body else t("review.body_unknown")
    name = one_line(os.path.basename(report.source.path))
    year = str(report.year) if report.year else t("review.year_unknown")

    def build(compact: bool, body: str, name: str, about: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if position is not None:
            text.append(f"{position[0] + 1}/{position[1]} ", style="dim")
        text.append(body, style="bold")
        if about:
            text.append(f"  {year}  ")
            text.append(report.template or "?" if compact else t("review.template", template=report.template or "?"))
        text.append(" │ ")
        if compact:
            text.append(f"●{errors}", style=err_style)
            text.append(" ")
            text.append(f"▲{warnings}", style=warn_style)
            text.append(" │ ")
            text.append("·{open} ✔{confirmed} ✘{dismissed}".format(**verdicts))
        else:
            text.append(t("review.errors", n=errors), style=err_style)
            text.append(" · ")
            text.append(t("review.warnings", n=warnings), style=warn_style)
            text.append(" │ ")
            text.append(t("review.verdicts", **verdicts))
        for flag, style in flags:
            text.append(" │ ")
            text.append(flag, style=style)
        text.append(" │ ")
        text.append(name, style="dim")
        return text

    text = build(False, body, name, True)
    if text.cell_len <= width:
        return text
    text = build(True, body, name, True)
    over = text.cell_len - width
    if over <= 0:
        return text
    short_name = truncate_middle(name, max(12, cell_len(name) - over))
    over -= cell_len(name) - cell_len(short_name)
    short_body = truncate(body, max(6, cell_len(body) - max(0, over)))
    over -= cell_len(body) - cell_len(short_body)
    return build(True, short_body, short_name, over <= 0)
