"""Who reports and for which year: from the title wherever it sits in the first lines (body before or after the
year, on the line above, in a "关于…的报告" form, behind a crawler's "标题：" key or a page's breadcrumbs), else the
statistics period ("统计期限自2020年1月1日起至…"), else the file name. A "key: value" metadata line is never the
body."""

from __future__ import annotations

import os
import re

from ..model import Span
from ..text import CJK, is_page_line
from .tokens import _WS, View

# Possessive \s*+: every space run is followed by a character that is no space, so giving spaces back never
# helps a match; with plain \s* a long run of spaces after "2021年" took quadratic time.
_TAIL = r"(?:政\s*+府\s*+信\s*+息\s*+公\s*+开|政\s*+务\s*+公\s*+开)\s*+(?:工\s*+作\s*+)?(?:情\s*+况\s*+)?(?:的\s*+)?" \
        r"(?:年\s*+度\s*+)?(?:报\s*+告|年\s*+报)"
_TITLE = re.compile(r"(\d{4})\s*+年\s*+度?\s*+(?:的\s*+)?" + _TAIL)
"""…2021年(度)政府信息公开(工作)(年度)报告"""
_TITLE_YEAR_FIRST = re.compile(r"(\d{4})\s*+年\s*+度?\s*+([^\d\s年]{2,40}?)" + _TAIL)
"""2021年某某局政府信息公开工作年度报告"""
_TITLE_YEAR_AFTER = re.compile(r"(?:政\s*+府\s*+信\s*+息\s*+公\s*+开|政\s*+务\s*+公\s*+开)\s*+(?:工\s*+作\s*+)?"
                               r"(\d{4})\s*+年\s*+度?\s*+(?:报\s*+告|年\s*+报)")
"""某某局政府信息公开工作2021年度报告"""
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?(?:至|到)")
_BODY_NOISE = re.compile(r"^[#*\s]+|(?<![\s*])[\s*]+$|关于$|的$|[:：]$")  # (?<!…): linear on long space runs
_CHROME = re.compile(r"\s*(?:[>»›|｜【】：]|(?<=[\u3400-\u9fff]):|\s[-—–]\s|\s{2,})\s*")
"""What separates a title from what a page puts before it on the same line: breadcrumbs (" > "), keys ("标题："),
page headers ("Page 3 - "), wide gaps."""
_SENTENCE = re.compile(r"[，。；》」]|[,;](?=[\u3400-\u9fff])")
"""The title named inside a sentence: the body follows the last clause break."""
_VERB = re.compile(r"^(?:[现現]向社[会會]公布|[现現][将將予](?:以公布)?|[现現]公布|[现現][发發]布|特[将將]|[将將]|[编編]制|公布|[发發]布)")
_PRONOUN = re.compile(r"^[我本](?:单位|機關|机关|部门|局|办|委|厅|院|所|站|中心|县|区|市|镇|乡|街道)$")
"""'我局', '本单位': how a report names itself, not a body's name."""
_NOT_A_TITLE = re.compile(r"\s*(?:编制|發布|发布|工作|的通知|格式|有关|填报)")
"""What follows the phrase when it names the work of writing reports, not this report ("做好2023年政府信息公开工作
年度报告编制发布工作")."""
_LEADING = re.compile(r"^['\"“”‘’「」『』]+")
_VALUE_BEFORE = re.compile(r"^[\d/\-.]+\s+(?=\S)")
"""A metadata value left in front of the body (an index number, a date: "2024-1861 某局")."""
_FILE_YEAR = re.compile(r"(?<!\d)(20[0-9]{2}|199[0-9])(?!\d)")


