"""Render a report's grids as text in the layouts real reports come in (for tests, fuzzing and benchmarks).

Labels are the template's own; values are written as given (None → an empty cell, a str → written as is).
"""

from __future__ import annotations

from auditui.core.template import BY_ID

LAYOUTS = ("tsv", "markdown", "one-per-line", "indented", "pdf-text")

P3_HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
P3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
P4_HEADER_1 = ["行政复议", "", "", "", "", "行政诉讼"]
P4_HEADER_2 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "",
               "复议后起诉"]
P4_HEADER_3 = ["", "", "", "", "", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)]


def zeros3(template: str = "2021") -> dict[str, list]:
    rows = [r.id for r in BY_ID[template].tables["三"].value_rows]
    return {r: [0] * 7 for r in rows}


def zeros4() -> list[list]:
    return [[0] * 5 for _ in range(3)]


def consistent3(template: str = "2021", seed: int = 1) -> dict[str, list]:
    """A grid where every arithmetic rule holds, with nonzero values."""
    import random

    rnd = random.Random(seed)
    rows = [r.id for r in BY_ID[template].tables["三"].value_rows]
    leaves = [r for r in rows if r.startswith("三.") and r != "三.七"]
    g: dict[str, list] = {}
    for r in leaves:
        parts = [rnd.randint(0, 9) for _ in range(6)]
        g[r] = [*parts, sum(parts)]
    g["三.七"] = [sum(g[r][c] for r in leaves) for c in range(7)]
    carry = [rnd.randint(0, 3) for _ in range(6)]
    g["四"] = [*carry, sum(carry)]
    prev = [min(rnd.randint(0, 3), g["三.七"][c] + g["四"][c]) for c in range(6)]
    g["二"] = [*prev, sum(prev)]
    g["一"] = [g["三.七"][c] + g["四"][c] - g["二"][c] for c in range(7)]
    return dict(sorted(g.items(), key=lambda kv: rows.index(kv[0])))


def consistent4(seed: int = 1) -> list[list]:
    import random

    rnd = random.Random(seed)
    out = []
    for _ in range(3):
        parts = [rnd.randint(0, 20) for _ in range(4)]
        out.append([*parts, sum(parts)])
    return out


def _cell(v) -> str:
    return "" if v is None else str(v)


def _label_cells(template: str) -> dict[str, list[str]]:
    """Row id → label cells as a merged-cell table prints them (group label, leaf label)."""
    rows = BY_ID[template].tables["三"].rows
    out: dict[str, list[str]] = {}
    group = ""
    for r in rows:
        if r.kind == "group":
            group = r.label
            continue
        if r.id in ("一", "二", "四"):
            out[r.id] = [r.label, "", ""]
        elif r.id.count(".") == 2:
            out[r.id] = ["", group, r.label]
            group = ""
        else:
            out[r.id] = ["", r.label, ""]
    return out


def part2_lines(template: str, layout: str) -> list[str]:
    sep = " | " if layout == "markdown" else "\t"
    lines = []
    for r in BY_ID[template].tables["二"].rows:
        cols = BY_ID[template].tables["二"].row_columns(r)
        cells = [r.label, *["0"] * len(cols)]
        if layout == "markdown":
            lines.append("| " + sep.join(cells) + " |")
        elif layout in ("one-per-line", "indented"):
            pre = "\t" if layout == "indented" else ""
            lines.extend(pre + c for c in cells)
            lines.append("")
        elif layout == "pdf-text":
            lines.append(" ".join(cells))
        else:
            lines.append(sep.join(cells))
    return lines


# Prose made of fragments, so that two seeds give unrelated sentences (four slots of twenty: 160,000 sentences) and
# one seed gives the same sentences every year, the years and counts in them apart (a report copied from last year).
_WHO = ["我局", "本机关", "我办", "各科室", "办公室", "领导小组", "工作专班", "分管领导", "各股室", "信息中心",
        "政务公开科", "法制机构", "业务部门", "门户网站", "网络平台", "审查小组", "党组", "督查室", "值班室", "窗口"]
_DO = ["认真贯彻", "严格落实", "持续推进", "不断完善", "全面梳理", "深入开展", "扎实做好", "着力规范", "稳步推进",
       "积极探索", "统筹协调", "切实加强", "定期检查", "及时更新", "逐步健全", "集中清理", "重点督办", "分类处置",
       "广泛宣传", "主动对接"]
_WHAT = ["政府信息公开工作", "主动公开目录", "依申请公开办理流程", "政策解读工作", "公开平台建设", "保密审查制度",
         "信息发布协调机制", "政务新媒体管理", "公开专栏内容", "回应关切机制", "政务服务事项清单", "规范性文件清理",
         "公开工作考核", "人员业务培训", "档案管理制度", "重大决策预公开", "办事指南编制", "数据开放目录",
         "公开意见征集", "信息更新维护"]
