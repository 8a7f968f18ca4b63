"""Part 三 and part 四 of a 2021-template report as merged-cell tables, the way Word lays them out, for the
HTML and DOCX loader tests. The values are literal (every arithmetic rule holds; no two rows alike).

A table is a list of cells ``(row, col, text, rowspan, colspan)`` on a grid of ``width`` columns.
"""

from __future__ import annotations

VALUES3 = {
    "一": (694, 22, 11, 0, 30, 4, 761),
    "二": (1, 0, 0, 0, 1, 0, 2),
    "三.一": (3, 1, 1, 0, 1, 0, 6),
    "三.二": (6, 2, 0, 0, 2, 0, 10),
    "三.三.1": (9, 0, 1, 0, 3, 0, 13),
    "三.三.2": (12, 1, 0, 0, 0, 0, 13),
    "三.三.3": (15, 2, 1, 0, 1, 1, 20),
    "三.三.4": (18, 0, 0, 0, 2, 0, 20),
    "三.三.5": (21, 1, 1, 0, 3, 0, 26),
    "三.三.6": (24, 2, 0, 0, 0, 0, 26),
    "三.三.7": (27, 0, 1, 0, 1, 0, 29),
    "三.三.8": (30, 1, 0, 0, 2, 1, 34),
    "三.四.1": (33, 2, 1, 0, 3, 0, 39),
    "三.四.2": (36, 0, 0, 0, 0, 0, 36),
    "三.四.3": (39, 1, 1, 0, 1, 0, 42),
    "三.五.1": (42, 2, 0, 0, 2, 0, 46),
    "三.五.2": (45, 0, 1, 0, 3, 1, 50),
    "三.五.3": (48, 1, 0, 0, 0, 0, 49),
    "三.五.4": (51, 2, 1, 0, 1, 0, 55),
    "三.五.5": (54, 0, 0, 0, 2, 0, 56),
    "三.六.1": (57, 1, 1, 0, 3, 0, 62),
    "三.六.2": (60, 2, 0, 0, 0, 1, 63),
    "三.六.3": (63, 0, 1, 0, 1, 0, 65),
    "三.七": (693, 21, 11, 0, 31, 4, 760),
    "四": (2, 1, 0, 0, 0, 0, 3),
}
COLS3 = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
VALUES4 = {
    "行政复议": (3, 1, 2, 1, 7),
    "未经复议直接起诉": (2, 0, 1, 0, 3),
    "复议后起诉": (1, 1, 0, 2, 4),
}
COLS4 = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# (row id, label, level): level 0 spans the three label columns, 1 the last two, 2 the last one.
_ROWS3 = [
    ("一", "一、本年新收政府信息公开申请数量", 0),
    ("二", "二、上年结转政府信息公开申请数量", 0),
    ("三.一", "（一）予以公开", 1),
    ("三.二", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("三.三.1", "1.属于国家秘密", 2),
    ("三.三.2", "2.其他法律行政法规禁止公开", 2),
    ("三.三.3", "3.危及“三安全一稳定”", 2),
    ("三.三.4", "4.保护第三方合法权益", 2),
    ("三.三.5", "5.属于三类内部事务信息", 2),
    ("三.三.6", "6.属于四类过程性信息", 2),
    ("三.三.7", "7.属于行政执法案卷", 2),
    ("三.三.8", "8.属于行政查询事项", 2),
    ("三.四.1", "1.本机关不掌握相关政府信息", 2),
    ("三.四.2", "2.没有现成信息需要另行制作", 2),
    ("三.四.3", "3.补正后申请内容仍不明确", 2),
    ("三.五.1", "1.信访举报投诉类申请", 2),
    ("三.五.2", "2.重复申请", 2),
    ("三.五.3", "3.要求提供公开出版物", 2),
    ("三.五.4", "4.无正当理由大量反复申请", 2),
    ("三.五.5", "5.要求行政机关确认或重新出具已获取信息", 2),
    ("三.六.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("三.六.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("三.六.3", "3.其他", 2),
    ("三.七", "（七）总计", 1),
    ("四", "四、结转下年度继续办理", 0),
]
_GROUPS = {"三.三": "（三）不予公开", "三.四": "（四）无法提供", "三.五": "（五）不予处理", "三.六": "（六）其他处理"}

Cell = tuple[int, int, str, int, int]


def part3_cells() -> tuple[list[Cell], int, int]:
    """(cells, rows, columns) of part 三 with the template's merged header and labels."""
    cells: list[Cell] = [
        (0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
        (0, 3, "申请人情况", 1, 7),
        (1, 3, "自然人", 2, 1),
        (1, 4, "法人或其他组织", 1, 5),
        (1, 9, "总计", 2, 1),
    ]
    cells += [(2, 4 + k, h, 1, 1) for k, h in enumerate(COLS3[1:6])]
    r = 3
    first = {}
    for rid, _label, _level in _ROWS3:
        first.setdefault(rid.rsplit(".", 1)[0] if rid.count(".") == 2 else rid, r)
        r += 1
    r = 3
    n_handled = sum(1 for rid, _, _ in _ROWS3 if rid.startswith("三."))
    for rid, label, level in _ROWS3:
        if rid == "三.一":
            cells.append((r, 0, "三、本年度办理结果", n_handled, 1))
        group = rid.rsplit(".", 1)[0] if rid.count(".") == 2 else None
        if group and first[group] == r:
            size = sum(1 for x, _, _ in _ROWS3 if x.startswith(group + "."))
            cells.append((r, 1, _GROUPS[group], size, 1))
        col = {0: 0, 1: 1, 2: 2}[level]
        cells.append((r, col, label, 1, 3 - col))
        cells += [(r, 3 + k, str(v), 1, 1) for k, v in enumerate(VALUES3[rid])]
        r += 1
    return cells, r, 10


def part4_cells() -> tuple[list[Cell], int, int]:
    cells: list[Cell] = [(0, 0, "行政复议", 1, 5), (0, 5, "行政诉讼", 1, 10)]
    cells += [(1, k, h, 2, 1) for k, h in enumerate(COLS4)]
    cells += [(1, 5, "未经复议直接起诉", 1, 5), (1, 10, "复议后起诉", 1, 5)]
    cells += [(2, 5 + k, h, 1, 1) for k, h in enumerate(COLS4 * 2)]
    values = [v for row in VALUES4.values() for v in row]
    cells += [(3, k, str(v), 1, 1) for k, v in enumerate(values)]
    return cells, 4, 15


def expected_values() -> dict:
    return {
        "三": {rid: dict(zip(COLS3, vals, strict=True)) for rid, vals in VALUES3.items()},
        "四": {rid: dict(zip(COLS4, vals, strict=True)) for rid, vals in VALUES4.items()},
    }
