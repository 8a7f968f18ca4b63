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
