"""The Footer with the keys nobody may lose: back/quit, help and export stay on screen at every width.

Textual's ``Footer`` lays the keys out in one row, in the order of the binding chain (the focused widget
first, the app last), and a narrow terminal hides whatever does not fit: at 80 columns that was ``q``, ``?``
and ``e``. Here the bindings whose id is in :data:`ESSENTIAL` are taken out of that row and drawn, with the
command palette's key, in a group docked at the right edge; the other keys fill what is left and are cut
there.

Textual's Footer composes its keys again (a dozen widgets removed and mounted) whenever the screen says its
bindings may have changed: on every change of focus, screen and idle refresh, some six times while a report
opens. The keys it would show are compared first, and the footer is composed again only when they differ.
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
        self._shown: tuple | None = None
        """What the keys were last composed from (see :meth:`recompose`)."""

    def _keys_shown(self) -> tuple | None:
        """Everything the keys are composed from: the bindings shown, enabled or not, and the footer's own
        settings (None until the screen's bindings are known)."""
        if not self._bindings_ready or not self.is_attached:
            return None
        return (self.compact, self.show_command_palette, tuple(
            (key, binding.key, binding.action, binding.description, binding.group, binding.show, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING))

    async def recompose(self) -> None:
        shown = self._keys_shown()
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

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
