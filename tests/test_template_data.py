"""The templates really are data: their ids (templates, parts and tables, rows, columns) are spelled in
``auditui/core/template.py`` only. Every other module refers to them by the names the template exports, so no
module holds a string equal to one of them (docstrings and other bare string statements aside: they document).

Only a whole string equal to an id counts: a column id such as "其他" or "总计" is also a word, and may stand in a
message or a pattern ("其他(?:结果)?", "「总计」相应为"), but a string that is just "其他" is the column."""

from __future__ import annotations

import ast
from pathlib import Path

import auditui
from auditui.core import template

PACKAGE = Path(auditui.__file__).parent
TEMPLATE = Path(template.__file__)


def template_ids() -> frozenset[str]:
    """Every id the templates define: the templates', the parts' (tables and the other headed parts), the rows',
    the columns' (the tables' and the rows' own, part 二's)."""
    ids = set(template.BY_ID) | set(template.OTHER_HEADINGS)
    for t in template.BY_ID.values():
        ids.add(t.id)
        for table in t.tables.values():
            ids.add(table.id)
            ids.update(r.id for r in table.rows)
            ids.update(c.id for c in table.columns)
            ids.update(c.id for r in table.rows for c in table.row_columns(r))
    return frozenset(ids)


def spelled_ids(source: str, ids: frozenset[str], filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, id) of every string constant of ``source`` equal to one of ``ids``, bare string statements
    (docstrings) excepted."""
    tree = ast.parse(source, filename)
    documents = {id(node.value) for node in ast.walk(tree)
                 if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids
                  and id(node) not in documents)


def test_the_ids_are_known():
    ids = template_ids()
    assert {"2019", "2021", "一", "二", "三", "四", "五", "六", "三.七", "行政复议", "规章"} <= ids
    assert {"自然人", "社会公益组织", "其他", "总计", "结果维持", "尚未审结", "现行有效件数", "采购总金额"} <= ids


def test_the_scan_finds_a_planted_id():
    source = '''"""Part 三 of the report."""
X = "三.七"


def f(table, column):
    """三"""
    if table == "四":
        return f"{table}|二"
    """二"""
    if column in ("自然人", "其他") or re.match("其他(?:结果)?", column):
        return f"「总计」为 {column}"
    return {"2021": 1}.get("2021 年度")
'''
    assert spelled_ids(source, template_ids()) == [(2, "三.七"), (7, "四"), (10, "其他"), (10, "自然人"),
                                                   (12, "2021")]


def test_no_module_but_the_template_spells_an_id():
    ids = template_ids()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.resolve() == TEMPLATE.resolve():
            continue
        for line, value in spelled_ids(path.read_text(encoding="utf-8"), ids, str(path)):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {value!r}")
    assert not found, "ids spelled outside core/template.py (use the names it exports):\n" + "\n".join(found)
