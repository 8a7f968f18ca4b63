"""Prose copied from last year's report: how much of a report's prose stands, sentence for sentence, in the
report its body published the year before.

What is compared
----------------
:func:`prose_of` takes a report's prose sentences as :func:`auditui.core.narrative.sentences` splits them (parts
一, 五, 六 and the free text around the tables; the tables' own lines are not prose) and keeps those that are
sentences: not a heading ("一、总体情况", "（一）进一步加强组织领导。"), ending as a sentence ends (。！？；：), and
of at least :data:`MIN_CHARS` characters once masked — the title, the body's name under the report, its date
and "无。" are not prose anyone copies.

Each is *masked* (:func:`mask`): full and half width made one (NFKC), every run of digits or Chinese numerals
(2021, ２０２１, 二〇二一, 十五, 3.5%) made one ``#``, whitespace and punctuation of either width removed. So
"2021年，我局共收到申请15件。" and "2022年,我局共收到申请 7 件。" mask alike: a year or a count changed is
still a copied sentence.

When a sentence counts as copied
--------------------------------
When its masked text is one of the previous report's, or within :data:`NEAR` edits (characters inserted,
deleted or replaced: rapidfuzz's Levenshtein distance) of one, for sentences of at least :data:`NEAR_MIN_CHARS`
characters. ``share`` is copied sentences / prose sentences.

Cost
----
Linear in the text: each report is compared with its body's report of the year before only (never with every
other report), exact copies are found through a dict, and near copies through an index of the previous report's
3-character pieces: a sentence within two edits of another shares with it at least one of any seven of its own
pieces (each edit changes at most three), so the seven rarest are looked up, and only the sentences they point
to are measured.

:class:`Prose` is what a report keeps for this (the TUI keeps it for every report of its queue): the masked
sentences as one string and their places in the source as arrays of integers.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from .model import JSONObject, Report, Span

MIN_CHARS = 6
"""A masked sentence shorter than this is not counted (无。 / 详见附件。)."""
NEAR = 2
"""Edits (Levenshtein distance over the masked text) within which a sentence still counts as copied."""
NEAR_MIN_CHARS = 12
"""Shorter masked sentences count as copied only when equal (two edits in ten characters is a new sentence)."""
Q = 3
"""The length of the pieces the near-copy index is made of."""

_NUMBER = re.compile(r"[0-9〇零一二三四五六七八九十百千万亿两][0-9〇零一二三四五六七八九十百千万亿两.]*")
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_NARROW = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_NOT_WORD = re.compile(r"[^\w#\n]+")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\(?[一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.])")
_SENTENCE_END = re.compile(r"[。！？；：!?;:…][\s\"'”’」』)）]*$")


def mask(text: str) -> str:
    """A sentence as compared: one width, numbers as ``#``, no spaces or punctuation."""
    if _WIDE.search(text):  # (full-width punctuation goes with the rest of the punctuation)
        text = text.translate(_NARROW)
    return _NOT_WORD.sub("", _NUMBER.sub("#", text))


def _is_heading(text: str) -> bool:
    """``text``: as :class:`~auditui.core.narrative.Sentence` normalises it (half-width digits and brackets)."""
    s = text.strip().lstrip("#* ")
    return bool(_HEADING.match(s)) and (len(s) <= 24 or not _SENTENCE_END.search(s))