def _clean(prefix: str) -> str:
    """The body in what stands before a title on its line: the last piece after any page chrome, or after the
    verb of a sentence that names the report ("根据…规定，现将北坡镇2022年…报告予以公布")."""
    body = _CHROME.split(prefix.strip(_WS))[-1] if prefix.strip(_WS) else ""
    body = _SENTENCE.split(body)[-1]
    body = _VERB.sub("", body)
    body = _VALUE_BEFORE.sub("", body)
    body = _LEADING.sub("", body)
    if _PRONOUN.match(body):
        return ""
    for _ in range(3):
        body = _BODY_NOISE.sub("", body)
    return body.strip(_WS)


def _quoted(text: str, at: int) -> bool:
    """Whether ``at`` stands inside 《…》: the title of another document (a notice on how to write the report)."""
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


def _match(text: str) -> tuple[int, str, int, int, int, int] | None:
    """(year, body, year start, body start, body end) of a title in ``text``."""
    hit = _match_any(text)
    if hit is not None and (_quoted(text, hit[2]) or _NOT_A_TITLE.match(text, hit[5])):
        return None
    return hit


def _match_any(text: str) -> tuple[int, str, int, int, int, int] | None:
    m = _TITLE.search(text)
    if m is not None:
        prefix = text[: m.start()]
        body = _clean(prefix)
        start = prefix.rfind(body) if body else -1
        return int(m.group(1)), body, m.start(1), start, start + len(body), m.end()
    m = _TITLE_YEAR_FIRST.search(text)
    if m is not None and CJK.search(m.group(2)):
        body = _clean(m.group(2))
        start = m.start(2) + m.group(2).rfind(body)
        return int(m.group(1)), body, m.start(1), start, start + len(body), m.end()
    m = _TITLE_YEAR_AFTER.search(text)
    if m is not None:
        prefix = text[: m.start()]
        body = _clean(prefix)
        start = prefix.rfind(body) if body else -1
        return int(m.group(1)), body, m.start(1), start, start + len(body), m.end()
    return None


def _metadata(line: str) -> bool:
    """A "key: value" line, breadcrumbs or page chrome: never a body."""
    s = line.strip(_WS)
    return ":" in s or "：" in s or ">" in s or "|" in s or "»" in s or s.endswith("。")


def find_title(view: View, path: str = "") -> tuple[str, int | None, Span | None, Span | None]:
    """(body, year, body span, year span)."""
    # matched in simplified characters (a traditional page's "政府信息公開工作年度報告"), one for one: same columns
    texts = tuple(view.simplified(i) for i in range(min(200, len(view.texts)))) if view.traditional \
        else view.texts[:200]
    for i, line in enumerate(texts[:60]):
        if "年" not in line:
            continue
        hit = _match(line)
        if hit is None and i + 1 < len(texts):
            # a title broken inside its phrase: "…2023年政府信息公开工作年度" / "报告"
            joined = line + texts[i + 1].strip(_WS)
            hit = _match(joined)
            if hit is not None and hit[2] >= len(line):
                hit = None
        if hit is None or not 1990 <= hit[0] <= 2100:
            continue
        year, body, ystart, bstart, bend, _ = hit
        year_span = view.span(i, ystart, ystart + 4)
        if CJK.search(body):
            raw = view.texts[i][bstart:bend] if bend <= len(view.texts[i]) else body  # (as written: columns match)
            return raw, year, view.span(i, bstart, bend), year_span
        for j in range(i - 1, max(-1, i - 4), -1):
            cand = texts[j].strip(_WS + "#*")
            if not cand or is_page_line(texts[j]):
                continue
            if len(cand) <= 40 and CJK.search(cand) and not _metadata(cand) and "报告" not in cand:
                start = texts[j].index(cand)
                return view.texts[j][start : start + len(cand)], year, view.span(j, start, start + len(cand)), year_span
            if not _metadata(cand):
                break
        return "", year, None, year_span
    for i, line in enumerate(texts[:200]):
        m = _PERIOD.search(line)
        if m:
            return "", int(m.group(1)), None, view.span(i, m.start(1), m.end(1))
    m = _FILE_YEAR.search(os.path.basename(path))
    if m is not None:
        return "", int(m.group(1)), None, None
    return "", None, None, None
