"""政府购买服务: 财政拨款政府购买服务明细表, 政府购买服务预算表.

Each printed row is the total (合计, 总计), a purchase (an item: it names the service, by
项目名称 / 服务项目, by the 指导性目录 levels 一级 | 二级 | 三级 as 北京 prints them, or by
its 承接主体), or a subtotal of the items under it (a group: a unit's row printing its
单位名称 and no service). Amounts are a total and, where printed, the same money by fund
source (extract/families/purchase_rows.py). An item printing no unit takes its group's.
Which column is which: the vocabulary's `service_purchase` section.

A 政府采购 table that also lists services (西安's 政府采购（资产配置、购买服务）预算表) is a
procurement table, not this one. A table printed empty (本表无数据, or a 合计 of zeros)
stages no row and is recorded empty. Untitled, the table is known by its header: 指导性目录
or 承接主体 or a label naming 购买服务, and a total column; never 采购, 指标 or 绩效.
"""

from __future__ import annotations

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
from extract.values import normalize_text

NAME = "service_purchase"
ROW_KINDS = ("total", "group", "item")
_NOT_THIS = ("采购", "绩效", "指标")
# the labels that name a purchase (an item row prints one of them)
_ITEM_ROLES = ("name", "directory_level1", "directory_level2", "directory_level3", "contractor")
_UNIT_ROLES = ("unit_code", "unit_name")


def matches(table: LogicalTable) -> bool:
    title = plain(table.title)
    return bool(vocabulary.pattern(NAME, "title").search(title)) and not any(
        word in title for word in _NOT_THIS
    )


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    if not has_label(labels, "指导性目录", "承接主体", "购买服务") or has_label(labels, *_NOT_THIS):
        return False
    return AmountColumns.from_labels(labels, set()).total is not None


@dataclass
class Columns:
    """Where a service-purchase table prints each label and each amount."""

    roles: dict[str, int]
    amounts: AmountColumns
    labels: list[int]  # every label column, left to right

    @classmethod
    def from_header(cls, header: list[Row]) -> Columns:
        labels = column_labels(header)
        roles = {name: columns[0] for name, columns in vocabulary.columns(NAME, labels).items()}
        amounts = AmountColumns.from_labels(labels, set(roles.values()))
        return cls(roles, amounts, sorted(set(roles.values()) - set(amounts.sources)))

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
    group: dict[str, Any] = {}  # the unit of the group row above, for its items
    for page, row_index, row in body.rows:
        if is_column_numbers(row):
            continue
        cells = read_amounts(row, columns.amounts, unit, page, report)
        if not any(value is not None for value in cells.values()):
            continue  # a blank, note or repeated header row
        roles = (*_ITEM_ROLES, *_UNIT_ROLES, "purchase_method")
        fields = {role: columns.text(row, role) for role in roles}
        texts = [plain(row[c]) for c in columns.labels if c < len(row)]
        if is_total(texts):
            kind, group = "total", {}
            fields = {k: "" for k in fields} | {"name": "合计"}
        elif any(fields[role] for role in _ITEM_ROLES):
            kind = "item"
            fields |= {role: fields[role] or group.get(role, "") for role in _UNIT_ROLES}
        else:
            kind = "group"
            group = {role: fields[role] for role in _UNIT_ROLES}
        base = {
            **context.lineage(table, page, row_index),
            "amount_unit": unit,
            "decimals": decimals,
            "row_kind": kind,
            **{k: (v or None) for k, v in fields.items()},
        }
        records.extend(cell_records(base, columns.amounts, cells))
    return {NAME: records}
