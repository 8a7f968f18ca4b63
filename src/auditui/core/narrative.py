"""Prose against table: the claims a report makes in sentences, compared with the cells they describe.

How a claim is read
-------------------
1. **Prose.** Lines outside the tables (a table's region runs from its heading to the last line holding one of its
   cells); inside a region only sentence-like lines (a "。", no tab, no Markdown pipe) count. Page markers are
   skipped; a line that does not end a sentence is joined to the next (PDF text wraps mid-sentence), so one
   sentence may cover several lines: it keeps one :class:`~auditui.core.model.Span` per line piece.
2. **Numbers.** A count is a number followed by a unit (件, 例, 宗, 起, 份, 条, 次): Arabic, full-width or Chinese
   numerals (两件, 十二件, 零件). Approximate counts (约, 近, 超过, 余, 多, 以上, 左右) are never claims.
3. **Phrases as data.** :data:`PHRASES` ties the words right before a number (or, for a few phrasings, right after
   it: "另有 103 件顺延到下年度") to a target: a cell or a sum of cells. Between the key words and the number only
   filler may stand (共, 合计, 数量, 为, 达 …): "收到申请之日起15个工作日" is not a claim. A number tied to no target,
   or to two, is ignored, never guessed.
4. **其中.** A claim that opens a breakdown (applications received; 行政复议; 行政诉讼) lets the next counts in the
   same sentence name a column: "行政复议 351 件，其中结果维持 72 件，结果纠正 64 件…".
5. **Zero.** "未收到…申请" claims 0 in 一's 总计; "未发生…行政复议、行政诉讼" claims 0 for each named.
6. **Shares.** "…N 件，占 X%" right after a claim of part 三's results is checked against the table's share of
   （七）总计, within one unit of the last stated digit (rounded or truncated). A share that fits 一's 总计 or
   一 + 二 instead is accepted: the denominator is the report's choice.

What is deliberately *not* a disagreement
-----------------------------------------
- "共受理/收到…申请 N 件" is compared with 一's 总计 only. Only when the sentence itself speaks of 上年结转 is
  一 + 二 accepted as well ("共受理 37 件（含上年结转 3 件）").
- Claims about another year (the last year named before the count is not the report's), about comparisons (同比,
  较上年), under a condition (如, 若, 确保 …), about a wider scope than the reporting body (各级, 各部门, 所属 …: a
  summary for a whole area, while the table is the body's own), or in sentences that are not about disclosure at
  all (neither the sentence, its paragraph nor its heading speaks of 公开 or 申请) are skipped. Counts that could
  be about other things (办结, 答复, 行政复议, 不予处理 …) also need "公开" in the sentence before them or in the
  heading above.
- A sentence making the same claim twice, or two sentences making the same claim, give one finding with all spans.

A claim whose cell is blank or unreadable gives a finding with ``evaluable=False``: the prose then tells the
auditor what the cell probably held.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from .model import CellRef, Finding, Report, Span
from .template import (
    COL_BUSINESSES,
    COL_CORRECTED,
    COL_LEGAL_SERVICES,
    COL_NATURAL_PERSONS,
    COL_NONPROFITS,
    COL_OTHER_RESULT,
    COL_PENDING,
    COL_RESEARCH,
    COL_TOTAL,
    COL_UPHELD,
    ORGANISATION_IDS,
    PART_LITIGATION,
    PART_REQUESTS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_CLOSED,
    ROW_DISCLOSED,
    ROW_NEW,
    ROW_NOT_HANDLED,
    ROW_NOT_HELD,
    ROW_OTHER_HANDLING,
    ROW_PARTLY,
    ROW_REPEATED,
    ROW_REVIEW,
    ROW_SECRET,
    ROW_SUIT_AFTER,
    ROW_SUIT_DIRECT,
    ROW_UNABLE,
    ROW_WITHHELD,
    Template,
    row_label,
    short_row_label,
)
from .text import is_page_line, parse_chinese_number

# ------------------------------------------------------------------------------------------------ prose
_CHAR_MAP = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "\u3000": " ", "\u00a0": " ",
             "（": "(", "）": ")", "\t": " ", **dict.fromkeys("“”‘’「」『』\"'", " ")}
_TRANS = str.maketrans(_CHAR_MAP)
_HEADING = re.compile(r"^[#*\s]*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．])")


@dataclass(slots=True)
class Sentence:
    """One sentence of prose. ``text`` is normalised one character per source character (full-width digits and
    brackets made half-width, quotes made spaces), ``raw`` is the source's own text; ``pieces`` are its line pieces
    as (offset in the sentence, line, start column, end column)."""

    text: str
    raw: str
    pieces: tuple[tuple[int, int, int, int], ...]
    heading: str = ""

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(p[1] for p in self.pieces)

    def spans(self, a: int = 0, b: int | None = None) -> tuple[Span, ...]:
        """The source spans of characters [a, b) of the sentence (default: all of it), surrounding space trimmed."""
        b = len(self.text) if b is None else b
        while a < b and self.text[a].isspace():
            a += 1
        while b > a and self.text[b - 1].isspace():
            b -= 1
        out: list[Span] = []
        for off, line, start, end in self.pieces:
            lo, hi = max(a, off), min(b, off + end - start)
            if lo < hi:
                out.append(Span(line, start + lo - off, start + hi - off))
        return tuple(out)


def _table_regions(report: Report) -> list[tuple[int, int]]:
    regions = []
    for table in report.tables.values():
        # A row's spans hold its label and every value token (a cell's span is one of them, or a part of one on
        # the same line), and rows are read forward only, each after the one before: the first found row's
        # least span and the last found row's greatest bound the table's lines.
        rows = table.rows
        first = next((r.spans for r in rows if r.spans), None)
        spans = [min(first), max(next(r.spans for r in reversed(rows) if r.spans))] if first else []
        if table.span is not None:
            spans.append(table.span)
        if spans:
            regions.append((min(spans)[0], max(spans)[0]))
    return regions


def _sentence_like(line: str) -> bool:
    s = line.strip()
    return "。" in s and "\t" not in s and not s.startswith("|")


def _is_heading(line: str) -> bool:
    if "。" in line and ("#" not in line or not line.lstrip().startswith("#")):
        return False
    s = line.strip()
    return bool(s) and (s.startswith("#") or (len(s) <= 40 and "。" not in s and _HEADING.match(s) is not None))


def prose_lines(report: Report) -> list[int | None]:
    """Line numbers of prose in order; None marks a break (an empty line or a table line)."""
    lines = report.source.lines
    n = len(lines)
    in_table = bytearray(n)
    for lo, hi in _table_regions(report):
        in_table[lo : hi + 1] = b"\x01" * (hi + 1 - lo)
    out: list[int | None] = []
    append = out.append
    last = None  # out[-1]
    i = 0
    while i < n:
        lo = in_table.find(1, i)  # the next table line: lines[i:lo] are outside tables
        if lo < 0:
            lo = n
        for k in range(i, lo):
            line = lines[k]
            if not line or line.isspace():
                if last is not None:
                    append(None)
                    last = None
                continue
            if len(line) < 40 and is_page_line(line):
                continue
            append(k)
            last = k
        if lo == n:
            break
        hi = in_table.find(0, lo)  # lines[lo:hi] are table lines
        if hi < 0:
            hi = n
        # Most of a report's lines are table lines, and only a sentence-like one (it holds a "。") is prose: every
        # other one is a break. The lines holding a "。" are found with str.find over the joined lines (in C), the
        # rest are never looked at one by one.
        done = lo - 1  # the last line accounted for: lines done+1 … k-1 are breaks
        seg = "\n".join(lines[lo:hi])
        at = seg.find("。")
        k, k_at = lo, 0  # line k starts at seg[k_at]
        while at >= 0:
            k += seg.count("\n", k_at, at)
            line = lines[k]
            if _sentence_like(line):
                if k > done + 1 and last is not None:
                    append(None)
                    last = None
                done = k
                if not (len(line) < 40 and is_page_line(line)):  # (a page line does not break a sentence)
                    append(k)
                    last = k
            k_at = seg.find("\n", at) + 1
            if k_at == 0:
                break
            k += 1
            at = seg.find("。", k_at)
        if done < hi - 1 and last is not None:
            append(None)
            last = None
        i = hi
    return out


_END = re.compile(r"[。!！?？]")


def _ends(line: str) -> list[int]:
    """Where the sentences of a line end (after each 。!！?？): ``m.end()`` of ``_END.finditer(line)``. Most lines
    end their sentences with 。 only, found with str.find at twice the speed of the regex."""
    if "!" in line or "！" in line or "?" in line or "？" in line:
        return [m.end() for m in _END.finditer(line)]
    out = []
    at = line.find("。")
    while at >= 0:
        at += 1
        out.append(at)
        at = line.find("。", at)
    return out


_NEEDS_TRANS = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")


def _normalise(raw: str) -> str:
    """``raw.translate(_TRANS)``, made faster: str.translate looks every character of a Chinese text up in the
    table (some 70 ns each), while a sentence holds one or two of the characters it maps, each replaced in one C
    pass. (Each maps to a character the table does not map, so the order of the replacements does not matter.)"""
    for ch in set(_NEEDS_TRANS.findall(raw)):
        raw = raw.replace(ch, _CHAR_MAP[ch])
    return raw


def sentences(report: Report) -> list[Sentence]:
    """The report's prose split into sentences (at 。！？, at empty lines and tables, around headings)."""
    return [Sentence(_normalise(raw), raw, pieces, heading) for raw, pieces, heading in _split(report)]


