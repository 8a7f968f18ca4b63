"""The command palette: the screen's own actions first, each with its key, then the focused widget's (the
cursor keys), the app's, and Textual's system commands (theme, keys, screenshot…) last.

One provider yields them all, so the order is this one (with several providers, the palette interleaves
their hits in whatever order their tasks run). Hits are ``Content`` built from plain text (descriptions come
from the catalogue), never markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial

from textual.binding import BindingsMap
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher

from .compat import binding_chain


class ActionsProvider(Provider):
    """Every described binding reachable from the screen the palette was opened on, then the system commands."""

    def _chain(self) -> list[tuple[DOMNode, BindingsMap]]:
        """The binding chain in palette order: the screen, the focused widget and its other ancestors, the app."""
        chain = binding_chain(self.screen)
        first: list[tuple[DOMNode, BindingsMap]] = [(node, b) for node, b in chain if node is self.screen]
        last: list[tuple[DOMNode, BindingsMap]] = [(node, b) for node, b in chain if node is self.app]
        return first + [(node, b) for node, b in chain if node is not self.screen and node is not self.app] + last

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Awaitable[None] | None]]]:
        seen: set[tuple[int, str]] = set()
        seen_titles: set[str] = set()
        for node, bindings in self._chain():
            for key, binding in bindings:
                if (not binding.description or binding.system or not binding.id
                        or (id(node), binding.action) in seen):
                    continue
                seen.add((id(node), binding.action))
                if binding.description in seen_titles:
                    continue
                seen_titles.add(binding.description)
                display = self.app.get_key_display(binding) or key
                yield binding.description, display, partial(self._run, node, binding.action)
        for command in self.app.get_system_commands(self.screen):
            if command.discover and command.title not in seen_titles:
                seen_titles.add(command.title)
                yield command.title, command.help, command.callback

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for title, keys, run in self._commands():
            yield DiscoveryHit(Content(title), run, text=title, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, keys, run in self._commands():
            score = max(matcher.match(title), matcher.match(keys) * 0.9)
            if score > 0:
                yield Hit(score, highlight(matcher, title), run, text=title, help=keys)


def highlight(matcher: Matcher, title: str) -> Content:
    """Like ``Matcher.highlight`` but from plain text: the title is never parsed as markup."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
