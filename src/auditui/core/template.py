"""Both State Council templates (2019: 国办公开办函〔2019〕60号, 2021: 国办公开办函〔2021〕30号) as data.

The parser and the rules read these definitions; there are no per-version code branches elsewhere.
Label keys are given in *normalised* form (see :func:`auditui.core.text.norm`): half-width brackets and
digits, no spaces, no quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

RowKind = Literal["value", "group"]
ValueKind = Literal["count", "signed", "amount"]



@dataclass(frozen=True, slots=True)
class ColumnDef:
    id: str
    label: str
    kind: ValueKind = "count"


@dataclass(frozen=True, slots=True)
class RowDef:
    id: str
    label: str
    keys: tuple[str, ...] = ()
    """Normalised substrings that identify the row wherever its label appears."""
    weak: tuple[str, ...] = ()
    """Normalised labels (enumerator stripped) that identify the row only where it is the next row expected."""
    kind: RowKind = "value"
    columns: tuple[ColumnDef, ...] | None = None
    """Columns of this row when they differ from the table's (part 二)."""


@dataclass(frozen=True, slots=True)
class TableDef:
    id: str
    title: str
    heading_keys: tuple[str, ...]
    """Normalised substrings of the part's heading line (all must occur)."""
    columns: tuple[ColumnDef, ...]
    rows: tuple[RowDef, ...]
    layout: Literal["rows", "run"] = "rows"
    """``rows``: every row starts at its label. ``run``: all values come as one run after the header, row-major."""
    header_chars: str = ""
    """For ``run`` tables: the characters the header is written with (how the header's end is found)."""

    @property
    def value_rows(self) -> tuple[RowDef, ...]:
        return tuple(r for r in self.rows if r.kind == "value")

    def row_columns(self, row: RowDef) -> tuple[ColumnDef, ...]:
        return row.columns if row.columns is not None else self.columns


