"""The report's text as the auditor reads it: line numbers, read-only, soft-wrapped, with highlighted spans.

A Line-API ``ScrollView`` rather than a ``TextArea``: it draws only the rows on screen (a 5,000-line PDF text
costs nothing), highlights any number of spans per line in layers (the row, the cells of the selected finding,
the current cell, search matches), and has no editing keys to swallow the app's.

Source characters map one for one onto drawn characters (see :mod:`auditui.tui.safe`) except tabs, which
are expanded; each line keeps its offset map so spans land on the right cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Span
from ..i18n import localize_bindings
from ..keys import move_bindings
from ..safe import display_line

# Highlight layers, lowest first: a later layer's style wins where they overlap. ``copied``: sentences found in the
# body's report of the year before (set on its own, :meth:`SourceView.set_layer`).
LAYERS = ("copied", "row", "involved", "cell", "match", "match-current")


@dataclass(frozen=True, slots=True)
class _Styles:
    """The styles a row is drawn with: the widget's, the gutter's, and each highlight layer's."""

    base: Style
    gutter: Style
    gutter_current: Style
    layers: dict[str, Style]


@dataclass(frozen=True, slots=True)
class _Row:
    """One screen row: ``line`` of the source, display characters [start, end)."""

    line: int
    start: int
    end: int