def _sentences(report: Report, keep: Callable[[str], bool]) -> list[Sentence]:
    """:func:`sentences`, but only those whose source text ``keep`` accepts are made into a :class:`Sentence`: the
    rule looks at a few sentences of a report only, and every other one needs no normalised text nor object."""
    return [Sentence(_normalise(raw), raw, pieces, heading) for raw, pieces, heading in _split(report) if keep(raw)]


Piece = tuple[int, int, int, int]


def _split(report: Report) -> list[tuple[str, tuple[Piece, ...], str]]:
    """Each sentence of the report's prose as (its source text, its pieces, the heading it stands under), split
    once per report (the narrative rule and the checks across years both read them)."""
    return report.derived("sentences", _split_prose)


def _split_prose(report: Report) -> list[tuple[str, tuple[Piece, ...], str]]:
    lines = report.source.lines
    out: list[tuple[str, tuple[Piece, ...], str]] = []
    pieces: list[Piece] = []
    size = 0
    heading = ""

    def flush() -> str:
        """Make a sentence of ``pieces``; the heading that holds from there on."""
        if len(pieces) == 1:
            _, ln, a, b = pieces[0]
            raw = lines[ln][a:b]
        else:
            raw = "".join([lines[ln][a:b] for _, ln, a, b in pieces])
        stripped = raw.strip()
        if stripped:
            out.append((raw, tuple(pieces), heading))
            if len(stripped) <= 24 and _HEADING.match(stripped):
                pieces.clear()
                return stripped  # "（二）依申请公开情况。" opening a paragraph
        pieces.clear()
        return heading

    for ln in prose_lines(report):
        if ln is None:
            if pieces:
                heading = flush()
                size = 0
            continue
        line = lines[ln]
        if _is_heading(line):
            if pieces:
                heading = flush()
            pieces.append((0, ln, 0, len(line)))
            flush()
            size = 0
            heading = line.strip()
            continue
        start = 0
        for end in _ends(line):
            pieces.append((size, ln, start, end))
            heading = flush()
            size = 0
            start = end
        if start < len(line):
            pieces.append((size, ln, start, len(line)))
            size += len(line) - start
    if pieces:
        flush()
    return out