@dataclass(frozen=True, slots=True)
class Balance:
    """``sum(left) == sum(right)`` in every column of a table (the printed 勾稽关系)."""

    table: str
    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Subtotal:
    """In every column, ``total`` row == the sum of ``parts`` rows."""

    table: str
    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RowSum:
    """In every row of ``table`` (or of ``rows`` if given), column ``total`` == the sum of ``parts`` columns."""

    table: str
    total: str
    parts: tuple[str, ...]
    rows: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    name: str
    tables: dict[str, TableDef]
    markers: tuple[str, ...]
    """Normalised phrases that only this template's report uses."""
    balances: tuple[Balance, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    row_totals: tuple[RowSum, ...] = ()
    litigation_totals: tuple[RowSum, ...] = ()
    years: tuple[int, int | None] = (0, None)
    """Report years the template is used for, inclusive (None: open-ended)."""

    def leaf_rows(self, table: str) -> tuple[str, ...]:
        for s in self.subtotals:
            if s.table == table:
                return s.parts
        return ()


# ----------------------------------------------------------------------------------------------- part 三
APPLICANT_COLUMNS = (
    ColumnDef("自然人", "自然人"),
    ColumnDef("商业企业", "商业企业"),
    ColumnDef("科研机构", "科研机构"),
    ColumnDef("社会公益组织", "社会公益组织"),
    ColumnDef("法律服务机构", "法律服务机构"),
    ColumnDef("其他", "其他"),
    ColumnDef("总计", "总计"),
)
APPLICANT_PARTS = tuple(c.id for c in APPLICANT_COLUMNS[:-1])


def _part3_rows(other: tuple[RowDef, ...]) -> tuple[RowDef, ...]:
    return (
        RowDef("一", "一、本年新收政府信息公开申请数量", keys=("本年新收",)),
        RowDef("二", "二、上年结转政府信息公开申请数量", keys=("上年结转",)),
        RowDef("三", "三、本年度办理结果", keys=("本年度办理",), kind="group"),
        RowDef("三.一", "（一）予以公开", keys=("予以公开",)),
        RowDef("三.二", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", keys=("部分公开",)),
        RowDef("三.三", "（三）不予公开", keys=("不予公开",), kind="group"),
        RowDef("三.三.1", "1.属于国家秘密", keys=("国家秘密", "属于国家")),
        RowDef("三.三.2", "2.其他法律行政法规禁止公开", keys=("禁止公开", "其他法律")),
        RowDef("三.三.3", "3.危及“三安全一稳定”", keys=("三安全", "安全一稳定", "危及")),
        RowDef("三.三.4", "4.保护第三方合法权益", keys=("第三方合法", "三方合法权益", "保护第三方")),
        RowDef("三.三.5", "5.属于三类内部事务信息", keys=("三类内部", "内部事务", "属于三类")),
        RowDef("三.三.6", "6.属于四类过程性信息", keys=("四类过程", "过程性信息", "属于四类")),
        RowDef("三.三.7", "7.属于行政执法案卷", keys=("执法案卷", "属于行政执法")),
        RowDef("三.三.8", "8.属于行政查询事项", keys=("行政查询", "查询事项")),
        RowDef("三.四", "（四）无法提供", keys=("无法提供",), kind="group"),
        RowDef("三.四.1", "1.本机关不掌握相关政府信息", keys=("不掌握", "本机关不")),
        RowDef("三.四.2", "2.没有现成信息需要另行制作", keys=("没有现成", "另行制作")),
        RowDef("三.四.3", "3.补正后申请内容仍不明确", keys=("补正后", "仍不明确")),
        RowDef("三.五", "（五）不予处理", keys=("不予处理",), kind="group"),
        RowDef("三.五.1", "1.信访举报投诉类申请", keys=("信访举报", "举报投诉", "信访")),
        RowDef("三.五.2", "2.重复申请", keys=("重复申请",)),
        RowDef("三.五.3", "3.要求提供公开出版物", keys=("公开出版物", "提供公开出版", "要求提供")),
        RowDef("三.五.4", "4.无正当理由大量反复申请", keys=("大量反复", "反复申请")),
        RowDef("三.五.5", "5.要求行政机关确认或重新出具已获取信息", keys=("确认或重新", "重新出具", "行政机关确认")),
        *other,
        RowDef("三.七", "（七）总计", keys=("(七)总计", "七、总计", "七)总计"), weak=("总计", "合计")),
        RowDef("四", "四、结转下年度继续办理", keys=("结转下年度", "下年度继续办理")),
    )


PART3_2019 = _part3_rows((RowDef("三.六", "（六）其他处理", keys=("其他处理",)),))
PART3_2021 = _part3_rows(
    (
        RowDef("三.六", "（六）其他处理", keys=("其他处理",), kind="group"),
        RowDef(
            "三.六.1",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            keys=("逾期不补", "无正当理由逾期", "申请人无正当"),
        ),
        RowDef(
            "三.六.2",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            keys=("收费通知", "逾期未按", "缴纳费用", "申请人逾期"),
        ),
        RowDef("三.六.3", "3.其他", weak=("其他",)),
    )
)

PART3_TITLE = "三、收到和处理政府信息公开申请情况"
PART3_HEADING = ("收到和处理政府信息公开申请",)

# ----------------------------------------------------------------------------------------------- part 四
LITIGATION_COLUMNS = (
    ColumnDef("结果维持", "结果维持"),
    ColumnDef("结果纠正", "结果纠正"),
    ColumnDef("其他结果", "其他结果"),
    ColumnDef("尚未审结", "尚未审结"),
    ColumnDef("总计", "总计"),
)
PART4 = TableDef(
    id="四",
    title="四、政府信息公开行政复议、行政诉讼情况",
    heading_keys=("行政复议", "行政诉讼"),
    columns=LITIGATION_COLUMNS,
    rows=(
        RowDef("行政复议", "行政复议"),
        RowDef("未经复议直接起诉", "行政诉讼·未经复议直接起诉"),
        RowDef("复议后起诉", "行政诉讼·复议后起诉"),
    ),
    layout="run",
    header_chars="行政复议诉讼结果维持纠正其他尚未审结总计未经直接起诉后合",
)
LITIGATION_TOTALS = (RowSum("四", "总计", ("结果维持", "结果纠正", "其他结果", "尚未审结")),)

# ----------------------------------------------------------------------------------------------- part 二
_C = ColumnDef
PART2_2019 = TableDef(
    id="二",
    title="二、主动公开政府信息情况",
    heading_keys=("主动公开政府信息",),
    columns=(),
    rows=(
        RowDef("规章", "规章", keys=("规章",),
               columns=(_C("本年新制作数量", "本年新制作数量"), _C("本年新公开数量", "本年新公开数量"),
                        _C("对外公开总数量", "对外公开总数量"))),
        RowDef("规范性文件", "规范性文件", keys=("规范性文件",),
               columns=(_C("本年新制作数量", "本年新制作数量"), _C("本年新公开数量", "本年新公开数量"),
                        _C("对外公开总数量", "对外公开总数量"))),
        RowDef("行政许可", "行政许可", keys=("行政许可",),
               columns=(_C("上一年项目数量", "上一年项目数量"), _C("本年增/减", "本年增/减", "signed"),
                        _C("处理决定数量", "处理决定数量"))),
        RowDef("其他对外管理服务事项", "其他对外管理服务事项", keys=("对外管理服务",),
               columns=(_C("上一年项目数量", "上一年项目数量"), _C("本年增/减", "本年增/减", "signed"),
                        _C("处理决定数量", "处理决定数量"))),
        RowDef("行政处罚", "行政处罚", keys=("行政处罚",),
               columns=(_C("上一年项目数量", "上一年项目数量"), _C("本年增/减", "本年增/减", "signed"),
                        _C("处理决定数量", "处理决定数量"))),
        RowDef("行政强制", "行政强制", keys=("行政强制",),
               columns=(_C("上一年项目数量", "上一年项目数量"), _C("本年增/减", "本年增/减", "signed"),
                        _C("处理决定数量", "处理决定数量"))),
        RowDef("行政事业性收费", "行政事业性收费", keys=("事业性收费",),
               columns=(_C("上一年项目数量", "上一年项目数量"), _C("本年增/减", "本年增/减", "signed"))),
        RowDef("政府集中采购", "政府集中采购", keys=("集中采购",),
               columns=(_C("采购项目数量", "采购项目数量"), _C("采购总金额", "采购总金额", "amount"))),
    ),
)
PART2_2021 = TableDef(
    id="二",
    title="二、主动公开政府信息情况",
    heading_keys=("主动公开政府信息",),
    columns=(),
    rows=(
        RowDef("规章", "规章", keys=("规章",),
               columns=(_C("本年制发件数", "本年制发件数"), _C("本年废止件数", "本年废止件数"),
                        _C("现行有效件数", "现行有效件数"))),
        RowDef("规范性文件", "行政规范性文件", keys=("规范性文件",),
               columns=(_C("本年制发件数", "本年制发件数"), _C("本年废止件数", "本年废止件数"),
                        _C("现行有效件数", "现行有效件数"))),
        RowDef("行政许可", "行政许可", keys=("行政许可",),
               columns=(_C("本年处理决定数量", "本年处理决定数量"),)),
        RowDef("行政处罚", "行政处罚", keys=("行政处罚",),
               columns=(_C("本年处理决定数量", "本年处理决定数量"),)),
        RowDef("行政强制", "行政强制", keys=("行政强制",),
               columns=(_C("本年处理决定数量", "本年处理决定数量"),)),
        RowDef("行政事业性收费", "行政事业性收费", keys=("事业性收费",),
               columns=(_C("本年收费金额", "本年收费金额（单位：万元）", "amount"),)),
    ),
)


def _part3(rows: tuple[RowDef, ...]) -> TableDef:
    return TableDef(id="三", title=PART3_TITLE, heading_keys=PART3_HEADING, columns=APPLICANT_COLUMNS, rows=rows)


def _arith(part3: tuple[RowDef, ...]) -> dict:
    ids = [r.id for r in part3 if r.kind == "value"]
    leaves = tuple(i for i in ids if i.startswith("三.") and i != "三.七")
    return {
        "balances": (Balance("三", ("一", "二"), ("三.七", "四")),),
        "subtotals": (Subtotal("三", "三.七", leaves),),
        "row_totals": (RowSum("三", "总计", APPLICANT_PARTS),),
        "litigation_totals": LITIGATION_TOTALS,
    }


T2019 = Template(
    id="2019",
    name="国办公开办函〔2019〕60号",
    tables={"二": PART2_2019, "三": _part3(PART3_2019), "四": PART4},
    markers=("本年新制作", "新制作数量", "本年新公开", "对外公开总数", "上一年项目数量", "本年增/减",
             "采购项目数量", "政府集中采购", "采购总金额", "对外管理服务事项"),
    years=(2019, 2020),
    **_arith(PART3_2019),
)
T2021 = Template(
    id="2021",
    name="国办公开办函〔2021〕30号",
    tables={"二": PART2_2021, "三": _part3(PART3_2021), "四": PART4},
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "逾期不补", "收费通知", "行政规范性文件"),
    years=(2021, None),
    **_arith(PART3_2021),
)

BY_ID: dict[str, Template] = {"2019": T2019, "2021": T2021}

# Part headings other than the three tables: used to bound the table sections.
OTHER_HEADINGS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况",),
    "五": ("存在的主要问题",),
    "六": ("其他需要报告",),
}


def template_for_year(year: int | None) -> str | None:
    if year is None:
        return None
    for t in BY_ID.values():
        lo, hi = t.years
        if year >= lo and (hi is None or year <= hi):
            return t.id
    return None


@lru_cache(maxsize=512)
def row_label(table: str, row: str | None, template: str = "2021") -> str:
    if row is None:
        return ""
    tdef = BY_ID.get(template, T2021).tables.get(table)
    if tdef is not None:
        for r in tdef.rows:
            if r.id == row:
                return r.label
    for t in BY_ID.values():
        tdef = t.tables.get(table)
        if tdef is None:
            continue
        for r in tdef.rows:
            if r.id == row:
                return r.label
    return row


@lru_cache(maxsize=512)
def short_row_label(table: str, row: str | None, template: str = "2021") -> str:
    """A label short enough for a message: the row id and the label up to its first bracket."""
    label = row_label(table, row, template)
    for stop in ("（区分", "、行政机关"):
        label = label.split(stop)[0]
    return label
