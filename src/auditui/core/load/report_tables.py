"""Whether a loaded text holds a report's tables at all: one rule for every format, applied when a file is
loaded (a page listing attachments, a prose-only notice or "hello world" is refused with one line, never listed
as a report with warnings)."""

from __future__ import annotations

import re

from ..template import BY_ID, COL_TOTAL, PART_LITIGATION, PART_PROACTIVE, PART_REQUESTS
from ..text import norm

MIN_KEYS = 3
"""A text holding fewer different row labels or part-四 column names than this has no report tables."""

_KEYS = re.compile("|".join(map(re.escape, sorted(
    {k for t in BY_ID.values() for part in (PART_PROACTIVE, PART_REQUESTS) for r in t.tables[part].rows
     for k in r.keys}
    | {c.id for t in BY_ID.values() for c in t.tables[PART_LITIGATION].columns if c.id != COL_TOTAL},
    key=len, reverse=True))))


def has_report_tables(text: str) -> bool:
    """At least three different row labels of parts 二 and 三, or column names of part 四, in the text."""
    seen: set[str] = set()
    for m in _KEYS.finditer(text):  # the labels as written (most reports): one pass, no normalising
        seen.add(m.group())
        if len(seen) >= MIN_KEYS:
            return True
    seen.clear()
    for line in text.split("\n"):
        if len(line) > 20_000:  # (a page kept on one line: looked at in pieces)
            pieces = [line[i : i + 20_000] for i in range(0, len(line), 19_900)]
        else:
            pieces = [line]
        for piece in pieces:
            seen.update(_KEYS.findall(norm(piece)))
            if len(seen) >= MIN_KEYS:
                return True
    return False


def no_tables(what: str) -> str:
    """The reason a file of kind ``what`` ("text", "PDF", "HTML page", "Word file") is refused."""
    return f"no report tables in the {what} (the report may be an attachment, an image or another page)"