# ------------------------------------------------------------------------------------------------ phrases
FILLER = r"[\s的共计合总累为是达到了有数量案件]*$"
"""What may stand between a phrase's key words and its number."""
_AFTER_FILLER = r"^[\s的共计有为]*"


@dataclass(frozen=True, slots=True)
class Target:
    """Cells a claim is compared with: the sum of ``rows`` × ``columns`` of ``table``.

    ``rows`` may name a group of part 三 (``三.三``): its leaf rows in the report's template.
    """

    id: str
    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...] = (COL_TOTAL,)
    label: str = ""
    label_en: str = ""
    opens: str | None = None
    """The breakdown the claim opens for the counts after it (``applicants`` or ``litigation``)."""
    shares: bool = False
    """Whether "占 X%" after the claim is checked (part 三's results)."""
    needs: str = ""
    """A word the sentence before the number, or the heading above it, must contain (else the claim is ignored)."""
    vetoes: tuple[str, ...] = ()
    """Words that make the phrase ambiguous when they occur in the phrase's fragment."""


@dataclass(frozen=True, slots=True)
class Phrase:
    target: Target
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None


def _p(before: str | None = None, after: str | None = None) -> dict[str, re.Pattern[str] | None]:
    return {"before": re.compile(before + FILLER) if before else None,
            "after": re.compile(_AFTER_FILLER + after) if after else None}


_NOT_APPLICATION = r"(?!结转|答复|办结|复议|诉讼|咨询|建议|提案|留言|来信|来电|投诉|举报|人大|政协|许可|审批)"
_NEW_GAP = r"(?:(?:" + _NOT_APPLICATION + r".){0,24}?(?:公开|信息)(?:" + _NOT_APPLICATION + r".){0,12}?)?"

NEW = Target("new", PART_REQUESTS, (ROW_NEW,), label="「一、本年新收政府信息公开申请数量」「总计」",
             label_en="row 一 (applications received), 总计", opens="applicants", needs="公开")
CLOSED = Target("closed", PART_REQUESTS, (ROW_CLOSED,), label="「（七）总计」「总计」",
                label_en="row 三.七 (results), 总计", needs="公开",
                vetoes=("延期", "延长", "逾期", "按时", "按期", "当场", "当日", "及时", "期限内", "时限内", "工作日",
                        "不予"))