_HOW = ["确保公开内容准确及时", "提升群众满意度", "做到应公开尽公开", "推动工作提质增效", "形成长效工作机制",
        "保障公众知情权", "回应社会关切", "增强公开实效", "提高办理质量", "防范泄密风险", "方便群众查阅",
        "压实工作责任", "促进依法行政", "优化营商环境", "扩大公众参与", "夯实工作基础", "提升规范化水平",
        "加强监督检查", "强化结果运用", "巩固已有成效"]


def prose_sentences(seed: int, year: int, n: int = 20) -> list[str]:
    """``n`` sentences of a report's prose: which sentences comes from ``seed``, the years and counts in them from
    ``year`` (the same seed in another year: last year's prose copied with the year and numbers changed)."""
    import random

    shape = random.Random(seed)
    numbers = random.Random(seed * 7919 + year)
    out = []
    for k in range(n):
        who, do, what, how = (shape.choice(bank) for bank in (_WHO, _DO, _WHAT, _HOW))
        if k % 4 == 0:
            out.append(f"{year}年，{who}{do}{what}，全年发布信息{numbers.randint(10, 900)}条，{how}。")
        else:
            out.append(f"{who}{do}{what}，{how}。")
    return out


def render(g3: dict[str, list], g4: list[list], template: str = "2021", year: int = 2022,
           body: str = "某某县人民政府办公室", layout: str = "tsv", prose: str = "", prose5: str = "") -> str:
    labels = _label_cells(template)
    out = [body, f"{year}年政府信息公开工作年度报告", "", "一、总体情况", "",
           prose or f"{year}年，我办认真贯彻落实《中华人民共和国政府信息公开条例》。", "",
           "二、主动公开政府信息情况", ""]
    out += part2_lines(template, layout)
    out += ["", "三、收到和处理政府信息公开申请情况", ""]
    rows = [r.id for r in BY_ID[template].tables["三"].value_rows]
    four = [v for row in g4 for v in row]
    if layout == "markdown":
        out.append("| " + " | ".join(P3_HEADER + [""] * 6) + " |")
        out.append("|" + "---|" * 9)
        out.append("| | | | " + " | ".join(P3_COLS) + " |")
        for r in rows:
            if r not in g3:
                continue
            out.append("| " + " | ".join(labels[r] + [_cell(v) for v in g3[r]]) + " |")
        out += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
        out.append("| " + " | ".join(P4_HEADER_2) + " |")
        out.append("|" + "---|" * 15)
        out.append("| " + " | ".join(P4_HEADER_3) + " |")
        out.append("| " + " | ".join(_cell(v) for v in four) + " |")
    elif layout in ("one-per-line", "indented"):
        pre = "\t" if layout == "indented" else ""
        out += [pre + c for c in P3_HEADER + P3_COLS] + [""]
        for r in rows:
            if r not in g3:
                continue
            cells = [c for c in labels[r] if c]
            out += [pre + c for c in cells]
            out += [pre + _cell(v) if v is not None or pre else "\u00a0" for v in g3[r]]
            out.append("")
        out += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
        out += [pre + c for c in P4_HEADER_2 if c] + [""]
        out += [pre + _cell(v) if v is not None or pre else "\u00a0" for v in four]
    elif layout == "pdf-text":
        out += ["申请人情况", "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
        for r in rows:
            if r not in g3:
                continue
            label = " ".join(c for c in labels[r] if c)
            vals = " ".join(_cell(v) for v in g3[r] if v is not None)
            if len(label) > 16:  # a wrapped label: the numbers sit on the label's first line
                out.append(f"{label[:16]} {vals}")
                out.append(label[16:])
            else:
                out.append(f"{label} {vals}")
        out += ["", "四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "未经复议直接起诉 复议后起诉",
                "结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计",
                "维持 纠正 结果 审结 维持 纠正 结果 审结 维持 纠正 结果 审结",
                " ".join(_cell(v) for v in four if v is not None)]
    else:  # tsv
        out.append("\t".join(P3_HEADER + [""] * 6))
        out.append("\t\t\t" + "\t".join(P3_COLS))
        for r in rows:
            if r not in g3:
                continue
            out.append("\t".join(labels[r] + [_cell(v) for v in g3[r]]))
        out += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
        out.append("\t".join(P4_HEADER_1))
        out.append("\t".join(P4_HEADER_2))
        out.append("\t".join(P4_HEADER_3))
        out.append("\t".join(_cell(v) for v in four))
    out += ["", "五、存在的主要问题及改进情况", "", prose5 or "一是公开力度有待加强。", "", "六、其他需要报告的事项", "",
            "无。"]
    return "\n".join(out) + "\n"


# ================================================================================================ families
# Reports as other tools hand them over, each a *family* of layouts drawn at random around one mechanism, over
# both templates, with and without planted arithmetic errors. A family renders a :class:`Truth` (what the report
# says, blanks included); tests compare what auditui reads with it cell by cell.

import random  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

PART4_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")


@dataclass
class Truth:
    """What a generated report says: its grids as printed (None: a blank cell), its body, year and template."""

    template: str
    year: int
    body: str
    g3: dict[str, list]
    g4: list[list]
    g2: dict[str, list]
    planted: list[tuple[str, str, str]] = field(default_factory=list)
    """Cells changed after the grid was made consistent: each breaks at least one arithmetic rule."""

    def cells(self):
        """Every cell of 三 and 四 as ((table, row, column), value)."""
        for r, vals in self.g3.items():
            for c, v in zip(P3_COLS, vals, strict=True):
                yield ("三", r, c), v
        for r, vals in zip(PART4_ROWS, self.g4, strict=True):
            for c, v in zip(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), vals, strict=True):
                yield ("四", r, c), v


