"""Both State Council templates (2019: 国办公开办函〔2019〕60号, 2021: 国办公开办函〔2021〕30号) as data.

The parser and the rules read these definitions; there are no per-version code branches elsewhere.
Label keys are given in *normalised* form (see :func:`auditui.core.text.norm`): half-width brackets and
digits, no spaces, no quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal, NamedTuple

from .model import CellRef

RowKind = Literal["value", "group"]
ValueKind = Literal["count", "signed", "amount"]

# ----------------------------------------------------------------------------------------------- ids
# The ids of the templates, the report's parts and the rows and columns the code names are spelled here only: the
# rest of auditui refers to them by these names (tests/test_template_data.py holds it to that).

TEMPLATE_2019 = "2019"
TEMPLATE_2021 = "2021"
DEFAULT_TEMPLATE = TEMPLATE_2021
"""The template assumed where nothing tells which (the newer)."""

PART_OVERVIEW = "一"
"""一、总体情况."""
PART_PROACTIVE = "二"
"""二、主动公开政府信息情况 (a table)."""
PART_REQUESTS = "三"
"""三、收到和处理政府信息公开申请情况 (a table)."""
PART_LITIGATION = "四"
"""四、政府信息公开行政复议、行政诉讼情况 (a table)."""
PART_PROBLEMS = "五"
"""五、存在的主要问题及改进情况."""
PART_OTHER = "六"
"""六、其他需要报告的事项."""
PARTS = (PART_OVERVIEW, PART_PROACTIVE, PART_REQUESTS, PART_LITIGATION, PART_PROBLEMS, PART_OTHER)
"""The report's parts in printed order."""
PART_NUMERALS = "".join(PARTS)
"""A part's id is the numeral its heading is numbered with ("三、收到和…"): these, in order."""
TABLE_PARTS = (PART_PROACTIVE, PART_REQUESTS, PART_LITIGATION)
"""The parts that are tables, in printed order."""

# Rows of part 三.
ROW_NEW = "一"
ROW_CARRIED_IN = "二"
ROW_RESULTS = "三"
ROW_DISCLOSED = "三.一"
ROW_PARTLY = "三.二"
ROW_WITHHELD = "三.三"
ROW_SECRET = "三.三.1"
ROW_UNABLE = "三.四"
ROW_NOT_HELD = "三.四.1"
ROW_NOT_HANDLED = "三.五"
ROW_REPEATED = "三.五.2"
ROW_OTHER_HANDLING = "三.六"
ROW_CLOSED = "三.七"
"""（七）总计: the results' total."""
ROW_CARRIED_OUT = "四"
# Rows of part 四.
ROW_REVIEW = "行政复议"
ROW_SUIT_DIRECT = "未经复议直接起诉"
ROW_SUIT_AFTER = "复议后起诉"
# Rows of part 二.
ROW_REGULATIONS = "规章"
ROW_NORMATIVE = "规范性文件"

# Columns of part 三.
COL_NATURAL_PERSONS = "自然人"
COL_BUSINESSES = "商业企业"
COL_RESEARCH = "科研机构"
COL_NONPROFITS = "社会公益组织"
COL_LEGAL_SERVICES = "法律服务机构"
COL_OTHER_APPLICANTS = "其他"
COL_TOTAL = "总计"
"""A row's total: the last column of parts 三 and 四."""
# Columns of part 四.
COL_UPHELD = "结果维持"
COL_CORRECTED = "结果纠正"
COL_OTHER_RESULT = "其他结果"
COL_PENDING = "尚未审结"
# Columns of part 二's 规章 and 行政规范性文件 (2021).
COL_ISSUED = "本年制发件数"
COL_REPEALED = "本年废止件数"
COL_IN_FORCE = "现行有效件数"


@dataclass(frozen=True, slots=True)
class ColumnDef:
    id: str
    label: str
    kind: ValueKind = "count"
    short: str = ""
    """The label on two lines for a grid's header where it is long; "": the label."""


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
    short: str = ""
    """The label short enough for a narrow grid (the full label is shown on the selection line); "": the label."""


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
    """In every column of ``table``: the rows ``left`` add up to the rows ``right`` (the printed 勾稽关系).

    ``says`` is how a finding words a broken one, with ``{left}`` and ``{right}`` for the two sums."""

    rule: str
    table: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    says: str = ""
    says_en: str = ""


