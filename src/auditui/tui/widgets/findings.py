"""The findings of a report, one option each: verdict mark, severity, where, message, and the comment below.

Prompts are ``Text`` built from plain strings (a comment or a message may contain ``[``): never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.model import Finding
from ...core.suggest import describe
from ..compat import option_lines
from ..i18n import get_lang, localize_bindings, rule_name, t
from ..keys import move_bindings
from ..safe import one_line, visible
from .grid import Colours, text_key

MARKS = {"open": "·", "confirmed": "✔", "dismissed": "✘"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the list shows of a finding's log entry."""

    status: str = "open"
    reason: str = ""
    comment: str = ""
    stale: bool = False


def where(f: Finding) -> str:
    return "/".join(x for x in (f.table, f.row, f.column) if x) or "—"


def finding_parts(f: Finding, v: Verdict, colours: Colours, detail: str = "") -> tuple[Text, Text]:
    """The verdict mark, and the rest: severity, rule, where, message, then the cells it involves with their
    values (``detail``), the suggested fixes, verdict and comment lines."""
    mark_style = {"confirmed": Style(color=colours.success, bold=True),
                  "dismissed": Style(color=colours.muted, bold=True)}.get(v.status, Style(color=colours.muted))
    mark = Text(MARKS.get(v.status, "·"), style=mark_style, end="")
    text = Text(end="")
    sev_style = Style(color=colours.fg(f.severity), bold=f.severity == "error")
    text.append(t(f"severity.{f.severity}"), style=sev_style)
    if not f.evaluable:
        text.append("*", style=sev_style)
    text.append(" ")
    text.append(rule_name(f.rule) if f.rule else "", style=Style(bold=True))
    text.append(" ")
    text.append(where(f), style=Style(color=colours.muted))
    text.append("  ")
    message = f.message_en if get_lang() == "en" and f.message_en else f.message
    text.append(one_line(message), style=Style(dim=v.status == "dismissed"))
    if detail:
        text.append("\n" + t("review.involved", cells=detail), style=Style(color=colours.muted))
    if f.suggestions:
        fixes = t("review.suggestion.or").join(describe(sug.to_json()) for sug in f.suggestions[:3])
        more = f" (+{len(f.suggestions) - 3})" if len(f.suggestions) > 3 else ""
        text.append("\n→ " + t("review.suggestion", fixes=fixes) + more, style=Style(color=colours.success))
    if v.stale:
        text.append("  ⟳ " + t("review.stale_entry"), style=Style(color=colours.warning, italic=True))
    if v.status != "open":
        line = f"\n{MARKS[v.status]} {t(f'review.mark.{v.status}')}"
        if v.reason:
            line += " · " + t("review.reason", reason=one_line(v.reason))
        text.append(line, style=mark_style)
    if v.comment:
        lines = v.comment.replace("\r\n", "\n").split("\n")
        for i, part in enumerate(visible(line.replace("\t", " ")) for line in lines):
            text.append(("\n” " if i == 0 else "\n  ") + part, style=Style(italic=True))
    return mark, text


def finding_text(f: Finding, v: Verdict, colours: Colours, detail: str = "") -> Text:
    """The whole entry as one Text (what tests and the change check compare)."""
    mark, body = finding_parts(f, v, colours, detail)
    return Text.assemble(mark, " ", body, end="")


def finding_prompt(f: Finding, v: Verdict, colours: Colours, detail: str = "") -> Hanging:
    """The entry as drawn: the mark in its own column, so wrapped lines hang under the text."""
    return Hanging(*finding_parts(f, v, colours, detail))


class Hanging:
    """A one-cell mark, a blank, and the body wrapped beside them, its lines after the first indented under it:
    what a two-column ``rich.table.Table.grid`` draws (the body folded where a word is longer than the line),
    for two thirds of its cost (the findings list draws every entry to know its height when a report opens;
    a report has dozens)."""

    __slots__ = ("body", "mark")

    def __init__(self, mark: Text, body: Text) -> None:
        self.mark = mark
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - 2)
        lines = console.render_lines(self.body, options.update(width=width, overflow="fold", height=None),
                                     pad=True)
        mark = console.render_lines(self.mark, options.update(width=1, no_wrap=True, overflow="crop", height=None),
                                    pad=True)[0]
        blank = Segment(" ")
        indent = Segment("  ")
        new_line = Segment.line()
        for i, line in enumerate(lines):
            if i == 0:
                yield from mark
                yield blank
            else:
                yield indent
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        m = Measurement.get(console, options.update(width=max(1, options.max_width - 2)), self.body)
        return Measurement(m.minimum + 2, m.maximum + 2)


class FindingsList(OptionList):
    """The findings list; ``highlighted`` is the selected finding."""

    BINDINGS: ClassVar[list[BindingType]] = move_bindings("findings", left=None, right=None, top="first",
                                                          bottom="last")

    DEFAULT_CSS = """
    FindingsList {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """As ``OptionList.highlighted``, but a move repaints the two options concerned, not the whole list (a
    scroll still repaints what it must)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localize_bindings(self)
        self._texts: list[Text] = []
        """Each finding's entry as shown (what tests and the change check read)."""
        self._shown: list[Text] = []
        """Every line of the list: the findings', then those that cannot be chosen."""

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        # (Textual gives a watcher that takes two arguments the old value too; OptionList's takes the new one)
        for index in (old, new):
            self._refresh_option(index)
        super().watch_highlighted(new)

    def _refresh_option(self, index: int | None) -> None:
        if index is None or not self.is_mounted:
            return
        lines = option_lines(self, index)
        if lines is None:  # not laid out yet
            self.refresh()
            return
        self.refresh_lines(*lines)

    def show(self, findings: Sequence[Finding], verdicts: Sequence[Verdict], colours: Colours,
             details: Sequence[str] = (), extras: Sequence[Text] = ()) -> None:
        """Set or update the list, keeping the highlight. ``details``: what each finding's cells hold. ``extras``:
        lines below the findings that cannot be chosen (what is to look at again after the report changed)."""
        details = list(details) or [""] * len(findings)
        rows = list(zip(findings, verdicts, details, strict=True))
        texts = [finding_text(f, v, colours, d) for f, v, d in rows]
        head = [] if findings else [Text(t("review.no_findings"), style="italic")]
        shown = [*texts, *head, *extras]
        if not findings and not extras:
            self.set_options([Option(head[0], disabled=True)])
            self._texts = []
            self._shown = shown
            return
        if (len(texts), len(shown)) != (len(self._texts), len(self._shown)):  # another layout: set anew
            keep = self.highlighted
            self.set_options([*(Option(finding_prompt(f, v, colours, d), id=str(i)) for i, (f, v, d) in enumerate(rows)),
                              *(Option(x, disabled=True) for x in (*head, *extras))])
            self.highlighted = keep if keep is not None and keep < len(rows) else None
        else:
            for i, (old, new) in enumerate(zip(self._shown, shown, strict=True)):
                if text_key(old) != text_key(new):
                    if i < len(rows):
                        f, v, d = rows[i]
                        self.replace_option_prompt_at_index(i, finding_prompt(f, v, colours, d))
                    else:
                        self.replace_option_prompt_at_index(i, new)
        self._texts = texts
        self._shown = shown