BODIES = ("某某县人民政府办公室", "淮安市生态环境局", "张家港市工业和信息化局", "宿迁市宿城区人民政府",
          "某某市自然资源和规划局", "天津市河西区教育局", "杭州市余杭区良渚街道办事处", "某某省交通运输厅")


def _draw(rnd: random.Random, big: bool) -> int:
    r = rnd.random()
    if r < 0.55:
        return 0
    if r < 0.85 or not big:
        return rnd.randint(1, 9)
    return rnd.randint(10, 3000 if rnd.random() < 0.3 else 150)


def make_truth(rnd: random.Random, template: str | None = None, year: int | None = None, *, errors: int = 0,
               blanks: float = 0.0) -> Truth:
    """A report whose arithmetic holds (then ``errors`` mistyped cells). ``blanks``: the share of zero cells
    written blank (some reports leave every zero blank)."""
    template = template or rnd.choice(("2019", "2021"))
    if year is None:
        year = rnd.choice((2019, 2020)) if template == "2019" else rnd.choice((2021, 2022, 2023, 2024))
    big = rnd.random() < 0.6
    rows = [r.id for r in BY_ID[template].tables["三"].value_rows]
    leaves = [r for r in rows if r.startswith("三.") and r != "三.七"]
    g: dict[str, list] = {}
    active = rnd.sample(leaves, k=rnd.randint(0, len(leaves)))
    for r in leaves:
        parts = [_draw(rnd, big) if r in active else 0 for _ in range(6)]
        parts[2] = parts[2] if rnd.random() < 0.2 else 0  # 科研机构 and 社会公益组织 are mostly empty
        parts[3] = parts[3] if rnd.random() < 0.2 else 0
        g[r] = [*parts, sum(parts)]
    g["三.七"] = [sum(g[r][c] for r in leaves) for c in range(7)]
    carry = [min(_draw(rnd, big), 5) for _ in range(6)]
    g["四"] = [*carry, sum(carry)]
    prev = [min(_draw(rnd, big), g["三.七"][c] + g["四"][c]) for c in range(6)]
    g["二"] = [*prev, sum(prev)]
    g["一"] = [g["三.七"][c] + g["四"][c] - g["二"][c] for c in range(7)]
    g3 = {r: g[r] for r in rows}
    g4 = []
    for _ in range(3):
        parts = [_draw(rnd, big) if rnd.random() < 0.4 else 0 for _ in range(4)]
        g4.append([*parts, sum(parts)])
    if template == "2019":
        g2 = {"规章": [rnd.randint(0, 5), rnd.randint(0, 5), rnd.randint(0, 60)],
              "规范性文件": [rnd.randint(0, 20), rnd.randint(0, 20), rnd.randint(0, 300)],
              "行政许可": [rnd.randint(0, 90), rnd.randint(-5, 5), rnd.randint(0, 5000)],
              "其他对外管理服务事项": [rnd.randint(0, 9), 0, rnd.randint(0, 50)],
              "行政处罚": [rnd.randint(0, 90), rnd.randint(-5, 5), rnd.randint(0, 900)],
              "行政强制": [rnd.randint(0, 9), 0, rnd.randint(0, 90)],
              "行政事业性收费": [rnd.randint(0, 9), 0],
              "政府集中采购": [rnd.randint(0, 40), rnd.randint(0, 900000)]}
    else:
        g2 = {"规章": [rnd.randint(0, 5), rnd.randint(0, 3), rnd.randint(0, 60)],
              "规范性文件": [rnd.randint(0, 20), rnd.randint(0, 20), rnd.randint(0, 300)],
              "行政许可": [rnd.randint(0, 5000)], "行政处罚": [rnd.randint(0, 900)], "行政强制": [rnd.randint(0, 90)],
              "行政事业性收费": [round(rnd.uniform(0, 900), 2) if rnd.random() < 0.3 else 0]}
    truth = Truth(template, year, rnd.choice(BODIES), g3, g4, g2)
    for _ in range(errors):
        if rnd.random() < 0.75:
            r = rnd.choice(rows)
            c = rnd.randrange(7)
            g3[r][c] += rnd.choice((1, 2, 3, 10, -1)) if g3[r][c] > 1 else rnd.randint(1, 9)
            truth.planted.append(("三", r, P3_COLS[c]))
        else:
            k, c = rnd.randrange(3), rnd.randrange(5)
            g4[k][c] += rnd.randint(1, 9)
            truth.planted.append(("四", PART4_ROWS[k], ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")[c]))
    if blanks:
        for vals in [*g3.values(), *g4]:
            for i, v in enumerate(vals):
                if v == 0 and rnd.random() < blanks:
                    vals[i] = None
    return truth


# ----------------------------------------------------------------------------------------- label styles
def _enum_style(rnd: random.Random):
    """How this report writes the enumerators of its labels: ``1.`` or ``1 . `` or ``1．`` or ``1、``, ``（一）``
    or ``( 一 )`` or ``（ 一 ）`` (a PDF render puts spaces between glyphs)."""
    dot = rnd.choice((".", ".", "．", "、", " . ", ". ", " ．"))
    br = rnd.choice((("（", "）"), ("(", ")"), ("（ ", " ）"), ("( ", " )")))

    def style(label: str) -> str:
        if label[:1].isdigit() and label[1:2] in ".、":
            return label[0] + dot + label[2:]
        if label.startswith("（") and "）" in label[:4]:
            k = label.index("）")
            return br[0] + label[1:k] + br[1] + label[k + 1 :]
        return label
    return style


def _leaf_labels(template: str, style) -> dict[str, tuple[str, str]]:
    """Row id → (group label or "", own label) in the report's style."""
    out: dict[str, tuple[str, str]] = {}
    group = ""
    for r in BY_ID[template].tables["三"].rows:
        if r.kind == "group":
            group = style(r.label)
            continue
        out[r.id] = (group if r.id.count(".") == 2 or r.id in ("三.一", "三.二") else "", style(r.label))
        if r.id.count(".") == 2 or r.id in ("三.一", "三.二"):
            group = ""
    return out


def title_block(t: Truth, rnd: random.Random) -> list[str]:
    """The lines before part 一: a title in one of the forms real reports use, crawler metadata, page chrome."""
    year, body = t.year, t.body
    title = rnd.choice((
        f"{body}{year}年政府信息公开工作年度报告",
        f"{year}年{body}政府信息公开工作年度报告",
        f"{body}{year}年度政府信息公开工作报告",
        f"{body}政府信息公开工作{year}年度报告",
        f"{body}\n{year}年政府信息公开工作年度报告",
        f"{body}\n关于{year}年度政府信息公开情况的报告",
    ))
    out: list[str] = []
    if rnd.random() < 0.4:
        out += ["首页 > 政务公开 > 政府信息公开年报", "字号：大 中 小 | 打印本页 | 关闭窗口"]
    if rnd.random() < 0.4:
        out += [f"标题：{title.replace(chr(10), '')}", f"来源：{body}", f"发布时间：{year + 1}-01-{rnd.randint(10, 31)}",
                f"索引号：{rnd.randint(10**9, 10**10)}/{year + 1}-{rnd.randint(100, 99999)}"]
    out += title.split("\n")
    if rnd.random() < 0.6:
        out.append(f"本年度报告中所列数据统计期限自{year}年1月1日起至{year}年12月31日止。")
    return out


def _tail(rnd: random.Random) -> list[str]:
    out = ["五、存在的主要问题及改进情况", "一是公开力度有待加强。二是队伍建设有待加强。", "六、其他需要报告的事项",
           "本年度未收取信息处理费。"]
    if rnd.random() < 0.5:
        out += ["附件下载：", "扫一扫在手机打开当前页", "【打印本页】 【关闭窗口】"]
    return out


def _g(v) -> str:
    return "" if v is None else str(v)


# ----------------------------------------------------------------------------------------- flattened
def render_flattened(t: Truth, rnd: random.Random) -> str:
    """Page text as a crawler keeps it (an HTML page's textContent): the whole body on one line or a few,
    table cells concatenated without separators — digits of neighbouring cells fused, labels glued to the
    previous row's digits — with stray spaces at the edges of some cells, and page chrome around."""
    style = _enum_style(rnd)
    blank = rnd.choice(("", "\u00a0", " "))

    def cell(v) -> str:
        s = blank if v is None else str(v)
        r = rnd.random()
        if r < 0.15:
            return " " + s
        if r < 0.3:
            return s + " "
        return s

    parts = title_block(t, rnd)
    parts += ["一、总体情况", f"{t.year}年，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，推进政务公开工作。",
              "二、主动公开政府信息情况"]
    p2 = BY_ID[t.template].tables["二"]
    text2 = ""
    for r in p2.rows:
        cols = p2.row_columns(r)
        text2 += "信息内容" + "".join(c.label for c in cols) + r.label + "".join(cell(v) for v in t.g2[r.id])
    parts.append(text2)
    parts.append("三、收到和处理政府信息公开申请情况")
    body3 = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计" \
            "商业企业科研机构社会公益组织法律服务机构其他"
    labels = _leaf_labels(t.template, style)
    for r, vals in t.g3.items():
        group, own = labels[r]
        body3 += group + own + "".join(cell(v) for v in vals)
    parts.append(body3)
    parts.append("四、政府信息公开行政复议、行政诉讼情况")
    parts.append("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
                 "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
                 + "".join(cell(v) for row in t.g4 for v in row))
    parts += _tail(rnd)
    joiner = rnd.choice(("", " ", "  "))
    if rnd.random() < 0.5:
        return joiner.join(parts) + "\n"
    # a few long lines: the chrome, then the body in one
    k = rnd.randint(1, 4)
    return "\n".join(parts[:k]) + "\n" + joiner.join(parts[k:]) + "\n"


# ----------------------------------------------------------------------------------------- crawled cells
def render_crawled_cells(t: Truth, rnd: random.Random) -> str:
    """Page text from an HTML-to-text converter that ends every table cell with " |": either one row a line
    ("规章 | 0 | 0 | 0 |") or one cell a line when cells hold paragraphs ("56 |" then "|" for a blank cell),
    merged cells as runs of empty cells ("| |||"), a "|" line starting a row."""
    style = _enum_style(rnd)
    per_line = rnd.random() < 0.5
    row_start = rnd.random() < 0.5

    def row(cells: list[str], pad: int = 0) -> list[str]:
        cells = [*cells, *[""] * pad]
        if not per_line:
            return [" | ".join(c for c in cells).replace("|  |", "||") + " |"]
        out = ["|"] if row_start else []
        for c in cells:
            out.append(f"{c} |" if c else "|")
        return out

    lines = title_block(t, rnd)
    lines += ["一、总体情况", f"{t.year}年，我局严格按照《条例》要求推进信息公开。", "二、主动公开政府信息情况"]
    p2 = BY_ID[t.template].tables["二"]
    for r in p2.rows:
        cols = p2.row_columns(r)
        lines += row(["信息内容", *[c.label for c in cols]], pad=3 - len(cols))
        lines += row([r.label, *[_g(v) for v in t.g2[r.id]]], pad=3 - len(cols))
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += row([P3_HEADER[0], P3_HEADER[1]], pad=rnd.choice((0, 6, 8)))
    lines += row(["自然人", "法人或其他组织", "总计"], pad=rnd.choice((0, 7)))
    lines += row(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], pad=rnd.choice((0, 5)))
    labels = _leaf_labels(t.template, style)
    for r, vals in t.g3.items():
        group, own = labels[r]
        lines += row([c for c in (group, own) if c] + [_g(v) for v in vals], pad=rnd.choice((0, 0, 1, 2)))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += row(["行政复议", "行政诉讼"], pad=rnd.choice((0, 13)))
    lines += row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"])
    lines += row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    lines += row([_g(v) for r4 in t.g4 for v in r4])
    lines += _tail(rnd)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------- converter markdown
def render_converter_md(t: Truth, rnd: random.Random) -> str:
    """Markdown from an OCR/LLM document converter: the grid cut into one small table per group, generic
    headers ("数据1 … 数据7") or the real ones, a header row repeated after a page break, a page footer line
    inside a table, a label split across two cells."""
    style = _enum_style(rnd)
    generic = rnd.random() < 0.5
    head = (["项目", *[f"数据{i}" for i in range(1, 8)]] if generic else ["项目", *P3_COLS])
    labels = _leaf_labels(t.template, style)

    def md(rows: list[list[str]]) -> list[str]:
        width = max(len(r) for r in rows)
        out = ["| " + " | ".join(rows[0] + [""] * (width - len(rows[0]))) + " |", "|" + "---|" * width]
        for r in rows[1:]:
            out.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
        return out

    lines = title_block(t, rnd)
    lines += ["", "## 一、总体情况", "", f"{t.year}年，我单位持续推进政务公开。", "", "## 二、主动公开政府信息情况", ""]
    p2 = BY_ID[t.template].tables["二"]
    for r in p2.rows:
        cols = p2.row_columns(r)
        lines += [*md([["信息内容", *[c.label for c in cols]], [r.label, *[_g(v) for v in t.g2[r.id]]]]), ""]
    lines += ["## 三、收到和处理政府信息公开申请情况", ""]
    # groups: 一/二, then each result group, then 七/四
    groups: list[list[str]] = [[]]
    last_group = None
    for r in t.g3:
        g = r.split(".")[1] if r.count(".") >= 1 else r
        if r in ("三.七", "四") and last_group != "end":
            groups.append([])
            last_group = "end"
        elif r.startswith("三.") and g != last_group and r != "三.七":
            groups.append([])
            last_group = g
        groups[-1].append(r)
    footer_at = rnd.randrange(len(groups))
    lost = rnd.choice([r for rows in groups for r in rows[1:]] or [None]) if rnd.random() < 0.3 else None
    for k, rows in enumerate(groups):
        table = [head]
        for r in rows:
            group, own = labels[r]
            label = (group + own) if group and rnd.random() < 0.5 else own
            if r == lost:  # the converter lost this row's label cell
                label = ""
            cells = [label]
            if len(label) > 12 and rnd.random() < 0.3:  # a label split across two cells
                cells = [label[:8], label[8:]]
            table.append(cells + [_g(v) for v in t.g3[r]])
        out = md(table)
        if k == footer_at and len(out) > 3:
            out.insert(3, rnd.choice(("| 第 3 页 |", "- 3 -", "第 3 页")))
        if k > 0 and rnd.random() < 0.3:  # the header repeated under the separator (a page break)
            out.insert(2, out[0])
        lines += [*out, ""]
    lines += ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    head4 = ["行政复议", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]
    sub = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    if generic:
        head4 = [f"数据{i}" for i in range(1, 16)]
        sub = None
    rows4 = [head4] + ([sub] if sub else []) + [[_g(v) for r4 in t.g4 for v in r4]]
    lines += [*md(rows4), ""]
    lines += ["## 五、存在的主要问题及改进情况", "", "一是公开力度有待加强。", "", "## 六、其他需要报告的事项", "", "无。"]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------- PDF text tools
def _wrap(label: str, width: int) -> list[str]:
    return [label[i : i + width] for i in range(0, len(label), width)] or [""]


def render_layout(t: Truth, rnd: random.Random) -> str:
    """``pdftotext -layout``: each table row a line, columns aligned by spaces, labels wrapped in their narrow
    cell over several lines with the numbers on the middle line (so sometimes on the line above the label's
    last part), blanks as nothing, page breaks (form feed, footer) inside the table."""
    style = _enum_style(rnd)
    width = rnd.choice((9, 12, 16))
    labels = _leaf_labels(t.template, style)

    def numbers(vals) -> str:
        return "".join(f"{_g(v):>7}" for v in vals)

    lines = [*title_block(t, rnd), "一、总体情况", f"    {t.year}年，我单位认真落实政务公开要求。", "二、主动公开政府信息情况"]
    p2 = BY_ID[t.template].tables["二"]
    for r in p2.rows:
        cols = p2.row_columns(r)
        lines.append("    信息内容    " + "    ".join(c.label for c in cols))
        lines.append(f"    {r.label:<12}" + numbers(t.g2[r.id]))
    lines += ["三、收到和处理政府信息公开申请情况", "  （本列数据的勾稽关系为：第一项加第二      申请人情况",
              "  项之和，等于第三项加第四项之和）     自然人   法人或其他组织   总计",
              "                                       商业   科研   社会公益   法律服务   其他",
              "                                       企业   机构   组织       机构"]
    page_at = rnd.randrange(5, len(t.g3))
    for k, (r, vals) in enumerate(t.g3.items()):
        if k == page_at:
            lines += ["", rnd.choice(("- 4 -", "第 4 页", "4")), "\f" + rnd.choice(("", "  申请人情况"))]
        group, own = labels[r]
        left = _wrap(own, width)
        mid = (len(left) - 1) // 2 if rnd.random() < 0.7 else 0
        for i, piece in enumerate(left):
            g = group if i == 0 else ""
            line = f"  {g:<10}{piece:<{width + 2}}"
            if i == mid:
                line += numbers(vals)
            lines.append(line.rstrip())
    lines += ["四、政府信息公开行政复议、行政诉讼情况",
              "          行政复议                               行政诉讼",
              "                                    未经复议直接起诉                 复议后起诉",
              # each header word ends where its column's numbers end (pdftotext keeps the page's x positions)
              "".join(f"{w:>5}" + " " for w in ("结果", "结果", "其他", "尚未", "总计") * 3),
              "".join(f"{w:>5}" + " " for w in ("维持", "纠正", "结果", "审结", "") * 3).rstrip(),
              "".join(f"{_g(v):>6}" for r4 in t.g4 for v in r4)]
    lines += _tail(rnd)
    return "\n".join(lines) + "\n"


def render_pymupdf(t: Truth, rnd: random.Random) -> str:
    """PyMuPDF's ``get_text()``: one text span a line in reading order — every cell on its own line, a wrapped
    label broken over lines, blank cells absent, a vertical header one character a line."""
    style = _enum_style(rnd)
    width = rnd.choice((8, 10, 14, 40))
    labels = _leaf_labels(t.template, style)
    blank_mark = rnd.choice(("", "-", "/", "0?"))
    lines = [*title_block(t, rnd), "一、总体情况", f"{t.year}年，本机关认真做好政府信息公开工作。", "二、主动公开政府信息情况"]
    p2 = BY_ID[t.template].tables["二"]
    for r in p2.rows:
        lines += ["信息内容", *[c.label for c in p2.row_columns(r)], r.label, *[_g(v) for v in t.g2[r.id]]]
    lines += ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，", "等于第三项加第四项之和）",
              "申请人情况", "自然人", "法人或其他组织", "总计", "商业", "企业", "科研", "机构", "社会公益", "组织", "法律服务",
              "机构", "其他"]
    for r, vals in t.g3.items():
        group, own = labels[r]
        if group:
            lines += _wrap(group, width)
        lines += _wrap(own, width)
        for v in vals:
            if v is None:
                if blank_mark and blank_mark != "0?":
                    lines.append(blank_mark)
                elif blank_mark == "0?":
                    lines.append("")
            else:
                lines.append(str(v))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]
    lines += ["结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结", "总计"] * 3
    for r4 in t.g4:
        for v in r4:
            if v is not None:
                lines.append(str(v))
            elif blank_mark and blank_mark != "0?":
                lines.append(blank_mark)
    lines += _tail(rnd)
    return "\n".join(lines) + "\n"