@dataclass(frozen=True, slots=True)
class Sum:
    """A total and the parts that make it up: rows of one column (``axis="rows"``: a subtotal, in every column) or
    columns of one row (``axis="columns"``: a row total, in every row, or only in ``rows``).

    ``parts_name`` names the parts in a finding's message (default: the part columns' names)."""

    rule: str
    table: str
    total: str
    parts: tuple[str, ...]
    axis: Literal["rows", "columns"]
    rows: tuple[str, ...] | None = None
    parts_name: str = ""
    parts_name_en: str = "the parts"


Relation = Balance | Sum


@dataclass(frozen=True, slots=True)
class Equation:
    """One relation in one column or row: ``sum(left) == sum(right)`` over cells.

    ``left`` is what the cells add up to (a finding's ``expected``), ``right`` what the report states (its
    ``actual``); ``cells`` lists both as a finding names them; ``scope`` is the row whose own numbers the equation
    rests on (a row total): a misshapen or missing row is not evaluated, its own finding says why."""

    relation: Relation
    row: str | None
    column: str | None
    left: tuple[CellRef, ...]
    right: tuple[CellRef, ...]
    cells: tuple[CellRef, ...]
    scope: str | None = None

    @property
    def rule(self) -> str:
        return self.relation.rule

    @property
    def table(self) -> str:
        return self.relation.table


class EquationGroup(NamedTuple):
    table: str
    equations: tuple[Equation, ...]
    lefts: tuple[tuple[CellRef, ...], ...]
    rights: tuple[tuple[CellRef, ...], ...]


@dataclass(frozen=True)
class Template:
    """One State Council template as data: its tables, the phrases only it uses, its arithmetic and its years.
    (Not slotted: the equations are worked out once per template, on first use.)"""

    id: str
    name: str
    tables: dict[str, TableDef]
    markers: tuple[str, ...]
    """Normalised phrases that only this template's report uses."""
    relations: tuple[Relation, ...] = ()
    """The arithmetic the report's tables must satisfy, each relation once: the rules evaluate these, the
    suggestions solve them."""
    years: tuple[int, int | None] = (0, None)
    """Report years the template is used for, inclusive (None: open-ended)."""

    @cached_property
    def equations(self) -> tuple[Equation, ...]:
        """Every relation written out in every column or row it holds in, in relation order."""
        out: list[Equation] = []
        for rel in self.relations:
            tdef = self.tables[rel.table]
            t = rel.table
            if isinstance(rel, Balance):
                for col in (c.id for c in tdef.columns):
                    left = tuple(CellRef(t, r, col) for r in rel.left)
                    right = tuple(CellRef(t, r, col) for r in rel.right)
                    out.append(Equation(rel, None, col, left, right, left + right))
            elif rel.axis == "rows":
                for col in (c.id for c in tdef.columns):
                    parts = tuple(CellRef(t, r, col) for r in rel.parts)
                    total = CellRef(t, rel.total, col)
                    out.append(Equation(rel, rel.total, col, parts, (total,), (total, *parts)))
            else:
                for r in tdef.value_rows:
                    if rel.rows is not None and r.id not in rel.rows:
                        continue
                    parts = tuple(CellRef(t, r.id, c) for c in rel.parts)
                    total = CellRef(t, r.id, rel.total)
                    out.append(Equation(rel, r.id, rel.total, parts, (total,), (total, *parts), scope=r.id))
        return tuple(out)

    @cached_property
    def _by_rule(self) -> dict[str, tuple[Equation, ...]]:
        out: dict[str, list[Equation]] = {}
        for eq in self.equations:
            out.setdefault(eq.rule, []).append(eq)
        return {k: tuple(v) for k, v in out.items()}

    def equations_of(self, rule: str) -> tuple[Equation, ...]:
        """The equations of one rule (``column-balance``, ``subtotal``, …)."""
        return self._by_rule.get(rule, ())

    @cached_property
    def _groups(self) -> dict[str, tuple[EquationGroup, ...]]:
        out: dict[str, tuple[EquationGroup, ...]] = {}
        for rule, eqs in self._by_rule.items():
            tables: dict[str, list[Equation]] = {}
            for eq in eqs:
                tables.setdefault(eq.table, []).append(eq)
            out[rule] = tuple(EquationGroup(t, tuple(g), tuple(e.left for e in g), tuple(e.right for e in g))
                              for t, g in tables.items())
        return out

    def groups_of(self, rule: str) -> tuple[EquationGroup, ...]:
        """The equations of one rule by table, with their sides side by side: what lets a rule test every
        equation of a table at once (:func:`auditui.core.rules.arithmetic`)."""
        return self._groups.get(rule, ())

    def row_total(self, table: str) -> Sum | None:
        """The relation that makes one column of ``table`` its rows' total (part 三's, part 四's 总计), if any."""
        return next((r for r in self.relations if isinstance(r, Sum) and r.table == table and r.axis == "columns"),
                    None)