"""办结/答复: not when the count is qualified (延期答复, 按时办结 … may be a part of all replies)."""
CARRIED_IN = Target("carried-in", PART_REQUESTS, (ROW_CARRIED_IN,),
                    label="「二、上年结转政府信息公开申请数量」「总计」",
                    label_en="row 二 (carried over from last year), 总计")
CARRIED_OUT = Target("carried-out", PART_REQUESTS, (ROW_CARRIED_OUT,), label="「四、结转下年度继续办理」「总计」",
                     label_en="row 四 (carried over to next year), 总计")
REVIEW = Target("review", PART_LITIGATION, (ROW_REVIEW,), label="第四部分「行政复议」「总计」",
                label_en="part 四, 行政复议 总计", opens="litigation", needs="公开", vetoes=("诉讼",))
SUITS = Target("suits", PART_LITIGATION, (ROW_SUIT_DIRECT, ROW_SUIT_AFTER),
               label="第四部分两类「行政诉讼」「总计」之和",
               label_en="part 四, the sum of both 行政诉讼 rows' 总计", opens="litigation", needs="公开",
               vetoes=("复议",))
SUIT_DIRECT = Target("suit-direct", PART_LITIGATION, (ROW_SUIT_DIRECT,),
                     label="第四部分「未经复议直接起诉」「总计」",
                     label_en="part 四, 未经复议直接起诉 总计", opens="litigation", needs="公开")
SUIT_AFTER = Target("suit-after", PART_LITIGATION, (ROW_SUIT_AFTER,), label="第四部分「复议后起诉」「总计」",
                    label_en="part 四, 复议后起诉 总计", opens="litigation", needs="公开")


def _result(id: str, row: str) -> Target:
    return Target(id, PART_REQUESTS, (row,), shares=True, needs="公开")


RESULTS = {
    "disclosed": _result("disclosed", ROW_DISCLOSED),
    "partly": _result("partly", ROW_PARTLY),
    "withheld": _result("withheld", ROW_WITHHELD),
    "secret": _result("secret", ROW_SECRET),
    "unable": _result("unable", ROW_UNABLE),
    "not-held": _result("not-held", ROW_NOT_HELD),
    "not-handled": _result("not-handled", ROW_NOT_HANDLED),
    "repeated": _result("repeated", ROW_REPEATED),
    "other-handling": _result("other-handling", ROW_OTHER_HANDLING),
}

PHRASES: tuple[Phrase, ...] = (
    Phrase(NEW, **_p(r"(?:受理|收到|新收|接收|接到|收悉)" + _NEW_GAP + r"申请(?!人)(?:公开)?(?:政府)?(?:信息)?(?:事项)?")),
    Phrase(NEW, **_p(r"(?:受理|收到|接收|接到)依申请公开(?:政府)?(?:信息)?(?:事项|申请)?")),
    Phrase(NEW, **_p(r"新收")),
    Phrase(CLOSED, **_p(r"(?:办结|答复|办理完毕|办理完结)(?:了)?(?:政府信息公开|信息公开)?(?:申请)?")),
    Phrase(CARRIED_IN, **_p(r"上一?年度?(?:的)?(?:结转|遗留)(?:至|到)?(?:本年度?)?(?:的)?(?:政府信息公开)?(?:申请)?",
                            r"(?:系|为|属于?|是)?上一?年度?(?:结转|遗留)")),
    Phrase(CARRIED_OUT, **_p(r"(?:结转|顺延|转入|转|延续)(?:至|到|入)?下一?年度?(?:继续)?(?:办理|答复|处理)?(?:的)?"
                             r"(?:政府信息公开)?(?:申请)?",
                             r"(?:申请)?(?:需|将|被|已)?(?:结转|顺延|转入|转|延续)(?:至|到|入)?下一?年度?")),
    Phrase(CARRIED_OUT, **_p(r"下一?年度?继续(?:办理|答复|处理)(?:的)?(?:申请)?")),
    Phrase(REVIEW, **_p(r"(?<!未经)行政复议(?:案件|申请)?")),
    Phrase(SUITS, **_p(r"行政诉讼(?:案件)?")),
    Phrase(SUIT_DIRECT, **_p(r"未经复议直接(?:提起)?(?:行政)?(?:起诉|诉讼)(?:案件)?")),
    Phrase(SUIT_AFTER, **_p(r"复议后(?:提起)?(?:行政)?(?:起诉|诉讼)(?:案件)?")),
    Phrase(RESULTS["disclosed"], **_p(r"(?<![不部分])(?:予以|同意|全部)公开(?:的)?(?:申请)?")),
    Phrase(RESULTS["partly"], **_p(r"(?:予以)?部分公开(?:的)?(?:申请)?")),
    Phrase(RESULTS["withheld"], **_p(r"不予(?:以)?公开(?:的)?(?:申请)?")),
    Phrase(RESULTS["secret"], **_p(r"属于国家秘密(?:的)?(?:申请)?")),
    Phrase(RESULTS["unable"], **_p(r"无法提供(?:的)?(?:申请)?")),
    Phrase(RESULTS["not-held"], **_p(r"(?:本机关)?不掌握相关(?:政府)?信息(?:的)?(?:申请)?")),
    Phrase(RESULTS["not-handled"], **_p(r"不予(?:以)?处理(?:的)?(?:申请)?")),
    Phrase(RESULTS["repeated"], **_p(r"(?:属于)?重复申请")),
    Phrase(RESULTS["other-handling"], **_p(r"其他(?:方式)?处理(?:的)?(?:申请)?")),
)
"""Phrase table: words before (or after) a count → the target it is compared with."""

