"""The command palette lists every action bound on the current screen, its focused widget and the app.

Hits are ``Content`` built from plain text (descriptions come from the catalogue), never markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher

from .compat import binding_chain


class ActionsProvider(Provider):
    """Every described binding reachable from the screen the palette was opened on."""

    def _commands(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        seen: set[tuple[int, str]] = set()
        seen_titles: set[str] = set()
        for node, bindings in binding_chain(self.screen):
            for key, binding in bindings:
                if (not binding.description or binding.system or not binding.id
                        or (id(node), binding.action) in seen):
                    continue
                seen.add((id(node), binding.action))
                if binding.description in seen_titles:
                    continue
                seen_titles.add(binding.description)
                display = self.app.get_key_display(binding) or key
                yield binding.description, display, node, binding.action

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for title, keys, node, action in self._commands():
            yield DiscoveryHit(Content(title), partial(self._run, node, action), text=title, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, keys, node, action in self._commands():
            score = max(matcher.match(title), matcher.match(keys) * 0.9)
            if score > 0:
                yield Hit(score, highlight(matcher, title), partial(self._run, node, action), text=title,
                          help=keys)


def highlight(matcher: Matcher, title: str) -> Content:
    """Like ``Matcher.highlight`` but from plain text: the title is never parsed as markup."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
