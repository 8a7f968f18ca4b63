"""The Footer with the keys nobody may lose: back/quit, help and export stay on screen at every width.

Textual's ``Footer`` lays the keys out in one row, in the order of the binding chain (the focused widget
first, the app last), and a narrow terminal hides whatever does not fit: at 80 columns that was ``q``, ``?``
and ``e``. Here the bindings whose id is in :data:`ESSENTIAL` are taken out of that row and drawn, with the
command palette's key, in a group docked at the right edge; the other keys fill what is left and are cut
there.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer

from ..compat import FooterKey

ESSENTIAL = ("quit", "back", "help", "export")
"""Actions whose keys are always shown (q, ?, e), in the order they are listed."""


class FooterKeys(HorizontalGroup):
    """The Footer's other keys, left to right: a key that does not fit whole is hidden, not cut."""

    def on_mount(self) -> None:
        self.call_after_refresh(self._hide_overflow)

    def on_resize(self) -> None:
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._hide_overflow)

    def _hide_overflow(self) -> None:
        if not self.is_attached:
            return
        right = self.region.right
        past = False
        for child in self.children:
            past = past or child.region.right > right
            if past:
                child.display = False


class EssentialKeys(HorizontalGroup):
    """The keys kept at the right of the Footer."""


class KeyFooter(Footer):
    """A compact Footer whose essential keys (see :data:`ESSENTIAL`) are always visible."""

    DEFAULT_CSS = """
    KeyFooter {
        FooterKeys {
            width: 1fr;
            height: 1;
        }
        EssentialKeys {
            width: auto;
            height: 1;
            padding-left: 1;
        }
        EssentialKeys FooterKey {
            margin-right: 1;
        }
        EssentialKeys FooterKey.-command-palette {
            dock: none;
            margin-right: 0;
            padding-right: 1;
        }
    }
    """

    essential: ClassVar[tuple[str, ...]] = ESSENTIAL

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        kept: list[FooterKey] = []
        palette: list[FooterKey] = []
        with FooterKeys():
            for widget in super().compose():
                if isinstance(widget, FooterKey) and widget.has_class("-command-palette"):
                    palette.append(widget)
                elif isinstance(widget, FooterKey) and widget.action in self.essential:
                    kept.append(widget)
                else:
                    yield widget
        kept.sort(key=lambda key: self.essential.index(key.action))
        with EssentialKeys():
            yield from kept
            yield from palette


__all__ = ["ESSENTIAL", "EssentialKeys", "FooterKeys", "KeyFooter"]