def render_pdf_render(t: Truth, rnd: random.Random) -> str:
    """A flip-book's PDF page render ("Page 9 - …"): rows as lines with single spaces, part 四's header written
    vertically one character a word ("结 结 其 尚" / "果 果 他 未"), page headers "P. 9" between pages."""
    style = _enum_style(rnd)
    labels = _leaf_labels(t.template, style)
    lines = [f"Page 3 - {t.body}{t.year}年政府信息公开工作年度报告", "P. 3", *title_block(t, rnd),
             "一、总体情况", f"{t.year} 年，我单位对形成的政府信息实现了依法、有序公开。", "二、主动公开政府信息情况"]
    p2 = BY_ID[t.template].tables["二"]
    for r in p2.rows:
        lines.append("信息内容 " + " ".join(c.label for c in p2.row_columns(r)))
        lines.append(r.label + " " + " ".join(_g(v) for v in t.g2[r.id]))
    lines += ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
              "自然人 法人或其他组织 总计", "商业 科研 社会公益 法律服务", "其他", "企业 机构 组织 机构"]
    page_at = rnd.randrange(5, len(t.g3))
    for k, (r, vals) in enumerate(t.g3.items()):
        if k == page_at:
            lines += [f"Page 4 - {t.body}{t.year}年政府信息公开工作年度报告", "P. 4"]
        group, own = labels[r]
        lines.append(" ".join(x for x in (group, own, *[_g(v) for v in vals if v is not None]) if x))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "未经复议直接起诉 复议后起诉",
              "结 结 其 尚", "结 结 其 尚 结 结 其 尚", "果 果 他 未", "总计 果 果 他 未 总 果 果 他 未 总",
              "维 纠 结 审", "维 纠 结 审 计 维 纠 结 审 计", "持 正 果 结", "持 正 果 结 持 正 果 结",
              " ".join(_g(v) for r4 in t.g4 for v in r4 if v is not None)]
    lines += _tail(rnd)
    return "\n".join(lines) + "\n"


