"""The tokenizer's precomputed character classes agree with the normalisation they stand for."""

import sys

from auditui.core.parse.tokens import _ENUM_DOTS
from auditui.core.text import _norm


def test_enum_dot_chars_are_every_char_normalised_to_a_dot():
    # A line or cell is searched for an enumerator written apart from its dot only if it holds one of these:
    # a character missing here would leave such an enumerator read as a value.
    want = {chr(c) for c in range(0x20, sys.maxunicode + 1)
            if not 0xD800 <= c < 0xE000 and any(d in _norm(chr(c)) for d in ".、,")}
    have = {chr(c) for c in range(0x20, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and _ENUM_DOTS.match(chr(c))}
    assert have == want
