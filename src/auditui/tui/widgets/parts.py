"""The review screen's part tabs (三 申请办理 · 四 复议诉讼 · 二 主动公开): one widget of two lines, the part names
over a bar that marks the one shown.

Textual's ``TabbedContent`` drew the same thing with some dozen widgets (tabs, their container, an animated
underline, panes, a switcher): mounting and styling them was a third of the time from a report being read to
its review screen on screen (issue 19). The grids themselves sit in a ``ContentSwitcher`` beside this; the
screen switches both when :attr:`PartTabs.active` changes (:class:`PartTabs.Changed`). The tabs never take the
focus: the keys 2/3/4 and a click choose a part.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget


class PartTabs(Widget):
    """The names of the report's parts, the active one marked; ``parts``: (table id, name) in order."""

    DEFAULT_CSS = """
    PartTabs {
        width: 1fr;
        height: 2;
        & > .part-tabs--name { color: $foreground 50%; }
        & > .part-tabs--active { color: $foreground; }
        & > .part-tabs--bar {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:ansi {
            & > .part-tabs--name { text-style: dim; }
            & > .part-tabs--active { text-style: not dim bold; }
            & > .part-tabs--bar { background: $border-blurred; }
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"part-tabs--name", "part-tabs--active", "part-tabs--bar"}

    active: reactive[str] = reactive("", always_update=False)
    """The table id of the part shown."""

    class Changed(Message):
        """Another part is shown."""

        def __init__(self, tabs: PartTabs, part: str) -> None:
            super().__init__()
            self.tabs = tabs
            self.part = part

    def __init__(self, parts: Sequence[tuple[str, str]], active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = list(parts)
        self.set_reactive(PartTabs.active, active)

    def _ranges(self) -> list[tuple[str, int, int]]:
        """Each part's table id and the cells its name takes (with a blank each side, as a tab has)."""
        out, x = [], 0
        for part, name in self.parts:
            width = cell_len(name) + 2
            out.append((part, x, x + width))
            x += width
        return out

    def render(self) -> Group:
        names = Text(no_wrap=True, overflow="crop")
        name_style = self.get_component_rich_style("part-tabs--name")
        active_style = self.get_component_rich_style("part-tabs--active")
        span = (0, 0)
        for (part, name), (_, start, end) in zip(self.parts, self._ranges(), strict=True):
            names.append(f" {name} ", active_style if part == self.active else name_style)
            if part == self.active:
                span = (start, end)
        bar = self.get_component_rich_style("part-tabs--bar")
        return Group(names, Bar(highlight_range=span, highlight_style=Style.from_color(bar.color),
                                background_style=Style.from_color(bar.bgcolor)))

    def watch_active(self, active: str) -> None:
        self.post_message(self.Changed(self, active))

    def on_click(self, event: events.Click) -> None:
        for part, start, end in self._ranges():
            if start <= event.x < end:
                event.stop()
                self.active = part
                return


__all__ = ["PartTabs"]
