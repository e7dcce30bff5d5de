"""Projects by fund source: 项目支出表 (项目支出预算表, 项目支出情况表).

Layouts: 类型 as a column or as group rows (其他运转类 with its subtotal, its projects
below); 项目编码, 单位名称 / 单位代码 columns where printed; a 合计 row and unit rows (a unit's
code and name with its subtotal) between the projects; amounts split by fund source
under 本年拨款 / 财政拨款结转结余 / 财政专户管理资金 / 单位资金, with or without 小计 columns.

Untitled, the table is known by its header: 项目名称, a total (合计 / 金额 …) and a fund
source column (本年拨款, 财政拨款, 一般公共预算, 财政专户, 单位资金 …); never 指标 or 绩效
(the performance tables also list projects and their funds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.families.base import Context, Record, column_labels, has_label, header_labels
from extract.families.project_funds import (
    GOVERNMENT,
    TOTAL_LABELS,
    Funds,
    reporter,
    row_cells,
    strip_unit,
)
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers, split_header
from extract.values import DEFAULT_UNIT, normalize_text

NAME = "project_expenditure"
PROJECTS = "projects"

_TITLE = re.compile(r"项目支出[^，。,]{0,8}表")
_TOTAL_ROW = ("合计", "总计")
_UNIT_LABELS = ("单位名称", "项目单位", "预算单位", "实施单位")
_UNIT_CODE = re.compile(r"^\d{1,9}$")  # 部门 103, 单位 103001; project codes run longer
# A group row naming a project type: 其他运转类, 特定目标类, 人员类, 公用经费类 …
_TYPE_ROW = re.compile(r"^.{0,6}(运转|目标|人员|公用|项目|发展|专项|建设|经费)类$")


def matches(table: LogicalTable) -> bool:
    title = table.title or ""
    if not _TITLE.search(title) or "绩效" in title:
        return False
    header = table.header_text()
    return "项目名称" in header and any(w in header for w in ("合计", "总计", "金额"))


_FUND_WORDS = (*GOVERNMENT, "财政专户", "单位资金", "结转")


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    totals = any(strip_unit(t) in TOTAL_LABELS for column in labels for t in column)
    return (
        has_label(labels, "项目名称")
        and totals
        and has_label(labels, *_FUND_WORDS)
        and not has_label(labels, "指标", "绩效")
    )


@dataclass
class Columns:
    """Where each field sits in a 项目支出表."""

    name: int | None = None
    type_: int | None = None
    code: int | None = None
    unit_name: int | None = None
    unit_code: int | None = None
    funds: Funds = field(default_factory=Funds)

    @classmethod
    def from_header(cls, header: list[Row]) -> Columns:
        labels = column_labels(header)
        columns = cls()

        def first(words: tuple[str, ...], skip: set[int | None]) -> int | None:
            for c, texts in enumerate(labels):
                if c not in skip and any(w in t for t in texts for w in words):
                    return c
            return None

        columns.name = first(("项目名称",), set())
        columns.type_ = first(("类型", "类别"), {columns.name})
        columns.code = first(("项目编码", "项目代码"), set())
        columns.unit_code = first(("单位编码", "单位代码"), set())
        columns.unit_name = first(_UNIT_LABELS, {columns.name, columns.code})
        roles = {columns.name, columns.type_, columns.code, columns.unit_code, columns.unit_name}
        amounts = [c for c in range(len(labels)) if c not in roles and labels[c]]
        columns.funds = Funds.from_labels(labels, amounts)
        return columns


def is_header_row(row: Row) -> bool:
    texts = [normalize_text(c) for c in row if c]
    return is_column_numbers(row) or any("项目名称" in t for t in texts)


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    first = table.parts[0]
    header_rows = split_header(first.rows)
    columns = Columns.from_header(first.rows[:header_rows])
    unit = columns.funds.unit or table.unit or context.default_unit or DEFAULT_UNIT
    department = table.department or context.department
    records: list[Record] = []
    current_type: str | None = None
    unit_name: str | None = None
    unit_code: str | None = None
    index = 0
    for n, part in enumerate(table.parts):
        skip = header_rows if n == 0 else _leading_headers(part.rows)
        index += skip
        for row in part.rows[skip:]:
            row_index, index = index, index + 1
            cell = row_cells(row)
            name, type_, code = cell(columns.name), cell(columns.type_), cell(columns.code)
            amounts = columns.funds.read(row, unit, reporter(context, table, part.page_number))
            if amounts is None:
                continue
            labels = [name, type_, code, cell(columns.unit_name), cell(columns.unit_code)]
            if any(t in _TOTAL_ROW for t in labels) or not any(labels):
                continue
            printed = any(v is not None for v in amounts.values())
            if not printed and not (type_ or code):
                if name and records:  # a name wrapped over a page break: rejoin it
                    records[-1]["project_name"] += name
                continue
            if not type_ and not code and _TYPE_ROW.match(name):
                current_type = name  # a group row: the type of the projects below it
                continue
            if _is_unit_row(name, code, columns):
                unit_code = name if name.isdigit() else code
                unit_name = cell(columns.unit_name) or (None if name.isdigit() else name)
                continue
            # a column of unit and project codes alike gives the project's code, not its unit's
            own_unit_code = cell(columns.unit_code) if columns.unit_code != columns.code else ""
            records.append(
                {
                    **context.lineage(table, part.page_number, row_index),
                    "project_name": name,
                    "project_code": code or None,
                    "department_name": department,
                    "unit_name": cell(columns.unit_name) or unit_name,
                    "project_type": type_ or current_type,
                    "amount_yuan": amounts["total"],
                    "source_family": NAME,
                    "unit_code": own_unit_code or unit_code,
                    "government_funds_yuan": amounts["government"],
                    "other_funds_yuan": amounts["other"],
                }
            )
    return {PROJECTS: [r for r in records if r["project_name"]]}


def _is_unit_row(name: str, code: str, columns: Columns) -> bool:
    """A unit's subtotal row: its code printed in the name column (103), or a short code in
    a column that holds unit and project codes alike (单位编码（项目编码）)."""
    if name.isdigit():
        return True
    return bool(_UNIT_CODE.match(code)) and columns.code == columns.unit_code


def _leading_headers(rows: list[Row]) -> int:
    """A continuation page's repeated header rows (merged labels repeat on each of them)."""
    count = 0
    while count < len(rows) and is_header_row(rows[count]):
        count += 1
    return count
