"""政府采购: 政府采购预算表, 政府采购预算明细表, 部门综合预算政府采购（资产配置、购买服务）预算表.

A procurement table is a tree of printed rows, each with its amount (and, in some prints,
the amount by fund source: extract/families/purchase_rows.py):

- the total row (合计, 总计);
- category rows: a label cell naming a procurement category as a whole cell (A-货物,
  货物, 一、货物A; B 工程; C 服务), the vocabulary's `procurement.categories`;
- function-code rows (类 | 款 | 项 or 科目编码 with 科目名称, as 烟台 prints them): the table
  is a function table of procurement money;
- where the table has a column for the thing bought (采购目录, 采购物品名称, 品目): item
  rows print it, and a row that does not is a subtotal of the items under it (a group: a
  unit, a fund type such as 全额, a project with its 经济科目);
- otherwise a row is an item.

Layouts read: categories only (采购类别 | 金额, 北京; 项目编号 | 项目 | 总计 | fund sources,
重庆), function codes with fund sources (烟台), items under units with 采购目录, 数量 and
economic codes (西安), items under categories and projects (采购品目大类 | 专项名称 | 经济科目 |
采购物品名称 | 采购组织形式 | 总计, Jiangsu). An item takes its category from the category row
above it, else from its catalogue code's letter (C04070100 is a service); an item or group
printing no name takes its group's (a merged cell printed once).

A table printed empty (本表无数据, or a 合计 of zeros) stages no row and is recorded empty.
Untitled, the table is known by its header: a label naming 采购 and a total column, never
指标 or 绩效.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extract import vocabulary
from extract.families.base import (
    Context,
    Record,
    column_labels,
    has_label,
    header_labels,
)
from extract.families.coded_rows import CodeColumns, row_code
from extract.families.purchase_rows import (
    AmountColumns,
    cell_records,
    is_total,
    open_table,
    plain,
    read_amounts,
)
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers
from extract.values import normalize_text, parse_amount

NAME = "procurement"
ROW_KINDS = ("total", "category", "code", "group", "item")
CATEGORIES = ("goods", "works", "services")
_NOT_THIS = ("绩效", "指标")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_LEVELS = {3: 1, 5: 2, 7: 3}


def matches(table: LogicalTable) -> bool:
    title = plain(table.title)
    return bool(vocabulary.pattern(NAME, "title").search(title)) and not any(
        word in title for word in _NOT_THIS
    )


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    if not has_label(labels, "采购") or has_label(labels, *_NOT_THIS):
        return False
    return AmountColumns.from_labels(labels, set()).total is not None


def category_of(text: str) -> str | None:
    """The category a whole label cell names (A-货物, 一、货物A), or None."""
    return vocabulary.meaning(vocabulary.labels(NAME, "categories", "category"), plain(text))


def catalogue_category(text: str) -> str | None:
    """The category of a catalogue code's letter (C04070100体检服务 -> services)."""
    return vocabulary.meaning(
        vocabulary.labels(NAME, "catalogue_categories", "category"), plain(text)
    )


