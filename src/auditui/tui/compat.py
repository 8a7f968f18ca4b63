"""Every place auditui reaches past Textual's public API, in one module.

Why this exists: a few things the interface needs have no public API in Textual (8.2.8, pinned exactly in
``pyproject.toml`` for this reason):

- **Bindings per instance.** Binding descriptions are catalogue ids translated per widget (one class serves
  both languages), and the review screen relabels ``q`` ("back" or "quit"). Textual keeps a node's bindings
  in ``_bindings`` and the chain the footer and palette read in ``Screen._binding_chain``.
- **Repainting a few grid cells.** ``DataTable.update_cell_at`` repaints the whole table and measures the
  column again for every cell; a new selection changes the colour of a handful of cells, so the grid writes
  them into ``_data`` and forgets only their render caches (about 10× faster on a 36-finding report, see
  ``bench/run.py``). Column widths set by hand need ``_require_update_dimensions`` and ``_clear_caches``.
  A grid filled with values all at once has its columns measured once each (``update_cell_at`` with
  ``update_width`` measures the whole column again for every cell narrower than the widest: thousands of Rich
  measurements for one report, most of the time it took to show one).
- **The Footer's keys.** ``FooterKey`` (the widget the Footer composes for each key) is not exported by
  ``textual.widgets``; the footer that keeps back/help/export in view sorts them.
- **Drawing a cell.** ``DataTable._render_cell`` draws every cell through Rich's ``Padding`` and
  ``Console.render_lines``; the grid draws a one-line ``Text`` cell straight to the same segments
  (:func:`render_cell`, which reads the cell cache and the style hooks ``_render_cell`` uses).
- **Repainting one option.** ``OptionList`` repaints the whole list when the highlight moves; the findings
  list repaints the two options concerned, which needs the option → line map (``_update_lines``,
  ``_index_to_line``, ``_heights``).

When Textual is upgraded, these functions are what to check (the tests exercise each of them); nothing else
in ``auditui.tui`` touches a Textual name that starts with an underscore.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingsMap
from textual.coordinate import Coordinate
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.widgets import DataTable, OptionList
    from textual.widgets.data_table import ColumnKey, RowKey

# ------------------------------------------------------------------------------------------------ bindings


def bindings(node: DOMNode) -> Iterator[tuple[str, Binding]]:
    """``(key, binding)`` for every binding of ``node`` itself (not its ancestors)."""
    yield from node._bindings


def has_bindings(node: DOMNode) -> bool:
    return bool(node._bindings.key_to_bindings)


def rewrite_bindings(node: DOMNode, change: Callable[[Binding], Binding]) -> None:
    """Replace every binding ``b`` of this instance (not its class) by ``change(b)``."""
    node._bindings = BindingsMap.from_keys(
        {key: [change(b) for b in group] for key, group in node._bindings.key_to_bindings.items()})


def binding_chain(screen: Screen) -> list[tuple[DOMNode, BindingsMap]]:
    """The nodes whose bindings are live on ``screen`` (focused widget first, the app last)."""
    return screen._binding_chain


# ------------------------------------------------------------------------------------------------ DataTable


def remeasure(table: DataTable) -> None:
    """Column widths or labels were changed by hand: measure the table again and repaint it."""
    table._require_update_dimensions = True
    table._clear_caches()
    table.refresh()


def _cell_keys(table: DataTable) -> Callable[[int, int], tuple[RowKey, ColumnKey]]:
    """(row, column) → the keys of that cell in ``_data``; CellDoesNotExist (as ``update_cell_at`` raises) for
    a place outside the table."""
    row_key_at = table._row_locations.get_key
    column_key_at = table._column_locations.get_key

    def keys(i: int, j: int) -> tuple[RowKey, ColumnKey]:
        row_key, column_key = row_key_at(i), column_key_at(j)
        if row_key is None or column_key is None:
            from textual.widgets.data_table import CellDoesNotExist

            raise CellDoesNotExist(f"no cell at row {i}, column {j}")
        return row_key, column_key

    return keys


def set_cells_measured(table: DataTable, changed: Iterable[tuple[int, int, Text]]) -> None:
    """Put ``Text`` values at (row, column) and measure each column they change once, from the cells' text
    (the width of their longest line, what Rich measures for a ``Text``); then the table is laid out and
    painted again."""
    keys = _cell_keys(table)
    columns: set[ColumnKey] = set()
    for i, j, value in changed:
        row_key, column_key = keys(i, j)
        table._data[row_key][column_key] = value
        columns.add(column_key)
    for column_key in columns:
        column = table.columns[column_key]
        widths = [_text_width(column.label)]
        widths += [_text_width(row[column_key]) for row in table._data.values() if column_key in row]
        column.content_width = max(widths)
    table._update_count += 1
    remeasure(table)


def _text_width(value: object) -> int:
    plain = value.plain if isinstance(value, Text) else str(value)
    return max(map(cell_len, plain.split("\n"))) if "\n" in plain else cell_len(plain)


def set_cells_quietly(table: DataTable, changed: Iterable[tuple[int, int, Text]]) -> None:
    """Put ``Text`` values at (row, column) and repaint only their rows; widths are not measured again
    (the caller knows they did not change). A table not on screen falls back to ``update_cell_at``."""
    changed = list(changed)
    if not changed:
        return
    if not table.is_on_screen:
        for i, j, value in changed:
            table.update_cell_at(Coordinate(i, j), value, update_width=False)
        return
    keys = _cell_keys(table)
    rows: set[int] = set()
    cells: set[tuple[RowKey, ColumnKey]] = set()
    for i, j, value in changed:
        row_key, column_key = keys(i, j)
        table._data[row_key][column_key] = value
        rows.add(i)
        cells.add((row_key, column_key))
    _forget(table, rows, cells)
    for i in sorted(rows):
        table.refresh_row(i)


def _forget(table: DataTable, rows: set[int], cells: set[tuple[RowKey, ColumnKey]]) -> None:
    """Drop what the table's render caches hold for these rows and cells.

    ``DataTable`` keys its caches by an update count that every change bumps, so that one changed cell has
    every cell drawn anew; here only the changed cells are forgotten (the caches of whole rows and lines are
    keyed by the cursor too, and are cheap to rebuild from the cells). Should a Textual release rename these
    caches, the update count is bumped as ``update_cell`` does."""
    try:
        cell_cache = table._cell_render_cache
        renderables = table._row_renderable_cache
        row_cache = table._row_render_cache
        line_cache = table._line_cache
    except AttributeError:  # pragma: no cover - another Textual
        table._update_count += 1
        return
    for key in [k for k in cell_cache.keys() if (k[0], k[1]) in cells]:
        cell_cache.discard(key)
    for i in rows:
        renderables.discard((table._update_count, i))
    row_cache.clear()
    line_cache.clear()


_JOIN = Text("\n")


def render_cell(table: DataTable, row_index: int, column_index: int, base_style: Style, width: int,
                cursor: bool, hover: bool, slow: Callable[..., list[list[Segment]]]) -> list[list[Segment]]:
    """``DataTable._render_cell`` for a cell that is one line of ``Text`` fitting its column: the segments
    Rich would give (``Padding`` in ``Styled``, through ``Console.render_lines``), put together directly, and
    kept in the table's own cell cache under its own key; any other cell (headers, row labels, text that
    wraps, is cut or has tabs) is drawn by ``slow`` (the table's own method).

    Why: drawing a report's grid cell by cell through Rich took a quarter of the time from a report being
    read to its review screen painted (issue 19); most of that is Rich finding out, for every cell, that a
    short number fits its column. tests/tui/test_grid_render.py compares this with Textual's own drawing for
    every cell of the sample reports."""
    if row_index < 0 or column_index < 0:
        return slow(row_index, column_index, base_style, width, cursor, hover)
    row_key = table._row_locations.get_key(row_index)
    column_key = table._column_locations.get_key(column_index)
    if row_key is None or column_key is None:
        return slow(row_index, column_index, base_style, width, cursor, hover)
    key = (row_key, column_key, base_style, cursor, hover, table._show_hover_cursor, table._update_count,
           table._pseudo_class_state)
    cache = table._cell_render_cache
    if key in cache:
        return cache[key]
    row = table.rows[row_key]
    cell = table._data[row_key][column_key] if row_key in table._data else None
    inner = width - 2 * table.cell_padding
    if (row.height != 1 or cell.__class__ is not Text or cell.justify not in (None, "default", "right")
            or "\n" in cell.plain or "\t" in cell.plain):
        return slow(row_index, column_index, base_style, width, cursor, hover)
    plain = cell.plain
    used = cell_len(plain)
    if used > inner or (cell.justify == "right" and plain != plain.rstrip()):
        return slow(row_index, column_index, base_style, width, cursor, hover)
    console = table.app.console
    blank = console.get_style("none")
    pad = Segment(" " * table.cell_padding, blank) if table.cell_padding else None
    text = cell
    if cell.justify == "right" and used < inner:
        text = cell.copy()
        text.pad_left(inner - used)
    # (joined as Text.__rich_console__ joins its lines: the cell's own style becomes a span)
    segments = list(_JOIN.join((text,)).render(console))
    if used < inner and text is cell:
        segments.append(Segment(" " * (inner - used), blank))
    if pad is not None:
        segments = [pad, *segments, pad]
    component_style, post_style = table._get_styles_to_render_cell(
        False, False, row_index < table.fixed_rows or column_index < table.fixed_columns, hover, cursor,
        table.show_cursor,
        table._show_hover_cursor, table.cursor_foreground_priority == "css",
        table.cursor_background_priority == "css")
    pre = console.get_style(base_style + Style.from_meta({"row": row_index, "column": column_index})
                            + component_style)
    lines = [list(Segment.apply_style(segments, style=pre, post_style=console.get_style(post_style)))]
    cache[key] = lines
    return lines


# ------------------------------------------------------------------------------------------------ OptionList


def option_lines(option_list: OptionList, index: int) -> tuple[int, int] | None:
    """The first line and the height of option ``index`` as laid out (None: not laid out yet)."""
    option_list._update_lines()
    try:
        return option_list._index_to_line[index], option_list._heights[index]
    except KeyError:
        return None


__all__ = ["FooterKey", "binding_chain", "bindings", "has_bindings", "option_lines", "remeasure", "render_cell",
           "rewrite_bindings", "set_cells_measured", "set_cells_quietly"]
