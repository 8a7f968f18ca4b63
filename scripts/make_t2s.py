"""Write src/auditui/core/t2s.py: traditional → simplified Chinese, one character for one, for the characters
auditui matches labels, headings and titles by (reports copied by sites that print them in traditional
characters: "本年新收政府信息公開申請數量").

    pip install opencc-python-reimplemented && python scripts/make_t2s.py

Only the characters whose simplified form occurs in auditui's own vocabulary (the templates' labels, keys,
column names and headings, the title and statistics-period phrases) are kept: a small table, and none of the
vocabulary's own characters is ever changed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from auditui.core.template import BY_ID, OTHER_HEADINGS  # noqa: E402

PHRASES = "政府信息公开工作年度报告情况的关于统计期限自年月日起至止从到为总体主动公开收到和处理申请行政复议诉讼存在主要" \
          "问题改进其他需要报告事项本列数据勾稽关系第一项加第二之和等于三四申请人法人或组织总计合计维持纠正结果尚未审结" \
          "未经直接起诉后信息内容制发件数废止现行有效处理决定数量收费金额单位万元新制作对外上一增减采购项目总金额页条款"


def vocabulary() -> set[str]:
    chars = set(PHRASES)
    for t in BY_ID.values():
        for tdef in t.tables.values():
            chars.update(tdef.title)
            for r in tdef.rows:
                chars.update(r.label + "".join(r.keys) + "".join(r.weak) + r.short)
                for c in tdef.row_columns(r):
                    chars.update(c.label)
            for c in tdef.columns:
                chars.update(c.label)
        chars.update("".join(t.markers))
    for keys in OTHER_HEADINGS.values():
        chars.update("".join(keys))
    return {c for c in chars if "\u3400" <= c <= "\u9fff"}


def main() -> None:
    vocab = vocabulary()
    table = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    pairs: dict[str, str] = {}
    for line in open(table, encoding="utf-8"):
        trad, simple = line.rstrip("\n").split("\t")
        simple = simple.split(" ")[0]
        if len(trad) == 1 and len(simple) == 1 and trad != simple and simple in vocab and trad not in vocab:
            pairs[trad] = simple
    body = "".join(f"    {t!r}: {s!r},\n" for t, s in sorted(pairs.items(), key=lambda kv: (kv[1], kv[0])))
    out = ROOT / "src" / "auditui" / "core" / "t2s.py"
    out.write_text(
        '"""Traditional → simplified Chinese, one character for one, for the characters auditui matches labels,\n'
        "headings and titles by. Made by scripts/make_t2s.py from OpenCC's TSCharacters (Apache-2.0): do not edit.\n"
        '"""\n\nT2S: dict[str, str] = {\n' + body + "}\n", encoding="utf-8")
    print(f"{len(pairs)} characters written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