_RESULT_WORDS = ("予以公开", "同意公开", "部分公开", "不予公开", "国家秘密", "无法提供", "不掌握", "不予处理",
                 "重复申请", "其他处理")


def _named(column: str) -> tuple[re.Pattern[str], tuple[str, ...], str]:
    """A breakdown by one applicant column, named in the prose as in the table ("自然人提出的申请 5 件")."""
    return re.compile(column + r"(?:提出)?(?:的)?(?:申请)?" + FILLER), (column,), column


SUB_PHRASES: dict[str, tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...]] = {
    "applicants": (
        _named(COL_NATURAL_PERSONS),
        (re.compile(r"法人(?:或者|或|和|及|与)其他组织(?:提出)?(?:的)?(?:申请)?" + FILLER), ORGANISATION_IDS, "法人或其他组织"),
        *map(_named, (COL_BUSINESSES, COL_RESEARCH, COL_NONPROFITS, COL_LEGAL_SERVICES)),
    ),
    "litigation": (
        (re.compile(r"(?:结果)?维持(?:原(?:具体)?(?:行政行为|决定))?" + FILLER), (COL_UPHELD,), COL_UPHELD),
        (re.compile(r"(?:结果)?(?:被)?纠正" + FILLER), (COL_CORRECTED,), COL_CORRECTED),
        (re.compile(r"其他(?:结果)?" + FILLER), (COL_OTHER_RESULT,), COL_OTHER_RESULT),
        (re.compile(r"(?:尚未审结|未审结|尚在审理|正在审理|审理中)" + FILLER), (COL_PENDING,), COL_PENDING),
    ),
}
"""Breakdowns: words before a count after a claim that opened one → the columns of the claim's rows."""

_NUMBER = re.compile(
    r"(?P<pre>约|近|超过|逾|大约)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+|[零〇一二两三四五六七八九十百千]+)\s*"
    r"(?P<approx>余|多)?\s*(?P<unit>件次|件|例|宗|起|份|条|次)(?P<post>以上|左右|之多)?"
)
_SEP = frozenset(",，;；。:：()、!！?？")
_CLAUSE_SEP = frozenset(",，;；。!！?？")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_COMPARISON = re.compile(r"同比|较上年|较去年|比上年|比去年|上年同期|去年同期|较\d{4}|与\d{4}")
_MAYBE_CLAIM = re.compile(r"[\d零〇一二两三四五六七八九十百千]\s*(?:件|例|宗|起|份|条|次)|未|没有")
"""What a sentence holding a claim holds somewhere: a count, or a negation (a zero claim). See :func:`_may_claim`."""
_COUNT = re.compile(r"[\d零〇一二两三四五六七八九十百千][\s“”‘’「」『』\"']*[件例宗起份条次]")


def _may_claim(raw: str) -> bool:
    """Whether ``_MAYBE_CLAIM`` is found in the sentence whose source text is ``raw`` (its text normalised: the
    quotes that normalising makes spaces are taken as spaces, the other characters it changes are neither digits,
    units nor spaces before and after). Faster than the regex, whose first branch, starting with a character
    class, is tried with the other two at every character (some 2.5 µs a sentence): the words are found with
    ``in``, and the count is looked for only when one of its units is there at all (in one sentence of five; the
    units are tested one by one, as ``in`` is faster than any loop or character class over them)."""
    return ("未" in raw or "没有" in raw
            or (("件" in raw or "例" in raw or "宗" in raw or "起" in raw or "份" in raw or "条" in raw
                 or "次" in raw) and _COUNT.search(raw) is not None))