def render_cell_layout(t: Truth, rnd: random.Random) -> str:
    """The layouts of :func:`render` (TSV, Markdown, one cell a line, tab-indented, PDF text) with the label
    styles, titles and chrome of the other families."""
    layout = rnd.choice(LAYOUTS)
    text = render(t.g3, t.g4, t.template, t.year, body=t.body, layout=layout)
    style = _enum_style(rnd)
    for r in BY_ID[t.template].tables["三"].rows:
        if style(r.label) != r.label:
            text = text.replace(r.label, style(r.label))
    lines = text.split("\n")
    head = title_block(t, rnd)
    return "\n".join(head + lines[2:])


FAMILIES = {
    "cells": render_cell_layout,
    "flattened": render_flattened,
    "crawled-cells": render_crawled_cells,
    "converter-md": render_converter_md,
    "layout": render_layout,
    "pymupdf": render_pymupdf,
    "pdf-render": render_pdf_render,
}
"""Family name → renderer(truth, rnd) → report text."""


def generate(family: str, seed: int, *, errors: int | None = None, blanks: float | None = None,
             template: str | None = None, year: int | None = None) -> tuple[Truth, str]:
    """One report of a family, drawn from ``seed``: (what it says, its text). By default a third of the reports
    carry one or two planted errors and a quarter leave some zeros blank."""
    rnd = random.Random(f"{family}/{seed}")
    if errors is None:
        errors = rnd.choice((0, 0, 1, 2))
    if blanks is None:
        blanks = rnd.choice((0.0, 0.0, 0.0, 0.3, 1.0))
    if template is None and year is None and rnd.random() < 0.15:
        template, year = "2019", rnd.choice((2021, 2023, 2024))  # the old table printed in a later year
    truth = make_truth(rnd, template, year, errors=errors, blanks=blanks)
    return truth, FAMILIES[family](truth, rnd)


