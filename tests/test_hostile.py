"""Hostile input: report text, file names and sizes chosen to break a terminal, a parser or the memory.

- Rich markup, ANSI/OSC escape sequences, C1 controls and bidirectional controls in a report (or in its file
  name) are shown literally by ``auditui check``; nothing reaches the terminal raw.
- Lines built to make a regex backtrack are read in linear time.
- Oversized files are refused with one clear line (see README "Limits"); paths with spaces and CJK work.

The TUI side is in tests/tui/test_hostile.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

import pytest
from conftest import SAMPLES, SEEDS
from reportgen import consistent3, consistent4, render

from auditui.cli import main
from auditui.core.batch import check_file
from auditui.core.load import MAX_BYTES, load
from auditui.core.model import Source
from auditui.core.parse import parse
from auditui.core.rules import check

MARKUP = "[bold red]假[/bold red][link=https://example.com]链接[/link]"
ANSI = "\x1b[31m红\x1b[0m\x1b[2J"
OSC = "\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\点我\x1b]8;;\x1b\\"
BIDI = "\u202e\u2066txt.exe\u2069\u202c\u200f"
C1 = "\x9b31m\x85"
RAW_CONTROLS = ["\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2066", "\u2069", "\u202c", "\u200f"]


def hostile_report() -> str:
    """A complete report whose title, prose and cells carry every kind of hostile text."""
    g3 = consistent3("2021", 3)
    g3["一"][0] = "\x1b[5m7"  # an unreadable cell whose raw text ends up in a finding's message
    text = render(g3, consistent4(3), "2021", 2022, body="某县人民政府",
                  prose=f"2022年，我县共受理申请1件。{MARKUP}{ANSI}{OSC}{BIDI}")
    title = "某县人民政府\n2022年政府信息公开工作年度报告"
    assert title in text
    return text.replace(title, f"{MARKUP}{ANSI}某县{OSC}{BIDI}{C1}人民政府2022年政府信息公开工作年度报告")


def shows(expected: str, output: str) -> bool:
    """``expected`` appears in ``output`` as written, however Rich folded the line."""
    return re.sub(r"\s+", "", expected) in re.sub(r"\s+", "", output)


def assert_nothing_raw(output: str) -> None:
    for ch in RAW_CONTROLS:
        assert ch not in output, f"{ch!r} reached the terminal"


@pytest.fixture
def hostile_file(tmp_path):
    path = tmp_path / "hostile report 报告.txt"
    path.write_text(hostile_report(), encoding="utf-8")
    return path


def test_loaded_text_has_visible_stand_ins(hostile_file):
    text = load(hostile_file).text
    assert_nothing_raw(text)
    assert "␛[31m红" in text and "␛]0;pwned␇" in text
    assert MARKUP in text  # markup is only text: kept as written


def test_cli_text_shows_hostile_text_literally(hostile_file, capsys):
    main(["check", str(hostile_file)])
    out, err = capsys.readouterr()
    assert_nothing_raw(out + err)
    assert shows(MARKUP, out)  # printed as written, not interpreted (which would drop the brackets)
    assert shows("␛[31m红", out) and shows("␛]8;;https://evil.example", out)
    assert shows("␛[5m7", out)  # the unreadable cell, quoted in its finding


def test_cli_json_and_toml_keep_the_text_and_stay_valid(hostile_file, capsys):
    main(["check", "--format", "json", str(hostile_file)])
    out = capsys.readouterr().out
    assert_nothing_raw(out)
    s = json.loads(out)
    assert MARKUP in s["body"] and "␛[31m" in s["body"]
    main(["check", "--format", "toml", str(hostile_file)])
    out = capsys.readouterr().out
    assert_nothing_raw(out)
    import tomllib

    assert MARKUP in tomllib.loads(out)["report"][0]["body"]


def test_hostile_file_names_are_shown_literally(tmp_path, capsys):
    name = "[red]x[link=evil]y \x1b]0;t\x07 \u202e报告"  # ("/" cannot be in a file name)
    good = tmp_path / f"{name}.txt"
    good.write_text(hostile_report(), encoding="utf-8")
    bad = tmp_path / f"{name} 空.txt"
    bad.write_bytes(b"")
    main(["check", str(tmp_path)])
    out, err = capsys.readouterr()
    assert_nothing_raw(out + err)
    assert shows("[red]x[link=evil]y ␛]0;t␇", out)  # the report's line
    assert shows("[red]x[link=evil]y ␛]0;t␇", err) and shows("空.txt: empty file", err)  # the unreadable one
    main(["check", str(tmp_path / "\x1b[2Jmissing")])
    assert_nothing_raw("".join(capsys.readouterr()))


def test_cli_subprocess_writes_no_escape_sequence(hostile_file):
    """As an auditor runs it, output to a pipe (Rich adds no styling there, so any ESC would be the report's)."""
    r = subprocess.run([sys.executable, "-m", "auditui", "check", str(hostile_file)], capture_output=True,
                       text=True, encoding="utf-8", timeout=120)
    assert r.returncode in (0, 1), r.stderr
    assert_nothing_raw(r.stdout + r.stderr)
    assert shows(MARKUP, r.stdout)


# ------------------------------------------------------------------------------------------------ regexes
PATHOLOGICAL = [
    "|" + "-" * 20000 + "x",  # a Markdown separator that is not one
    "2021年" + " " * 20000 + "x",  # a title that is not one
    "某局" + " " * 20000 + "2021年政府信息公开工作年度报告",
    "三、收到和处理政府信息公开申请情况" + " " * 20000,
    "中" * 20000 + "1" * 20000 + "x",  # label glued to a number, almost
    "1" * 20000 + "." + "1" * 20000 + "x",
    "1,000" * 5000 + "x",
    "\t" * 20000 + "1",
    "|" * 20000,
    "（" * 20000 + "一" * 20000,
]


@pytest.mark.parametrize("line", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
def test_pathological_lines_take_linear_time(line):
    text = "\n".join([line, "三、收到和处理政府信息公开申请情况", line, line[:5000], "四、行政复议、行政诉讼情况", line])
    start = time.process_time()
    report = parse(Source.from_text(text))
    check(report)
    assert time.process_time() - start < 3  # quadratic backtracking took minutes on some of these


# ------------------------------------------------------------------------------------------------ sizes
def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge 报告.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no disk used
    c = check_file(path)
    assert c.report is None and "MB" in c.error and "up to" in c.error


# ------------------------------------------------------------------------------------------------ paths
@pytest.fixture
def cjk_folder(tmp_path):
    """Every format, in folders and files whose names have spaces, CJK and brackets."""
    folder = tmp_path / "年报 2022" / "某 县（区）"
    folder.mkdir(parents=True)
    shutil.copy(SEEDS["001"], folder / "会宁县 工信局 2021.txt")
    (folder / "某县 报告 [定稿].md").write_text(
        render(consistent3("2021", 1), consistent4(1), "2021", 2022, layout="markdown"), encoding="utf-8")
    (folder / "表格 版.tsv").write_text(render(consistent3("2019", 2), consistent4(2), "2019", 2020),
                                       encoding="gb18030")
    shutil.copy(SAMPLES / "003_a190ec9e232fd5b0.pdf", folder / "张家港 2020 年报.pdf")
    return folder


def test_paths_with_spaces_and_cjk_in_every_format(cjk_folder, capsys):
    for path in sorted(cjk_folder.iterdir()):
        c = check_file(path)
        assert c.error is None, (path, c.error)
        assert c.report.path == str(path)
    for fmt in ("text", "json", "toml"):
        for jobs in ("1", "2"):
            status = main(["check", "--format", fmt, "--jobs", jobs, str(cjk_folder.parent)])
            out, err = capsys.readouterr()
            assert status in (0, 1), err
            assert shows("会宁县 工信局 2021.txt", out) and shows("张家港 2020 年报.pdf", out)
            if fmt == "json":
                assert sorted(json.loads(line)["path"] for line in out.splitlines()) == \
                    sorted(str(p) for p in cjk_folder.iterdir())