class SourceView(ScrollView, can_focus=True):
    """Read-only source text with line numbers and layered span highlights."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--gutter",
        "source-view--gutter-current",
        *(f"source-view--{layer}" for layer in LAYERS),
    }

    DEFAULT_CSS = """
    SourceView {
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        & > .source-view--gutter { color: $text-muted; }
        & > .source-view--gutter-current { color: $text-accent; text-style: bold; }
        & > .source-view--copied { text-style: dim; }
        & > .source-view--row { background: $primary 30%; }
        & > .source-view--involved { background: $warning 40%; }
        & > .source-view--cell { background: $foreground; color: $background; text-style: bold; }
        & > .source-view--match { background: $success 35%; }
        & > .source-view--match-current { background: $success; color: $background; text-style: bold; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *move_bindings("source", down="line_down", up="line_up", left="column_left", right="column_right",
                       top="top", bottom="bottom"),
        Binding("pageup,b", "page_up", "key.page_up", show=False, id="source.page_up"),
        Binding("pagedown,space", "page_down", "key.page_down", show=False, id="source.page_down"),
    ]

    wrap: reactive[bool] = reactive(True)

    def __init__(self, lines: Sequence[str] = (), *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        localize_bindings(self)
        self._lines: Sequence[str] = ()
        self._display: list[tuple[str, list[int] | None] | None] = []
        self._rows: list[_Row] = []
        self._first_row: list[int] = []
        self._layout_key: tuple[int, bool] | None = None
        self._max_width = 0
        self._marks: dict[str, dict[int, list[tuple[int, int]]]] = {layer: {} for layer in LAYERS}
        self._focus_line: int | None = None
        self._focus: Span | None = None
        """The span last scrolled into view by :meth:`set_highlights` (kept in view across resizes)."""
        self._query = ""
        self._matches: list[Span] = []
        self._match_index: int | None = None
        self._strips: dict[int, tuple[tuple, Strip]] = {}
        """Drawn screen rows by row index, with what they were drawn for (see :meth:`render_line`)."""
        self._styles: _Styles | None = None
        """The styles of the render pass under way (computed once per pass, not once per line)."""
        self._strip_styles: _Styles | None = None
        """The styles the drawn rows in ``_strips`` were drawn with."""
        self.set_lines(lines)

    # ------------------------------------------------------------------------------------------ content

    def set_lines(self, lines: Sequence[str]) -> None:
        """Show these lines (another report's): highlights, focus and search go with the old ones."""
        self._lines = lines
        self._display = [None] * len(lines)
        self._layout_key = None
        self._max_width = 0
        self._focus_line, self._focus = None, None
        self._query, self._matches, self._match_index = "", [], None
        for layer in LAYERS:
            self._marks[layer] = {}
        self._strips.clear()
        if self.is_mounted:
            self._layout()
            self.refresh()

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def _line(self, index: int) -> tuple[str, list[int] | None]:
        d = self._display[index]
        if d is None:
            d = self._display[index] = display_line(self._lines[index])
        return d

    def _to_display(self, line: int, col: int) -> int:
        text, offsets = self._line(line)
        if offsets is None:
            return max(0, min(col, len(text)))
        return offsets[max(0, min(col, len(offsets) - 1))]

    # ------------------------------------------------------------------------------------------ layout

    @property
    def _gutter_width(self) -> int:
        """A blank (the focus bar is drawn there), the line number, two blanks."""
        return len(str(max(1, len(self._lines)))) + 3

    def _text_width(self) -> int:
        return max(8, self.scrollable_content_region.width - self._gutter_width)

    def _layout(self) -> None:
        width = self._text_width()
        key = (width if self.wrap else -1, self.wrap)
        if key == self._layout_key:
            return
        self._layout_key = key
        rows: list[_Row] = []
        first: list[int] = []
        max_width = 0
        for i in range(len(self._lines)):
            text, _ = self._line(i)
            first.append(len(rows))
            w = cell_len(text)
            max_width = max(max_width, w)
            if not self.wrap or w <= width:
                rows.append(_Row(i, 0, len(text)))
                continue
            start, cells = 0, 0
            for j, ch in enumerate(text):
                cw = cell_len(ch)
                if cells + cw > width and j > start:
                    rows.append(_Row(i, start, j))
                    start, cells = j, 0
                cells += cw
            rows.append(_Row(i, start, len(text)))
        self._rows, self._first_row, self._max_width = rows, first, max_width
        self._strips.clear()
        vw = self._gutter_width + (width if self.wrap else max_width + 1)
        self.virtual_size = Size(vw, len(rows))

    def on_resize(self) -> None:
        self._layout()

    def on_mount(self) -> None:
        self._layout()

    def watch_wrap(self) -> None:
        if self.is_mounted:
            self._layout()
            self.scroll_to(x=0, animate=False)
            if self._focus_line is not None:
                self.call_after_refresh(self._scroll_to_line, self._focus_line, 0)
            self.refresh()

    # ------------------------------------------------------------------------------------------ highlights

    def set_highlights(self, layers: dict[str, Iterable[Span]], focus: Span | None = None,
                       scroll: bool = True) -> None:
        """Replace the highlight layers (``row``, ``involved``, ``cell``) and scroll ``focus`` into view.

        Only the lines whose highlights changed are drawn again (all of them if the view scrolls)."""
        changed: set[int] = set()
        for layer in ("row", "involved", "cell"):
            changed |= self._replace_layer(layer, layers.get(layer, ()))
        focus_line = focus.line if focus is not None and 0 <= focus.line < len(self._lines) else None
        self._focus = focus if focus_line is not None else None
        if focus_line != self._focus_line:
            changed.update(line for line in (self._focus_line, focus_line) if line is not None)
        self._focus_line = focus_line
        if scroll and focus is not None:
            self.scroll_to_span(focus)
        self._refresh_source_lines(changed)

    def set_layer(self, layer: str, spans: Iterable[Span]) -> None:
        """Replace one highlight layer (``copied``); only its lines that changed are drawn again."""
        self._refresh_source_lines(self._replace_layer(layer, spans))

    def _replace_layer(self, layer: str, spans: Iterable[Span | None]) -> set[int]:
        """Set a layer's marks; the lines whose marks changed."""
        marks: dict[int, list[tuple[int, int]]] = {}
        for span in spans:
            if span is not None and 0 <= span.line < len(self._lines):
                marks.setdefault(span.line, []).append((span.start, span.end))
        old = self._marks[layer]
        self._marks[layer] = marks
        if marks == old:
            return set()
        return {line for line in old.keys() | marks.keys() if old.get(line) != marks.get(line)}

    def _refresh_source_lines(self, lines: Iterable[int]) -> None:
        """Draw again the screen rows of these source lines (forgetting how they were drawn)."""
        lines = sorted(lines)
        if not lines:
            return
        if not self.is_mounted or self._layout_key is None:
            self._strips.clear()
            self.refresh()
            return
        self._layout()
        last = len(self._rows)
        for line in lines:
            first = self._first_row[line]
            end = self._first_row[line + 1] if line + 1 < len(self._first_row) else last
            for r in range(first, end):
                self._strips.pop(r, None)
            self.refresh_lines(first, end - first)

    def highlighted(self, layer: str) -> list[Span]:
        """The spans of a highlight layer (for tests and for telling the auditor what is shown)."""
        return [Span(line, s, e) for line, marks in sorted(self._marks[layer].items()) for s, e in marks]

    def scroll_to_focus(self) -> None:
        """Scroll the focused span (the selected cell's) into view, if it is not."""
        if self._focus is not None:
            self.scroll_to_span(self._focus)

    def scroll_to_span(self, span: Span) -> None:
        if not 0 <= span.line < len(self._lines):
            return
        if not self.is_mounted or not self.scrollable_content_region.height:
            self.call_after_refresh(self.scroll_to_span, span)
            return
        self._layout()
        self._scroll_to_line(span.line, self._to_display(span.line, span.start),
                             self._to_display(span.line, span.end))

    def _row_of(self, line: int, dcol: int) -> int:
        r = self._first_row[line]
        while r + 1 < len(self._rows) and self._rows[r + 1].line == line and self._rows[r + 1].start <= dcol:
            r += 1
        return r

    def _scroll_to_line(self, line: int, dstart: int, dend: int | None = None) -> None:
        if not self._rows or line >= len(self._first_row):
            return
        row = self._row_of(line, dstart)
        height = self.scrollable_content_region.height
        y = self.scroll_offset.y
        target_y = None
        if row < y or row >= y + height:
            target_y = max(0, row - height // 3)
        target_x = None
        if not self.wrap:
            text, _ = self._line(line)
            x0 = cell_len(text[:dstart])
            x1 = cell_len(text[: dend if dend is not None else dstart + 1])
            width = self._text_width()
            x = self.scroll_offset.x
            if x0 < x or x1 > x + width:
                target_x = max(0, x0 - width // 4)
        self.scroll_to(x=target_x, y=target_y, animate=False, immediate=True)

    # ------------------------------------------------------------------------------------------ search

    def search(self, query: str) -> int:
        """Mark every case-insensitive occurrence of ``query``; returns how many there are."""
        self._query = query
        self._matches = []
        self._match_index = None
        if query:
            q = query.casefold()
            n = len(query)
            for i, line in enumerate(self._lines):
                low = line.casefold()
                if len(low) != len(line):  # casefold changed lengths (ß…): search the line as is
                    low, q2 = line, query
                else:
                    q2 = q
                start = low.find(q2)
                while start != -1:
                    self._matches.append(Span(i, start, start + n))
                    start = low.find(q2, start + max(1, n))
        self._strips.clear()
        self.refresh()
        return len(self._matches)

    @property
    def matches(self) -> list[Span]:
        return list(self._matches)

    @property
    def match_index(self) -> int | None:
        return self._match_index

    def next_match(self, forward: bool = True) -> Span | None:
        """Move to the next (or previous) match after the one shown (or after the top of the view)."""
        if not self._matches:
            return None
        if self._match_index is None:
            top = self._rows[self.scroll_offset.y].line if self._rows else 0
            after = [i for i, m in enumerate(self._matches) if m.line >= top]
            index = (after[0] if after else 0) if forward else ((after[0] - 1) if after else -1)
        else:
            index = self._match_index + (1 if forward else -1)
        index %= len(self._matches)
        self._match_index = index
        span = self._matches[index]
        self.scroll_to_span(span)
        self._strips.clear()
        self.refresh()
        return span

    def clear_search(self) -> None:
        self._query = ""
        self._matches, self._match_index = [], None
        self._strips.clear()
        self.refresh()

    # ------------------------------------------------------------------------------------------ drawing

    def _compute_styles(self) -> _Styles:
        get = self.get_component_rich_style
        return _Styles(self.rich_style, get("source-view--gutter"), get("source-view--gutter-current"),
                       {layer: get(f"source-view--{layer}", partial=True) for layer in LAYERS})

    def render_lines(self, crop: Region) -> list[Strip]:
        styles = self._styles = self._compute_styles()
        if styles != self._strip_styles:  # a new theme, focus, CSS…: every row is drawn anew
            self._strips.clear()
            self._strip_styles = styles
        try:
            return super().render_lines(crop)
        finally:
            self._styles = None

    def render_line(self, y: int) -> Strip:
        self._layout()
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        styles = self._styles
        if styles is None:  # called on its own, not from render_lines
            styles = self._compute_styles()
            if styles != self._strip_styles:
                self._strips.clear()
                self._strip_styles = styles
        base = styles.base
        index = scroll_y + y
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        current = row.line == self._focus_line
        key = (width, 0 if self.wrap else scroll_x, current)
        cached = self._strips.get(index)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._draw_row(row, width, scroll_x, current, styles)
        if len(self._strips) > 2000:
            self._strips.clear()
        self._strips[index] = (key, strip)
        return strip

    def _draw_row(self, row: _Row, width: int, scroll_x: int, current: bool, styles: _Styles) -> Strip:
        base = styles.base
        gw = self._gutter_width
        gutter_style = styles.gutter_current if current else styles.gutter
        number = str(row.line + 1) if row.start == 0 else ""
        gutter = Strip([Segment(" " + number.rjust(gw - 3) + "  ", base + gutter_style)], gw)

        text, _ = self._line(row.line)
        piece = Text(text[row.start:row.end], no_wrap=True, end="")
        piece.stylize(base)  # Text.render drops the base style of a Text without spans: make it a span
        for layer in LAYERS:
            if layer.startswith("match"):
                continue
            marks = self._marks[layer].get(row.line)
            if marks:
                self._stylize(piece, row, self._text_only(row.line, marks), styles.layers[layer])
        if self._matches:
            self._stylize_matches(piece, row, styles)
        body = Strip(piece.render(self.app.console), cell_len(piece.plain))
        tw = max(0, width - gw)
        if self.wrap:
            body = body.crop_extend(0, tw, base)
        else:
            body = body.crop_extend(scroll_x, scroll_x + tw, base)
        return Strip.join([gutter, body]).simplify()

    def _text_only(self, line: int, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The marks without the blanks at their ends; a mark of blanks only (a blank cell) is dropped: a
        highlight paints a cell's text, never the white space between a label and its numbers."""
        text = self._lines[line]
        out = []
        for start, end in marks:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append((start, end))
        return out

    def _stylize(self, piece: Text, row: _Row, marks: list[tuple[int, int]], style: Style) -> None:
        for start, end in marks:
            ds = self._to_display(row.line, start) - row.start
            de = self._to_display(row.line, end) - row.start
            ds, de = max(0, ds), min(row.end - row.start, de)
            if de > ds:
                piece.stylize(style, ds, de)

    def _stylize_matches(self, piece: Text, row: _Row, styles: _Styles) -> None:
        style = styles.layers["match"]
        cur_style = styles.layers["match-current"]
        current = self._matches[self._match_index] if self._match_index is not None else None
        for m in self._matches_on(row.line):
            self._stylize(piece, row, [(m.start, m.end)], cur_style if m == current else style)

    def _matches_on(self, line: int) -> list[Span]:
        # matches are sorted by line: bisect
        lo, hi = 0, len(self._matches)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._matches[mid].line < line:
                lo = mid + 1
            else:
                hi = mid
        out = []
        while lo < len(self._matches) and self._matches[lo].line == line:
            out.append(self._matches[lo])
            lo += 1
        return out

    # ------------------------------------------------------------------------------------------ actions

    def action_line_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_line_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_column_left(self) -> None:
        self.scroll_relative(x=-4, animate=False)

    def action_column_right(self) -> None:
        self.scroll_relative(x=4, animate=False)

    def action_top(self) -> None:
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