# ------------------------------------------------------------------------------------------------ judging
def judge(truth: Truth, report, findings) -> dict:
    """Compare a report as read with what it says: ``counts`` (cells, right, flagged, wrong_unflagged, the
    arithmetic violations the report has where every cell of them is written, those found, reports with a false
    error, template / year / body right), ``wrong`` (the cells read wrong with no finding on their row) and
    ``errors`` (the error findings). A cell is *flagged* when a finding stands on its row, or on its whole table
    when the table could not be placed."""
    from collections import Counter

    flagged_rows = {(f.table, f.row) for f in findings if f.row}
    flagged_tables = {f.table for f in findings if f.table and not f.row and f.rule in ("row-shape", "missing-row")}
    out: Counter = Counter()
    wrong = []
    for (t, r, c), want in truth.cells():
        table = report.tables.get(t)
        row = table.get(r) if table else None
        got = row.value(c) if row is not None else None
        out["cells"] += 1
        if got == want and type(got) is type(want):
            out["right"] += 1
        elif (t, r) not in flagged_rows and t not in flagged_tables:
            out["wrong_unflagged"] += 1
            wrong.append((t, r, c, want, got))
        else:
            out["flagged"] += 1
    errors = [f for f in findings if f.severity == "error"]
    values = dict(truth.cells())
    broken = []  # the template's equations the report breaks, where every cell of them is written
    for eq in BY_ID[truth.template].equations:
        cells = [(c.table, c.row, c.column) for c in eq.cells]
        if any(values.get(c) is None for c in cells):
            continue
        if sum(values[(c.table, c.row, c.column)] for c in eq.left) != \
                sum(values[(c.table, c.row, c.column)] for c in eq.right):
            broken.append(set(cells))
    # (an equation whose written cells break it with its blank ones read as 0 is broken too: a parser that cannot
    # see a blank cell may fairly report that error, so it is no false one)
    loose = 0
    for eq in BY_ID[truth.template].equations:
        def v(c):
            return values.get((c.table, c.row, c.column)) or 0

        if sum(map(v, eq.left)) != sum(map(v, eq.right)):
            loose += 1
    out["violations"] += len(broken)
    for cells in broken:
        if any(cells == {(x.table, x.row, x.column) for x in f.cells} for f in errors):
            out["violations_found"] += 1
        elif any((t, r) in flagged_rows or t in flagged_tables for t, r, _ in cells):
            out["violations_flagged"] += 1  # a row of it could not be read: the auditor is told
    if not broken and not loose and errors:
        out["false_error_reports"] += 1
    out["reports"] += 1
    out["template_ok"] += report.template == truth.template
    out["year_ok"] += report.year == truth.year
    out["body_ok"] += report.body == truth.body
    return {"counts": out, "wrong": wrong, "errors": errors}