_SCOPE = re.compile(r"各级|各部门|各单位|各地|各县|各区|各乡|各镇|各街道|所属|下属|系统内|全系统")
_CONDITION = re.compile(r"如果|若|一旦|假如|确保|避免|防止|杜绝|(?<![例比诸])如(?![实期何下此今同])")
_SHARE = re.compile(r"\s*[，,、]?\s*(?:约)?占(?:比|到)?(?:(?!占)[^\d，,；;。%]){0,16}?\s*(?P<pct>\d+(?:\.\d+)?)\s*%")
_CLAUSE_END = r"\s*(?=$|[，,；;。!！?？])"
_ZERO_NEW = re.compile(r"(?:未|没有)(?:收到|受理|接到|接收|新收)"
                       r"(?:(?!结转|答复|复议|诉讼|咨询|建议|提案|留言)[^\d，,；;。!！?？]){0,24}?申请(?!人)"
                       r"(?:公开)?(?:政府信息)?(?:事项|情况)?" + _CLAUSE_END)
_ZERO_LITIGATION = re.compile(r"(?:未|没有)(?:发生|产生|出现|收到|接到|涉及|有)[^\d，,；;。!！?？]{0,30}?"
                              r"(?:行政复议|行政诉讼)(?:[、和及与或](?:行政)?(?:复议|诉讼))?"
                              r"(?:案件|情况|事项|申请)?(?:的情况)?" + _CLAUSE_END)
"""Zero claims: the negated words must end their clause ("未发生行政复议被纠错" is about a subset, not a claim)."""
_REVIEW_WORD = row_label(PART_LITIGATION, ROW_REVIEW)
"""What names 行政复议 in a zero claim: the row's label."""


# ------------------------------------------------------------------------------------------------ claims
@dataclass(slots=True)
class Claim:
    target: Target
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    value: int
    sentence: Sentence
    start: int
    end: int
    quote_start: int
    label: str
    label_en: str
    alternatives: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    share: float | None = None
    share_digits: int = 0


def _clause_bounds(text: str, i: int) -> tuple[int, int]:
    a = i
    while a > 0 and text[a - 1] not in _CLAUSE_SEP:
        a -= 1
    b = i
    while b < len(text) and text[b] not in _CLAUSE_SEP:
        b += 1
    return a, b


def _on_topic(s: Sentence, lines: tuple[str, ...]) -> bool:
    """Whether a sentence is about disclosure at all: it, its paragraph's lines or its heading speak of 公开/申请."""
    if any(w in s.text or w in s.heading for w in ("公开", "申请")):
        return True
    return any("公开" in lines[ln] or "申请" in lines[ln] for ln in s.lines)


def _year_before(text: str, at: int) -> int | None:
    years = _YEAR.findall(text, 0, at)
    return int(years[-1]) if years else None


def _group_rows(template: Template, table: str, row: str) -> tuple[str, ...]:
    tdef = template.tables[table]
    ids = [r.id for r in tdef.value_rows]
    if row in ids:
        return (row,)
    return tuple(r for r in ids if r.startswith(row + "."))


def _other_year(clause: str, year: int | None) -> bool:
    return year is not None and any(int(y) != year for y in _YEAR.findall(clause))


def _label(report: Report, t: Target, rows: tuple[str, ...], columns: tuple[str, ...], col_label: str
           ) -> tuple[str, str]:
    part = {PART_REQUESTS: "第三部分", PART_LITIGATION: "第四部分"}[t.table]
    if t.label and columns == t.columns:
        return (t.label if t.table == PART_LITIGATION else part + t.label), t.label_en
    if t.table == PART_REQUESTS:
        row = t.rows[0]
        name = short_row_label(PART_REQUESTS, row, report.template)
        return f"{part}「{name}」「{col_label}」", f"part 三, row {row}, {col_label}"
    if len(rows) == 1:
        return f"第四部分「{rows[0]}」「{col_label}」", f"part 四, {rows[0]} {col_label}"
    return f"第四部分两类「行政诉讼」「{col_label}」之和", f"part 四, both 行政诉讼 rows' {col_label}"


_ANY_BEFORE = re.compile("|".join(f"(?:{ph.before.pattern})" for ph in PHRASES if ph.before is not None))
"""Whether any phrase's ``before`` is found: one search instead of one per phrase (most counts have none)."""
_AFTER_PHRASES = tuple((ph.target, ph.after) for ph in PHRASES if ph.after is not None)


def _hits(before: str, after: str, number_end: int, after_end: int) -> list[tuple[Target, int]]:
    """The phrases a count is tied to, in table order, each with where its quote ends: after the number for words
    before it, after the words for words after it."""
    hits: list[tuple[Target, int]] = []
    if _ANY_BEFORE.search(before) is None:
        for target, after_rx in _AFTER_PHRASES:
            if after_rx.match(after):
                hits.append((target, after_end))
        return hits
    for ph in PHRASES:
        if ph.before is not None:
            if ph.before.search(before) is not None:
                hits.append((ph.target, number_end))
                continue
        if ph.after is not None and ph.after.match(after):
            hits.append((ph.target, after_end))
    return hits


