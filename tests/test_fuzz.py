"""Fuzzing: whatever a report file holds, auditui returns a Report or a clean per-file error, and never raises.

Inputs are the seeds (and reports rendered in every layout) mutated line by line: lines deleted, duplicated,
swapped, cut in half (a label broken by a line or a page), truncated, with random Unicode, control characters,
full-width digits, "-1", 20-digit numbers and table-ish punctuation spliced in; and random or corrupted bytes
under every suffix auditui reads.

Profiles (tests/conftest.py): ``ci`` (default, 100 examples a test) and ``fuzz`` (10,000 examples a test; the
corrupted-PDF test, at a quarter of a second an example, runs a tenth of that)::

    HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py -p no:randomly -q
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from conftest import SAMPLES, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st
from reportgen import LAYOUTS, consistent3, consistent4, part2_lines, render

from auditui.core.batch import check_file
from auditui.core.checked import Checked
from auditui.core.load import SUFFIXES
from auditui.core.model import Report, Source
from auditui.core.output import dumps_toml, to_json
from auditui.core.parse import parse
from auditui.core.rules import RULES, check

SEED_TEXTS = [p.read_text("utf-8") for p in SEEDS.values()] + [
    render(consistent3(t, seed=k), consistent4(k), t, year=2020 if t == "2019" else 2022, layout=layout)
    for k, layout in enumerate(LAYOUTS)
    for t in ("2019", "2021")
]

# ------------------------------------------------------------------------------------------------ strategies
CONTROL = st.sampled_from([chr(c) for c in range(0xA0) if not chr(c).isprintable()])
ANY_CHAR = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot come out of a decoder
ODD_WORDS = st.sampled_from([
    "-1", "-0", "+3", "12345678901234567890", "-12345678901234567890", "99999999999999999999999", "０", "１２",
    "－１", "1O", "l0", "3.5", "0.0", "1,234", "1,23", "5件", "13030元", "1.5万元", "—", "--", "/", "无", "空", "|",
    "||", "\t", "\t\t\t", "　", "\u00a0", "\u200b", "\ufeff", "\u202e", "\u2066", "\x1b[31m", "\x1b]0;x\x07",
    "[bold red]", "[/]", "①", "⑳", "(", "（", ")", "一、", "（七）", "(七)总计", "总计", "自然人", "合计",
    "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "二、主动公开政府信息情况",
    "本年新收", "行政复议", "第 3 页", "- 4 -", "3 / 6", "2021年政府信息公开工作年度报告", "#", "**", "---|---",
    "1e400", "1" * 400 + ".5", "9" * 5000, "²", "²²²²²²²", "¹²³", "፩", "NaN", "∞", "٣", "三十", "\U0001f600", "\r", "\u2028",
])
WORD = st.one_of(
    ODD_WORDS,
    st.integers(-(10**25), 10**25).map(str),
    st.text(ANY_CHAR, max_size=12),
    st.text(CONTROL, min_size=1, max_size=4),
)
PAYLOAD = st.lists(WORD, min_size=1, max_size=4).map("".join)
INDEX = st.integers(0, 10**6)  # taken modulo the line count: still meaningful after earlier mutations

MUTATION = st.one_of(
    st.tuples(st.just("delete"), INDEX, st.integers(1, 5)),
    st.tuples(st.just("duplicate"), INDEX, st.integers(1, 5)),
    st.tuples(st.just("swap"), INDEX, INDEX),
    st.tuples(st.just("cut"), INDEX, INDEX),  # a line (a label) broken in two
    st.tuples(st.just("truncate"), INDEX, INDEX),
    st.tuples(st.just("insert"), INDEX, PAYLOAD),
    st.tuples(st.just("splice"), INDEX, INDEX, PAYLOAD),
    st.tuples(st.just("number"), INDEX, PAYLOAD),  # a number of the line replaced
    st.tuples(st.just("fullwidth"), INDEX),
)
_DIGITS = re.compile(r"\d+")
_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def mutate(lines: list[str], op: tuple) -> None:
    name, *args = op
    if not lines:
        lines.append("")
    i = args[0] % len(lines)
    if name == "delete":
        del lines[i : i + args[1]]
    elif name == "duplicate":
        lines[i:i] = lines[i : i + args[1]]
    elif name == "swap":
        j = args[1] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif name == "cut":
        k = args[1] % (len(lines[i]) + 1)
        lines[i : i + 1] = [lines[i][:k], lines[i][k:]]
    elif name == "truncate":
        lines[i] = lines[i][: args[1] % (len(lines[i]) + 1)]
    elif name == "insert":
        lines.insert(i, args[1])
    elif name == "splice":
        k = args[1] % (len(lines[i]) + 1)
        lines[i] = lines[i][:k] + args[2] + lines[i][k:]
    elif name == "number":
        lines[i] = _DIGITS.sub(lambda _: args[1], lines[i], count=1)
    elif name == "fullwidth":
        lines[i] = lines[i].translate(_FULLWIDTH)


@st.composite
def mutated_reports(draw) -> str:
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for op in draw(st.lists(MUTATION, min_size=1, max_size=12)):
        mutate(lines, op)
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ invariants
_WS = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000" \
      "\u200b\u200c\u200d\u2060\ufeff"


def assert_sound(report: Report, findings: list) -> None:
    """What every consumer (CLI, TUI, audit log) relies on, whatever the input."""
    lines = report.source.lines

    def valid(span) -> bool:
        return 0 <= span.line < len(lines) and 0 <= span.start <= span.end <= len(lines[span.line])

    assert report.template in ("2019", "2021")
    assert report.year is None or 1990 <= report.year <= 2100
    for span in (report.body_span, report.year_span):
        assert span is None or valid(span)
    for table in report.tables.values():
        for row in table.rows:
            assert all(valid(s) for s in row.spans)
            assert row.label_span is None or valid(row.label_span)
            for cell in row.cells:
                assert cell.value is None or type(cell.value) in (int, float)
                assert (cell.value is None) == (cell.status != "ok")
                if cell.span is not None:
                    assert valid(cell.span)
                    shown = report.source.snippet(cell.span)
                    # every cell points at its own text in the source (what the TUI highlights)
                    assert (shown.strip(_WS) if cell.status == "blank" else shown) == cell.raw
    for m in report.markers:
        assert valid(m.span)
    for f in findings:
        assert f.rule in RULES and f.severity in ("error", "warning", "info")
        assert isinstance(f.message, str) and f.message
        assert all(valid(s) for s in f.spans)
        assert all(report.cell(c) is not None for c in f.cells)
    # every output format the CLI has
    s = to_json(Checked(report.path, report, tuple(findings)))
    json.loads(json.dumps(s, ensure_ascii=False, allow_nan=False))
    dumps_toml([s])


def assert_clean(c: Checked) -> None:
    """A Report, or one line saying why the file could not be read."""
    assert (c.report is None) != (c.error is None)
    if c.error is not None:
        assert isinstance(c.error, str) and c.error.strip()
        assert "\n" not in c.error and "Traceback" not in c.error
    else:
        assert_sound(c.report, c.findings)


# ------------------------------------------------------------------------------------------------ text
@given(mutated_reports())
def test_mutated_reports_parse_and_check(text):
    report = parse(Source.from_text(text))
    assert_sound(report, check(report))


@given(st.lists(st.one_of(PAYLOAD, st.sampled_from(SEED_TEXTS[0].split("\n"))), max_size=80).map("\n".join))
def test_random_lines_parse_and_check(text):
    report = parse(Source.from_text(text))
    assert_sound(report, check(report))


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="auditui fuzz 报告 ") as d:  # a space and CJK in every path
        yield Path(d)


@given(text=mutated_reports(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       suffix=st.sampled_from([".txt", ".md", ".tsv", ".csv"]))
def test_mutated_report_files_through_the_loader(workdir, text, encoding, suffix):
    path = workdir / f"mutated{suffix}"
    path.write_bytes(text.encode(encoding, errors="replace"))
    assert_clean(check_file(path))


# ------------------------------------------------------------------------------------------------ bytes
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=4096))
def test_random_bytes_under_every_suffix(workdir, suffix, data):
    path = workdir / f"random{suffix}"
    path.write_bytes(data)
    assert_clean(check_file(path))


def _html(text: str) -> bytes:
    from html import escape

    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in line.split("\t")) + "</tr>\n"
                   for line in text.split("\n") if "\t" in line)
    paras = "".join(f"<p>{escape(line)}</p>\n" for line in text.split("\n") if "\t" not in line)
    return f"<html><head><meta charset='utf-8'></head><body>{paras}<table>{rows}</table></body></html>".encode()


def _docx(text: str) -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            d.add_table(rows=1, cols=len(cells)).rows[0].cells[0].text = cells[0]
        else:
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _valid_files() -> dict[str, list[bytes]]:
    tsv = render(consistent3("2021", 5), consistent4(5), "2021", 2022, layout="tsv")
    md = render(consistent3("2019", 6), consistent4(6), "2019", 2020, layout="markdown")
    return {
        ".txt": [SEEDS["001"].read_bytes(), SEEDS["003"].read_text("utf-8").encode("gb18030"),
                 SEEDS["004"].read_text("utf-8").encode("utf-16")],
        ".md": [md.encode()],
        ".tsv": [tsv.encode()],
        ".html": [_html(tsv)],
        ".docx": [_docx(tsv + "\n" + "\n".join(part2_lines("2021", "tsv")))],
        ".pdf": [p.read_bytes() for p in sorted(SAMPLES.glob("00*.pdf"))],
    }


@pytest.fixture(scope="module")
def valid_files():
    return _valid_files()


BYTE_EDITS = st.lists(
    st.tuples(st.sampled_from(["flip", "delete", "duplicate", "truncate", "insert"]), INDEX, st.integers(1, 64),
              st.binary(min_size=1, max_size=16)),
    min_size=1, max_size=6,
)


def corrupt(data: bytes, edits) -> bytes:
    b = bytearray(data)
    for name, at, n, junk in edits:
        if not b:
            break
        i = at % len(b)
        if name == "flip":
            b[i] ^= 1 << (n % 8)
        elif name == "delete":
            del b[i : i + n]
        elif name == "duplicate":
            b[i:i] = b[i : i + n]
        elif name == "truncate":
            del b[i:]
        else:
            b[i:i] = junk
    return bytes(b)


@given(suffix=st.sampled_from([".txt", ".md", ".tsv", ".html", ".docx"]), which=INDEX, edits=BYTE_EDITS)
def test_corrupted_files_of_every_format(workdir, valid_files, suffix, which, edits):
    bases = valid_files[suffix]
    path = workdir / f"corrupted{suffix}"
    path.write_bytes(corrupt(bases[which % len(bases)], edits))
    assert_clean(check_file(path))


@settings(max_examples=max(10, settings().max_examples // 10))  # a quarter of a second an example
@given(which=INDEX, edits=BYTE_EDITS)
def test_corrupted_pdfs(workdir, valid_files, which, edits):
    bases = valid_files[".pdf"]
    path = workdir / "corrupted.pdf"
    path.write_bytes(corrupt(bases[which % len(bases)], edits))
    assert_clean(check_file(path))
