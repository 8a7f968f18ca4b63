"""Text normalisation for matching (never for display) and the page-marker convention of loaders."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from .t2s import T2S

# Characters removed before matching: whitespace of every width, zero-width characters, quotes.
_DROP = re.compile(
    "[\\s\u200b\u200c\u200d\u2060\ufeff\"'“”‘’「」『』〝〞‟„]+"
)
# Punctuation variants that NFKC leaves apart but reports use interchangeably.
_UNIFY_CHARS = "〔〕【】［］．｡﹒—–－―"
_UNIFY = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")", "．": ".",
                        "｡": "。", "﹒": ".", "—": "-", "–": "-", "－": "-", "―": "-"})
_NEEDS_UNIFY = re.compile(f"[{_UNIFY_CHARS}]")


def norm(s: str) -> str:
    """Normalise a label for matching: NFKC (full → half width), no spaces or quotes, unified brackets."""
    if len(s) <= _CACHED_CHARS:
        return _norm_short(s)
    return _norm(s)


def _norm(s: str) -> str:
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).translate(T2S_TABLE)
        if _NEEDS_UNIFY.search(s):
            s = s.translate(_UNIFY)
        if "(" in s:
            s = _PINYIN.sub("", s)
    return _DROP.sub("", s)


T2S_TABLE = str.maketrans(T2S)
"""Traditional characters of auditui's vocabulary → simplified (a report copied by a site that prints it in
traditional characters: "申請數量" matches as "申请数量"). One character for one, so positions never move."""
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
"""Pinyin some sites put after each character ("數(shù)量"): dropped before matching."""


# Labels and headings recur in every report, and NFKC of a line with full-width punctuation costs microseconds.
_CACHED_CHARS = 96
_norm_short = lru_cache(maxsize=4096)(_norm)
norm.cache_clear = _norm_short.cache_clear  # type: ignore[attr-defined]


# What a terminal would act on rather than show, each replaced by one stand-in character: C0 controls (tab and
# newline too) and DEL by their Unicode "control pictures" (ESC → ␛, LF → ␊), C1 controls, bidirectional
# controls and line/paragraph separators by U+FFFD.
_VISIBLE = {c: 0x2400 + c for c in range(32)}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({c: 0xFFFD for c in (*range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                     *range(0x2066, 0x206A), 0x2028, 0x2029)})


def visible(s: str) -> str:
    """``s`` safe to print on one line of a terminal (a file name, an error, a comment): escape sequences,
    bidirectional overrides and line breaks show as stand-ins instead of acting, and the bytes of a file name
    that is not UTF-8 as ``\\xNN`` (see :func:`unsurrogate`). Loaders already do this for report text
    (``load.text.clean_text``); what does not come from a report's text goes through here."""
    return unsurrogate(s).translate(_VISIBLE)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"\\u{c:04x}"


def unsurrogate(s: str) -> str:
    """A file name as text that can be printed and stored (UTF-8, TOML, JSON). Python reads a name that is not
    valid UTF-8 (a GBK name on a UTF-8 system) with each undecodable byte as a lone surrogate
    (``os.fsdecode``'s surrogate escape); each becomes ``\\xNN`` here, the way Python writes such a byte.
    Other text is returned as it is."""
    if _SURROGATE.search(s) is None:
        return s
    return _SURROGATE.sub(_escape_surrogate, s)


def has_surrogates(s: str) -> bool:
    return _SURROGATE.search(s) is not None


def unsurrogate_all(x: Any) -> Any:
    """:func:`unsurrogate` on every string of JSON-like data (dicts, lists, tuples), keys included."""
    if isinstance(x, str):
        return unsurrogate(x)
    if isinstance(x, dict):
        return {unsurrogate_all(k): unsurrogate_all(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [unsurrogate_all(v) for v in x]
    return x


# An enumerator in front of a label: 1. 1、 (1) （一） 一、 ①
_ENUM = re.compile(r"^(?:\(?[0-9一二三四五六七八九十]{1,3}\)?[.、,:]?|[①-⑳])")


def strip_enumerator(normed: str) -> str:
    return _ENUM.sub("", normed, count=1)


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# A loader's own page separator line, and page numbers printed in footers.
PAGE_MARK_FORMAT = "──────── 第 {n} 页 ────────"
_PAGE_LINE = re.compile(
    r"^\s*(?:"
    r"─+\s*第\s*\d+\s*页\s*─+"  # auditui's loaders
    r"|[-—–－~～]\s*\d{1,4}\s*[-—–－~～]"  # - 4 -
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第 4 页 / 第4页 共6页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 4 / 6
    r"|P\.\s*\d{1,4}"  # P. 4 (a flip-book's page render)
    r"|Page\s+\d{1,4}\s+-\s+\S.{0,100}"  # Page 4 - <the document's title> (likewise)
    r")\s*$"
)


def page_mark(n: int) -> str:
    return PAGE_MARK_FORMAT.format(n=n)


def is_page_line(line: str) -> bool:
    return bool(line) and len(line) < 120 and _PAGE_LINE.match(line) is not None


_CHINESE_DIGITS = {**{ch: n for n, ch in enumerate("零一二三四五六七八九")}, "〇": 0, "两": 2}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def parse_chinese_number(s: str) -> int | None:
    """``十二`` → 12, ``两`` → 2, ``一百零五`` → 105, ``3`` → 3 (also full-width); None if not a number."""
    s = unicodedata.normalize("NFKC", s).replace(",", "").strip()
    if not s:
        return None
    if s.isdecimal():  # (isdigit() would let "²" and "፩" through to int(), which refuses them)
        return int(s) if len(s) <= 15 else None
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
        elif ch in _CHINESE_UNITS:
            unit = _CHINESE_UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)