# ----------------------------------------------------------------------------------------------- part 三
APPLICANT_COLUMNS = (
    ColumnDef(COL_NATURAL_PERSONS, "自然人"),
    ColumnDef(COL_BUSINESSES, "商业企业", short="商业\n企业"),
    ColumnDef(COL_RESEARCH, "科研机构", short="科研\n机构"),
    ColumnDef(COL_NONPROFITS, "社会公益组织", short="社会公益\n组织"),
    ColumnDef(COL_LEGAL_SERVICES, "法律服务机构", short="法律服务\n机构"),
    ColumnDef(COL_OTHER_APPLICANTS, "其他"),
    ColumnDef(COL_TOTAL, "总计"),
)
APPLICANT_IDS = tuple(c.id for c in APPLICANT_COLUMNS)
"""Part 三's column ids in printed order: the applicants' and their total."""
APPLICANT_PARTS = APPLICANT_IDS[:-1]
ORGANISATION_IDS = tuple(c for c in APPLICANT_PARTS if c != COL_NATURAL_PERSONS)
"""The columns under the header 法人或其他组织: every applicant but natural persons."""
APPLICANT_TOTAL = Sum("row-total", PART_REQUESTS, COL_TOTAL, APPLICANT_PARTS, "columns", parts_name_en="the columns")
"""总计 is the sum of the applicant columns, in every row."""


