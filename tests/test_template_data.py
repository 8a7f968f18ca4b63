"""The templates really are data: their ids (templates, parts and tables, rows) are spelled in
``auditui/core/template.py`` only. Every other module refers to them by the names the template exports, so no
module holds a string equal to one of them (docstrings and other bare string statements aside: they document)."""

from __future__ import annotations

import ast
from pathlib import Path

import auditui
from auditui.core import template

PACKAGE = Path(auditui.__file__).parent
TEMPLATE = Path(template.__file__)


def template_ids() -> frozenset[str]:
    """Every id the templates define: the templates', the parts' (tables and the other headed parts), the rows'."""
    ids = set(template.BY_ID) | set(template.OTHER_HEADINGS)
    for t in template.BY_ID.values():
        ids.add(t.id)
        for table in t.tables.values():
            ids.add(table.id)
            ids.update(r.id for r in table.rows)
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


def test_the_scan_finds_a_planted_id():
    source = '''"""Part 三 of the report."""
X = "三.七"


def f(table):
    """三"""
    if table == "四":
        return f"{table}|二"
    """二"""
    return {"2021": 1}.get("2021 年度")
'''
    assert spelled_ids(source, template_ids()) == [(2, "三.七"), (7, "四"), (10, "2021")]


def test_no_module_but_the_template_spells_an_id():
    ids = template_ids()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.resolve() == TEMPLATE.resolve():
            continue
        for line, value in spelled_ids(path.read_text(encoding="utf-8"), ids, str(path)):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {value!r}")
    assert not found, "ids spelled outside core/template.py (use the names it exports):\n" + "\n".join(found)
