"""Where each part of a report is: the part headings (二、主动公开… 三、收到和处理… 四、…行政复议、行政诉讼…) bound
each table; a table whose heading is lost is found by its first row's label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from ..template import (
    BY_ID,
    DEFAULT_TEMPLATE,
    OTHER_HEADINGS,
    PART_LITIGATION,
    PART_NUMERALS,
    PART_OTHER,
    PART_PROACTIVE,
    PART_PROBLEMS,
    PART_REQUESTS,
    TABLE_PARTS,
)
from ..text import T2S_TABLE, norm
from .tokens import View

_HEADING_NUMERALS = PART_NUMERALS
_HEADING_HINT = re.compile("[况题项请议诉]")
_HEADING_PREFIX = re.compile(r"^[#*\s]*")

HEADING_KEYS: dict[str, tuple[str, ...]] = {t.id: t.heading_keys for t in BY_ID[DEFAULT_TEMPLATE].tables.values()}
HEADING_KEYS.update(OTHER_HEADINGS)
_ANY_HEADING_KEY = re.compile("|".join(re.escape(keys[0]) for keys in HEADING_KEYS.values()))
"""A line holding none of these is no heading: most candidate lines are labels with 申请 in them."""

@dataclass(frozen=True, slots=True)
class Sections:
    """Piece ranges [start, end) of each table's part, and the heading piece of each part found."""

    ranges: dict[str, tuple[int, int]]
    headings: dict[str, int]


@lru_cache(maxsize=4096)
def heading_parts(line: str) -> tuple[tuple[str, bool], ...]:
    """The parts whose heading a line may be, each with whether it is numbered as that part ("三、…"): a pure
    function of the line, cached (the same labels and headings come in every report)."""
    if len(line) > 90:
        return ()
    s = norm(_HEADING_PREFIX.sub("", line))
    if len(s) > 40 or not _ANY_HEADING_KEY.search(s):
        return ()
    out = []
    for part, keys in HEADING_KEYS.items():
        if not all(k in s for k in keys):
            continue
        if s[0] == part and len(s) > 1 and s[1] in "、.,: ":
            out.append((part, True))
        elif s[0] not in _HEADING_NUMERALS and not s.startswith("("):
            out.append((part, False))
    return tuple(out)


def find_sections(view: View) -> Sections:
    texts = view.texts
    found: dict[str, int] = {}
    loose: dict[str, int] = {}
    # The pieces holding a hint character, found without a Python step per piece (most have none); in simplified
    # characters, one for one (a traditional page's "情況").
    hinted = map(_HEADING_HINT.search, (t.translate(T2S_TABLE) for t in texts) if view.traditional else texts)
    for i in compress(range(len(texts)), hinted):
        for part, numbered in heading_parts(texts[i]):
            if part in found:
                continue
            if numbered:
                found[part] = i
            else:
                loose.setdefault(part, i)
    for part, i in loose.items():
        found.setdefault(part, i)
    # Parts must come in order; a heading out of order (a phrase in the prose) is dropped.
    order = [p for p in _HEADING_NUMERALS if p in found]
    kept: dict[str, int] = {}
    last = -1
    for p in order:
        if found[p] > last:
            kept[p] = found[p]
            last = found[p]
    ranges: dict[str, tuple[int, int]] = {}
    starts = sorted(kept.values())
    for part in TABLE_PARTS:
        if part not in kept:
            continue
        start = kept[part]
        end = next((s for s in starts if s > start), len(texts))
        ranges[part] = (start + 1, end)
    _fallbacks(view, ranges, kept)
    return Sections(ranges, kept)


_FIRST_ROW_KEY = {part: t.rows[0].keys[0] for part, t in BY_ID[DEFAULT_TEMPLATE].tables.items() if t.rows[0].keys}
"""A table whose heading is lost starts where its first row's label is (三: 本年新收)."""


def _fallbacks(view: View, ranges: dict[str, tuple[int, int]], headings: dict[str, int]) -> None:
    """Ranges for 三 and 四 when their headings were not found, from their first rows' labels."""
    texts = view.texts
    n = len(texts)
    if PART_REQUESTS not in ranges:
        lo = ranges[PART_PROACTIVE][0] if PART_PROACTIVE in ranges else 0
        at = _first(texts, _FIRST_ROW_KEY[PART_REQUESTS], lo, n)
        if at is not None:
            end = headings.get(PART_LITIGATION) or headings.get(PART_PROBLEMS) or n
            ranges[PART_REQUESTS] = (max(lo, at - 1), end if end > at else n)
            if PART_PROACTIVE in ranges and ranges[PART_PROACTIVE][1] > at:
                ranges[PART_PROACTIVE] = (ranges[PART_PROACTIVE][0], at)
    if PART_LITIGATION not in ranges and PART_REQUESTS in ranges:
        lo3, hi3 = ranges[PART_REQUESTS]
        at = _first(texts, HEADING_KEYS[PART_LITIGATION][0], lo3, n)
        if at is not None:
            end = headings.get(PART_PROBLEMS) or headings.get(PART_OTHER) or n
            ranges[PART_LITIGATION] = (at, end if end > at else n)
            if hi3 > at:
                ranges[PART_REQUESTS] = (lo3, at)


def _first(texts: tuple[str, ...], key: str, lo: int, hi: int) -> int | None:
    """The first piece in [lo, hi) whose normalised text contains ``key``."""
    for i in range(lo, hi):
        if key in norm(texts[i]):
            return i
    return None