def _part3_rows(other: tuple[RowDef, ...]) -> tuple[RowDef, ...]:
    return (
        RowDef(ROW_NEW, "一、本年新收政府信息公开申请数量", keys=("本年新收",), short="一、本年新收"),
        RowDef(ROW_CARRIED_IN, "二、上年结转政府信息公开申请数量", keys=("上年结转",), short="二、上年结转"),
        RowDef(ROW_RESULTS, "三、本年度办理结果", keys=("本年度办理",), kind="group", short="三、本年度办理结果"),
        RowDef(ROW_DISCLOSED, "（一）予以公开", keys=("予以公开",), short="（一）予以公开"),
        RowDef(ROW_PARTLY, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", keys=("部分公开",), short="（二）部分公开"),
        RowDef(ROW_WITHHELD, "（三）不予公开", keys=("不予公开",), kind="group", short="（三）不予公开"),
        RowDef(ROW_SECRET, "1.属于国家秘密", keys=("国家秘密", "属于国家"), short="1.国家秘密"),
        RowDef("三.三.2", "2.其他法律行政法规禁止公开", keys=("禁止公开", "其他法律"), short="2.法律法规禁止"),
        RowDef("三.三.3", "3.危及“三安全一稳定”", keys=("三安全", "安全一稳定", "危及"), short="3.三安全一稳定"),
        RowDef("三.三.4", "4.保护第三方合法权益", keys=("第三方合法", "三方合法权益", "保护第三方"), short="4.第三方权益"),
        RowDef("三.三.5", "5.属于三类内部事务信息", keys=("三类内部", "内部事务", "属于三类"), short="5.内部事务信息"),
        RowDef("三.三.6", "6.属于四类过程性信息", keys=("四类过程", "过程性信息", "属于四类"), short="6.过程性信息"),
        RowDef("三.三.7", "7.属于行政执法案卷", keys=("执法案卷", "属于行政执法"), short="7.行政执法案卷"),
        RowDef("三.三.8", "8.属于行政查询事项", keys=("行政查询", "查询事项"), short="8.行政查询"),
        RowDef(ROW_UNABLE, "（四）无法提供", keys=("无法提供",), kind="group", short="（四）无法提供"),
        RowDef(ROW_NOT_HELD, "1.本机关不掌握相关政府信息", keys=("不掌握", "本机关不"), short="1.不掌握"),
        RowDef("三.四.2", "2.没有现成信息需要另行制作", keys=("没有现成", "另行制作"), short="2.需另行制作"),
        RowDef("三.四.3", "3.补正后申请内容仍不明确", keys=("补正后", "仍不明确"), short="3.补正后不明确"),
        RowDef(ROW_NOT_HANDLED, "（五）不予处理", keys=("不予处理",), kind="group", short="（五）不予处理"),
        RowDef("三.五.1", "1.信访举报投诉类申请", keys=("信访举报", "举报投诉", "信访"), short="1.信访举报投诉"),
        RowDef(ROW_REPEATED, "2.重复申请", keys=("重复申请",), short="2.重复申请"),
        RowDef("三.五.3", "3.要求提供公开出版物", keys=("公开出版物", "提供公开出版", "要求提供"), short="3.公开出版物"),
        RowDef("三.五.4", "4.无正当理由大量反复申请", keys=("大量反复", "反复申请"), short="4.大量反复申请"),
        RowDef("三.五.5", "5.要求行政机关确认或重新出具已获取信息", keys=("确认或重新", "重新出具", "行政机关确认"), short="5.确认或重新出具"),
        *other,
        RowDef(ROW_CLOSED, "（七）总计", keys=("(七)总计", "七、总计", "七)总计"), weak=("总计", "合计"), short="（七）总计"),
        RowDef(ROW_CARRIED_OUT, "四、结转下年度继续办理", keys=("结转下年度", "下年度继续办理"), short="四、结转下年度"),
    )


PART3_2019 = _part3_rows((RowDef(ROW_OTHER_HANDLING, "（六）其他处理", keys=("其他处理",), short="（六）其他处理"),))
PART3_2021 = _part3_rows(
    (
        RowDef(ROW_OTHER_HANDLING, "（六）其他处理", keys=("其他处理",), kind="group", short="（六）其他处理"),
        RowDef(
            "三.六.1",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            keys=("逾期不补", "无正当理由逾期", "申请人无正当"),
            short="1.逾期不补正",
        ),
        RowDef(
            "三.六.2",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            keys=("收费通知", "逾期未按", "缴纳费用", "申请人逾期"),
            short="2.逾期未缴费",
        ),
        RowDef("三.六.3", "3.其他", weak=("其他",), short="3.其他"),
    )
)

PART3_TITLE = "三、收到和处理政府信息公开申请情况"
PART3_HEADING = ("收到和处理政府信息公开申请",)

# ----------------------------------------------------------------------------------------------- part 四
LITIGATION_COLUMNS = (
    ColumnDef(COL_UPHELD, "结果维持"),
    ColumnDef(COL_CORRECTED, "结果纠正"),
    ColumnDef(COL_OTHER_RESULT, "其他结果"),
    ColumnDef(COL_PENDING, "尚未审结"),
    ColumnDef(COL_TOTAL, "总计"),
)
PART4 = TableDef(
    id=PART_LITIGATION,
    title="四、政府信息公开行政复议、行政诉讼情况",
    heading_keys=("行政复议", "行政诉讼"),
    columns=LITIGATION_COLUMNS,
    rows=(
        RowDef(ROW_REVIEW, "行政复议"),
        RowDef(ROW_SUIT_DIRECT, "行政诉讼·未经复议直接起诉"),
        RowDef(ROW_SUIT_AFTER, "行政诉讼·复议后起诉"),
    ),
    layout="run",
    header_chars="行政复议诉讼结果维持纠正其他尚未审结总计未经直接起诉后合",
)
LITIGATION_TOTAL = Sum("litigation-total", PART_LITIGATION, COL_TOTAL, (COL_UPHELD, COL_CORRECTED, COL_OTHER_RESULT,
                       COL_PENDING), "columns", parts_name_en="the columns")

# ----------------------------------------------------------------------------------------------- part 二
_C = ColumnDef
PART2_2019 = TableDef(
    id=PART_PROACTIVE,
    title="二、主动公开政府信息情况",
    heading_keys=("主动公开政府信息",),
    columns=(),
    rows=(
        RowDef(ROW_REGULATIONS, "规章", keys=("规章",),
               columns=(_C("本年新制作数量", "本年新制作数量"), _C("本年新公开数量", "本年新公开数量"),
                        _C("对外公开总数量", "对外公开总数量"))),
        RowDef(ROW_NORMATIVE, "规范性文件", keys=("规范性文件",),
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
    id=PART_PROACTIVE,
    title="二、主动公开政府信息情况",
    heading_keys=("主动公开政府信息",),
    columns=(),
    rows=(
        RowDef(ROW_REGULATIONS, "规章", keys=("规章",),
               columns=(_C(COL_ISSUED, "本年制发件数"), _C(COL_REPEALED, "本年废止件数"),
                        _C(COL_IN_FORCE, "现行有效件数"))),
        RowDef(ROW_NORMATIVE, "行政规范性文件", keys=("规范性文件",),
               columns=(_C(COL_ISSUED, "本年制发件数"), _C(COL_REPEALED, "本年废止件数"),
                        _C(COL_IN_FORCE, "现行有效件数"))),
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
    return TableDef(id=PART_REQUESTS, title=PART3_TITLE, heading_keys=PART3_HEADING, columns=APPLICANT_COLUMNS,
                    rows=rows)


def _arith(part3: tuple[RowDef, ...]) -> tuple[Relation, ...]:
    """The 勾稽关系 of both templates; only the result rows that （七）总计 adds up differ."""
    leaves = tuple(r.id for r in part3
                   if r.kind == "value" and r.id.startswith(ROW_RESULTS + ".") and r.id != ROW_CLOSED)
    return (
        Balance("column-balance", PART_REQUESTS, (ROW_NEW, ROW_CARRIED_IN), (ROW_CLOSED, ROW_CARRIED_OUT),
                says="第一项加第二项之和为 {left}，第三项（七）总计加第四项之和为 {right}，两者应相等",
                says_en="一 + 二 = {left} but （七）总计 + 四 = {right}"),
        Sum("subtotal", PART_REQUESTS, ROW_CLOSED, leaves, "rows", parts_name="各项办理结果",
            parts_name_en="the result rows"),
        APPLICANT_TOTAL,
        LITIGATION_TOTAL,
    )


T2019 = Template(
    id=TEMPLATE_2019,
    name="国办公开办函〔2019〕60号",
    tables={t.id: t for t in (PART2_2019, _part3(PART3_2019), PART4)},
    markers=("本年新制作", "新制作数量", "本年新公开", "对外公开总数", "上一年项目数量", "本年增/减",
             "采购项目数量", "政府集中采购", "采购总金额", "对外管理服务事项"),
    years=(2019, 2020),
    relations=_arith(PART3_2019),
)
T2021 = Template(
    id=TEMPLATE_2021,
    name="国办公开办函〔2021〕30号",
    tables={t.id: t for t in (PART2_2021, _part3(PART3_2021), PART4)},
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "逾期不补", "收费通知", "行政规范性文件"),
    years=(2021, None),
    relations=_arith(PART3_2021),
)

BY_ID: dict[str, Template] = {t.id: t for t in (T2019, T2021)}
T_DEFAULT = BY_ID[DEFAULT_TEMPLATE]

ARITHMETIC_RULES = frozenset(rel.rule for t in BY_ID.values() for rel in t.relations)
"""The rules whose errors are arithmetic (a relation that does not hold): the ones suggestions are sought for."""

# Part headings other than the three tables: used to bound the table sections.
OTHER_HEADINGS: dict[str, tuple[str, ...]] = {
    PART_OVERVIEW: ("总体情况",),
    PART_PROBLEMS: ("存在的主要问题",),
    PART_OTHER: ("其他需要报告",),
}


def template_of(template_id: str) -> Template:
    """The template of that id; the default template for an unknown one."""
    return BY_ID.get(template_id, T_DEFAULT)


def template_for_year(year: int | None) -> str | None:
    if year is None:
        return None
    for t in BY_ID.values():
        lo, hi = t.years
        if year >= lo and (hi is None or year <= hi):
            return t.id
    return None


@lru_cache(maxsize=512)
def row_label(table: str, row: str | None, template: str = DEFAULT_TEMPLATE) -> str:
    if row is None:
        return ""
    tdef = template_of(template).tables.get(table)
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
def short_row_label(table: str, row: str | None, template: str = DEFAULT_TEMPLATE) -> str:
    """A label short enough for a message: the row id and the label up to its first bracket."""
    label = row_label(table, row, template)
    for stop in ("（区分", "、行政机关"):
        label = label.split(stop)[0]
    return label