def _claims(report: Report, template: Template, s: Sentence) -> Iterator[Claim]:
    text = s.text
    matches = list(_NUMBER.finditer(text))
    mentions_carry = "结转" in text and ("上年" in text or "上一年" in text)
    context: Claim | None = None
    prev_end = 0
    for k, m in enumerate(matches):
        start = m.start("pre") if m.group("pre") else m.start("num")
        a = start
        while a > prev_end and text[a - 1] not in _SEP:
            a -= 1
        before = text[a:start]
        next_start = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        b = m.end()
        while b < next_start and text[b] not in _SEP:
            b += 1
        after = text[m.end():b]
        prev_end = m.end()
        hits = _hits(before, after, m.end(), b)
        if not hits and context is None:
            continue  # tied to nothing, and no breakdown open: whatever the tests below say, no claim
        if m.group("pre") or m.group("approx") or m.group("post") or _coordinated(text, a, m.start()):
            continue
        value = parse_chinese_number(m.group("num").replace(",", ""))
        if value is None:
            continue
        clause_a, clause_b = _clause_bounds(text, m.start("num"))
        clause = text[clause_a:clause_b]
        if _other_year(clause, report.year) or _COMPARISON.search(clause) or _CONDITION.search(clause) \
                or _SCOPE.search(text, 0, m.start()):
            continue
        said_year = _year_before(text, m.start("num"))
        if said_year is not None and report.year is not None and said_year != report.year:
            continue  # "2021年，…受理申请30件" in the 2022 report
        targets = {t.id for t, _ in hits}
        if len(targets) == 1:
            target, quote_end = hits[0]
            if any(v in before for v in target.vetoes):
                context = None
                continue
            if target.needs and target.needs not in text[: m.start()] and target.needs not in s.heading:
                continue
            if target.shares and sum(w in before for w in _RESULT_WORDS) > 1:
                continue
            rows = _group_rows(template, target.table, target.rows[0]) if target.table == PART_REQUESTS \
                else target.rows
            label, label_en = _label(report, target, rows, target.columns, COL_TOTAL)
            claim = Claim(target, rows, target.columns, value, s, m.start("num"), quote_end, a, label, label_en)
            if target is NEW and mentions_carry:
                claim.alternatives.append(((ROW_NEW, ROW_CARRIED_IN), (COL_TOTAL,)))
            _attach_share(claim, text, m.end())
            context = claim if target.opens else None
            yield claim
            continue
        if targets:
            context = None  # two readings: ignored, and the breakdown it might have opened is closed
            continue
        if context is None:
            continue
        for rx, cols, col_label in SUB_PHRASES[context.target.opens or ""]:
            sm = rx.search(before)
            if sm is None:
                continue
            label, label_en = _label(report, context.target, context.rows, cols, col_label)
            qa = context.quote_start if m.end() - context.quote_start <= 60 else a
            sub_target = Target(context.target.id + ":" + col_label, context.target.table, context.target.rows,
                                cols, shares=context.target.shares)
            claim = Claim(sub_target, context.rows, cols, value, s, m.start("num"), m.end(), qa, label, label_en)
            yield claim
            break


def _coordinated(text: str, a: int, number_at: int) -> bool:
    """Whether the words before a count are the last of a list ("行政复议、行政诉讼共 3 件"): the count is then
    for the whole list, which no one cell holds."""
    if a == 0 or text[a - 1] not in "、和及与":
        fragment = text[a:number_at]
        return bool(re.search(r"[、和及与](?:行政)?(?:诉讼|复议|部分公开|不予公开|无法提供|不予处理)", fragment))
    seg = text[: a - 1]
    i = len(seg)
    while i > 0 and seg[i - 1] not in _SEP:
        i -= 1
    piece = seg[i:]
    return bool(piece.strip()) and _NUMBER.search(piece) is None


def _attach_share(claim: Claim, text: str, at: int) -> None:
    if not claim.target.shares:
        return
    sm = _SHARE.match(text[at:])
    if sm is None:
        return
    pct = sm.group("pct")
    claim.share = float(pct)
    claim.share_digits = len(pct.split(".")[1]) if "." in pct else 0


def _zero_claims(report: Report, template: Template, s: Sentence) -> Iterator[Claim]:
    text = s.text
    for rx, kinds in ((_ZERO_NEW, ("new",)), (_ZERO_LITIGATION, ("review", "suits"))):
        for m in rx.finditer(text):
            a, b = _clause_bounds(text, m.start())
            clause = text[a:b]
            if _NUMBER.search(clause) or _CONDITION.search(clause) or _SCOPE.search(text, 0, m.start()) \
                    or _other_year(clause, report.year):
                continue
            rest = text[m.start():b]
            for kind in kinds:
                if kind == "new":
                    target = NEW
                elif kind == "review" and _REVIEW_WORD in rest:
                    target = REVIEW
                elif kind == "suits" and "行政诉讼" in rest:
                    target = SUITS
                else:
                    continue
                label, label_en = _label(report, target, target.rows, target.columns, COL_TOTAL)
                yield Claim(target, target.rows, target.columns, 0, s, m.start(), b, a, label, label_en)