@dataclass(frozen=True, slots=True)
class Prose:
    """A report's prose sentences as :mod:`auditui.core.reuse` compares them, and where each stands.

    ``text`` holds the masked sentences joined by newlines; ``pieces`` the source spans of every sentence, as
    ``line, start, end`` triples in a row; ``ends[i]`` the index in ``pieces`` (in triples) where sentence ``i``'s
    spans end (a sentence broken across lines has one span per line)."""

    text: str
    pieces: array[int]
    ends: array[int]

    def __len__(self) -> int:
        return len(self.ends)

    def sentences(self) -> list[str]:
        return self.text.split("\n") if self.ends else []

    def spans(self, i: int) -> tuple[Span, ...]:
        """Where sentence ``i`` stands in the report's source text."""
        lo = self.ends[i - 1] if i else 0
        p = self.pieces
        return tuple(Span(p[3 * k], p[3 * k + 1], p[3 * k + 2]) for k in range(lo, self.ends[i]))

    @classmethod
    def of(cls, report: Report) -> Prose:
        """The prose sentences of ``report`` (see the module's docstring for which are)."""
        from .narrative import sentences

        texts: list[str] = []
        pieces = array("I")
        ends = array("I")
        for s in sentences(report):
            text = s.text
            if "\n" in text or not _SENTENCE_END.search(text) or _is_heading(text):
                continue
            texts.append(text)
            for _, line, start, end in s.pieces:
                pieces.extend((line, start, end))
            ends.append(len(pieces) // 3)
        # masked all at once (one pass of each pattern over the prose, not two per sentence), then the sentences
        # too short to count are dropped with their spans
        masked = mask("\n".join(texts)).split("\n") if texts else []
        if any(len(m) - m.count("#") < MIN_CHARS for m in masked):
            keep_text: list[str] = []
            keep_pieces, keep_ends = array("I"), array("I")
            lo = 0
            for m, hi in zip(masked, ends, strict=True):
                if len(m) - m.count("#") >= MIN_CHARS:
                    keep_text.append(m)
                    keep_pieces.extend(pieces[3 * lo:3 * hi])
                    keep_ends.append(len(keep_pieces) // 3)
                lo = hi
            masked, pieces, ends = keep_text, keep_pieces, keep_ends
        return cls("\n".join(masked), pieces, ends)


@dataclass(frozen=True, slots=True)
class Reuse:
    """How much of a report's prose is in its body's report of the year before."""

    previous: str
    """The previous year's report (its path)."""
    sentences: int
    """Prose sentences of this report."""
    copied: tuple[int, ...]
    """Which of them (indices in this report's :class:`Prose`) stand in the previous report."""
    exact: int
    """How many of ``copied`` are there exactly (once masked); the others are within :data:`NEAR` edits."""

    @property
    def share(self) -> float:
        return len(self.copied) / self.sentences if self.sentences else 0.0

    def spans(self, prose: Prose) -> tuple[Span, ...]:
        """The source spans of the copied sentences (``prose``: this report's)."""
        return tuple(span for i in self.copied for span in prose.spans(i))

    def to_json(self, prose: Prose) -> JSONObject:
        """``{previous, share, sentences, copied}`` (docs/json.md); ``copied`` as ``[line, start, end]`` spans."""
        return {"previous": self.previous, "share": round(self.share, 3), "sentences": self.sentences,
                "copied": [list(s) for s in self.spans(prose)]}


class _Index:
    """The previous report's sentences, for finding the near copies of a sentence (see the module docstring)."""

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        grams: dict[str, list[int]] = {}
        for i, s in enumerate(sentences):
            if len(s) < NEAR_MIN_CHARS - NEAR:
                continue
            for g in {s[k:k + Q] for k in range(len(s) - Q + 1)}:
                found = grams.get(g)
                if found is None:
                    grams[g] = [i]
                else:
                    found.append(i)
        self.grams = grams

    def near(self, s: str) -> bool:
        """Whether ``s`` is within NEAR edits of one of the sentences."""
        from rapidfuzz.distance import Levenshtein  # (when prose is compared: opening one report never does)

        grams = self.grams
        postings = sorted((grams.get(s[k:k + Q], ()) for k in range(len(s) - Q + 1)), key=len)
        probes = postings[:NEAR * Q + 1]  # the rarest pieces: enough of them that a near copy has one
        seen: set[int] = set()
        n = len(s)
        for found in probes:
            for i in found:
                if i in seen:
                    continue
                seen.add(i)
                other = self.sentences[i]
                if abs(len(other) - n) <= NEAR and Levenshtein.distance(s, other, score_cutoff=NEAR) <= NEAR:
                    return True
        return False


def compare(previous_path: str, previous: Prose, current: Prose) -> Reuse:
    """Which sentences of ``current`` are in ``previous`` (exactly, or nearly: see the module docstring)."""
    before = previous.sentences()
    exact_set = set(before)
    copied: list[int] = []
    exact = 0
    index: _Index | None = None
    for i, s in enumerate(current.sentences()):
        if s in exact_set:
            copied.append(i)
            exact += 1
            continue
        if len(s) < NEAR_MIN_CHARS or not before:
            continue
        if index is None:  # made only when some sentence is not an exact copy
            index = _Index(before)
        if index.near(s):
            copied.append(i)
    return Reuse(previous_path, len(current), tuple(copied), exact)


def best(previous: Iterable[tuple[str, Prose]], current: Prose) -> Reuse | None:
    """The comparison with the most copied of several reports of the previous year (a body's report given
    twice, as PDF and as text); None when there is none."""
    out: Reuse | None = None
    for path, prose in previous:
        r = compare(path, prose, current)
        if out is None or len(r.copied) > len(out.copied):
            out = r
    return out