@dataclass
class Columns:
    """Where a procurement table prints each label and each amount."""

    roles: dict[str, int]  # category, name, catalogue, economic_*, quantity, method
    codes: CodeColumns  # the function code (类/款/项 or 科目编码) and 单位编码 columns
    amounts: AmountColumns
    labels: list[int]  # every label column, left to right

    @classmethod
    def from_header(cls, header: list[Row]) -> Columns:
        labels = column_labels(header)
        found = vocabulary.columns(NAME, labels)
        attributes = set(found.pop("attributes", []))  # printed, not staged
        roles = {name: columns[0] for name, columns in found.items()}
        codes = CodeColumns.from_header(header)
        economic = {roles.get(k) for k in ("economic_class", "economic_kuan", "economic_code")}
        if codes.code in economic:  # an economic code column is no function code
            codes.code = None
        taken = set(roles.values()) | codes.known() | attributes
        amounts = AmountColumns.from_labels(labels, taken)
        return cls(roles, codes, amounts, sorted(taken - set(amounts.sources)))

    def text(self, row: Row, role: str) -> str:
        column = self.roles.get(role)
        return normalize_text(row[column]) if column is not None and column < len(row) else ""


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    opened = open_table(table, context, Columns.from_header)
    if opened is None:
        return {NAME: []}
    columns, body = opened
    unit, decimals, report = body.unit, body.decimals, body.report
    records: list[Record] = []
    category: tuple[str, str] | None = None  # (key, printed) of the category row above
    group: dict[str, Any] = {}  # the labels of the group row above, for its items
    last_class = last_kuan = None
    for page, row_index, row in body.rows:
        if is_column_numbers(row):
            continue
        cells = read_amounts(row, columns.amounts, unit, page, report)
        if not any(value is not None for value in cells.values()):
            continue  # a blank, note or repeated header row
        code, last_class, last_kuan = row_code(row, columns.codes, last_class, last_kuan)
        texts = [normalize_text(row[c]) for c in columns.labels if c < len(row)]
        catalogue = columns.text(row, "catalogue")
        named = next((t for t in texts if category_of(t)), None)
        fields = _fields(row, columns)
        if is_total([plain(t) for t in texts]):
            kind, category, group = "total", None, {}
            fields = {k: "" for k in fields} | {"name": "合计", "quantity": fields["quantity"]}
        elif named is not None and not catalogue:
            kind, group = "category", {}
            category = (category_of(named) or "", named)
            fields["name"] = fields["name"] or named
        elif "catalogue" in columns.roles:
            kind = "item" if catalogue else "group"
        elif code:
            kind = "code"
        else:
            kind = "item"
        if kind == "group":
            fields["name"] = fields["name"] or group.get("name")  # a merged cell above
            group = {k: v for k, v in fields.items() if v}
        elif kind == "item":
            fields = {k: v or (group.get(k) if k != "quantity" else v) for k, v in fields.items()}
        key, printed = category or (None, None)
        if kind == "item" and key is None:
            key = catalogue_category(catalogue)
        base = {
            **context.lineage(table, page, row_index),
            "amount_unit": unit,
            "decimals": decimals,
            "row_kind": kind,
            "category": key if kind in ("category", "group", "item") else None,
            "category_name": printed if kind in ("category", "group", "item") else None,
            "function_code": code or None,
            "code_level": _LEVELS[len(code)] if code else None,
            "catalogue": (catalogue or None) if kind != "total" else None,
            **{k: (v or None) for k, v in fields.items()},
        }
        records.extend(cell_records(base, columns.amounts, cells))
    return {NAME: records}


def _fields(row: Row, columns: Columns) -> dict[str, Any]:
    """The row's own labels: name, unit code, economic code and name, quantity, method."""
    unit_code = columns.codes.unit_code
    printed_unit = row[unit_code] if unit_code is not None and unit_code < len(row) else None
    return {
        "name": columns.text(row, "name"),
        "unit_code": plain(printed_unit),
        "economic_code": _economic_code(row, columns),
        "economic_name": columns.text(row, "economic_name"),
        "quantity": _quantity(columns.text(row, "quantity")),
        "procurement_method": columns.text(row, "procurement_method"),
    }


def _economic_code(row: Row, columns: Columns) -> str:
    """部门预算支出经济分类 code: one column (30201), or 类 | 款 columns (302 | 01)."""
    parts = [plain(columns.text(row, role)) for role in ("economic_class", "economic_kuan")]
    code = "".join(parts) if parts[0] else plain(columns.text(row, "economic_code"))
    return code if _CODE.match(code) else ""


def _quantity(text: str) -> Any:
    try:
        return parse_amount(text)
    except ValueError:  # 1批, 若干: no number
        return None