# ------------------------------------------------------------------------------------------------ compare
def _sum(report: Report, table: str, rows: tuple[str, ...], columns: tuple[str, ...]) -> int | None:
    t = report.tables.get(table)
    if t is None or not t.found:
        return None
    total = 0
    for r in rows:
        for c in columns:
            v = t.value(r, c)
            if v is None or isinstance(v, float):
                return None
            total += v
    return total


def _refs(claim: Claim) -> tuple[CellRef, ...]:
    return tuple(CellRef(claim.target.table, r, c) for r in claim.rows for c in claim.columns)


def _quote(claim: Claim) -> str:
    q = claim.sentence.raw[claim.quote_start: claim.end].strip()
    return q if len(q) <= 48 else "…" + q[-47:]


def _where(claim: Claim) -> tuple[str | None, str | None]:
    t = claim.target
    row = t.rows[0] if len(t.rows) == 1 else None
    column = claim.columns[0] if len(claim.columns) == 1 else None
    return row, column


def _finding(claim: Claim, expected: int | float | None, actual: int | float | None, message: str, message_en: str,
             evaluable: bool = True) -> Finding:
    row, column = _where(claim)
    return Finding("narrative", "warning", claim.target.table, row, column, expected, actual, message,
                   cells=_refs(claim), evaluable=evaluable, spans=claim.sentence.spans(),
                   message_en=message_en)


def _share_ok(stated: float, digits: int, ratios: list[float]) -> bool:
    unit = 10.0 ** -digits
    return any(abs(r * 100 - stated) < unit + 1e-9 for r in ratios)


def _compare(report: Report, claim: Claim) -> Iterator[tuple[str, Finding]]:
    table = claim.target.table
    value = _sum(report, table, claim.rows, claim.columns)
    quote = _quote(claim)
    if value is None:
        yield "count", _finding(claim, None, claim.value,
                       f"正文称「{quote}」，但{claim.label}为空或无法识别，无法核对",
                       f'the text says "{quote}" ({claim.value}) but {claim.label_en} is blank or unreadable',
                       evaluable=False)
        return
    ok = value == claim.value or any(_sum(report, table, rows, cols) == claim.value
                                     for rows, cols in claim.alternatives)
    if not ok:
        yield "count", _finding(claim, value, claim.value,
                       f"正文称「{quote}」，表格{claim.label}为 {value}",
                       f'the text says "{quote}" ({claim.value}) but {claim.label_en} is {value}')
    if claim.share is None:
        return
    whole = _sum(report, PART_REQUESTS, (ROW_CLOSED,), (COL_TOTAL,))
    if not whole:
        return
    wholes = [w for w in (whole, _sum(report, PART_REQUESTS, (ROW_NEW,), (COL_TOTAL,)),
                          _sum(report, PART_REQUESTS, (ROW_NEW, ROW_CARRIED_IN), (COL_TOTAL,))) if w]
    ratios = [n / w for n in (value, claim.value) for w in wholes]
    if _share_ok(claim.share, claim.share_digits, ratios):
        return
    expected = round(value / whole * 100, claim.share_digits)
    if claim.share_digits == 0:
        expected = int(expected)
    stated = claim.share if claim.share_digits else int(claim.share)
    yield "share", _finding(claim, expected, stated,
                   f"正文称「{quote}」占比 {stated}%，按表格计算为 {expected}%（{value}/{whole}）",
                   f'the text gives {stated}% for "{quote}"; the table gives {expected}% ({value}/{whole} of 三.七)')


def check_narrative(report: Report, template: Template) -> Iterator[Finding]:
    """The ``narrative`` rule: every claim of the prose that disagrees with (or cannot be checked against) its cell."""
    merged: dict[tuple[object, ...], Finding] = {}
    for s in _sentences(report, _may_claim):
        if not _on_topic(s, report.source.lines):
            continue
        for claim in (*_claims(report, template, s), *_zero_claims(report, template, s)):
            for kind, f in _compare(report, claim):
                key = (kind, f.cells, f.expected, f.actual)
                old = merged.get(key)
                if old is None:
                    merged[key] = f
                elif not set(f.spans) <= set(old.spans):
                    merged[key] = replace(old, spans=old.spans + tuple(sp for sp in f.spans if sp not in old.spans))
    yield from merged.values()
