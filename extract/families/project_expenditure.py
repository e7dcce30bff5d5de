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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from extract.families.base import Context, Problem, Record, column_labels, has_label, header_labels
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers, split_header
from extract.values import normalize_text, parse_amount, to_yuan

NAME = "project_expenditure"
PROJECTS = "projects"

_TITLE = re.compile(r"项目支出[^，。,]{0,8}表")
_TOTAL_LABELS = (
    "合计",
    "总计",
    "资金总额",
    "年度资金总额",
    "金额合计",
    "项目金额",
    "项目总额",
    "金额",
)
_SUBTOTAL_LABELS = ("小计", "合计")
_GOVERNMENT = ("本年拨款", "财政拨款", "一般公共预算", "政府预算资金")
_CARRIED = ("结转", "结余", "上年")  # carried-over funds are "other" funds
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


_FUND_WORDS = (*_GOVERNMENT, "财政专户", "单位资金", "结转")


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    totals = any(strip_unit(t) in _TOTAL_LABELS for column in labels for t in column)
    return (
        has_label(labels, "项目名称")
        and totals
        and has_label(labels, *_FUND_WORDS)
        and not has_label(labels, "指标", "绩效")
    )


def strip_unit(label: str) -> str:
    """'项目金额（万元）' -> '项目金额'."""
    return re.sub(r"[（(][^）)]*[）)]", "", label)


@dataclass
class Funds:
    """The amount columns of a project table: the total, government funds (本年拨款,
    一般公共预算, 政府预算资金, 财政拨款) and the other sources (结转, 财政专户, 单位资金 …)."""

    total: int | None = None
    government: list[int] = field(default_factory=list)
    other: list[int] = field(default_factory=list)
    unit: str | None = None  # printed in a header label: 项目金额（万元）

    @classmethod
    def from_labels(cls, labels: list[list[str]], amounts: list[int]) -> Funds:
        """`amounts`: the columns left once names, codes and indicators are placed."""
        funds = cls()
        for c in amounts:
            for text in labels[c]:
                match = re.search(r"[（(](亿元|万元|元)[）)]", text)
                funds.unit = match.group(1) if match else funds.unit
        funds.total = next(
            (c for c in amounts if strip_unit(labels[c][-1]) in _TOTAL_LABELS),
            next((c for c in amounts if any(t in _TOTAL_LABELS for t in labels[c])), None),
        )
        parts = [c for c in amounts if c != funds.total]
        # a group with a 小计 column: the 小计 stands for its members
        grouped = {labels[c][0] for c in parts if _is_subtotal(labels[c])}
        kept = [c for c in parts if labels[c][0] not in grouped or _is_subtotal(labels[c])]
        funds.government = [
            c
            for c in kept
            if any(g in t for t in labels[c] for g in _GOVERNMENT)
            and not any(w in t for t in labels[c] for w in _CARRIED)
        ]
        funds.other = [c for c in kept if c not in funds.government]
        return funds

    def read(
        self, row: Row, unit: str, report: Callable[[str], None]
    ) -> dict[str, Decimal | None] | None:
        """total, government and other funds in yuan; None for a row that is not data.

        A blank cell in a row that prints any amount counts as 0 (empty means nothing).
        """
        if self.total is not None and self.total < len(row):
            text = row[self.total] or ""
            if text and not any(ch.isdigit() for ch in text):
                return None  # a repeated header or a note, not data
        values: dict[int, Decimal | None] = {}
        for c in [*([] if self.total is None else [self.total]), *self.government, *self.other]:
            try:
                values[c] = parse_amount(row[c] if c < len(row) else None)
            except ValueError as exc:
                values[c] = None
                report(f"{exc} in {row}")
        if all(v is None for v in values.values()):
            return dict.fromkeys(("total", "government", "other"))

        def summed(cols: list[int]) -> Decimal | None:
            if not cols:
                return None
            return to_yuan(sum((values[c] or Decimal(0) for c in cols), Decimal(0)), unit)

        total = values.get(self.total) if self.total is not None else None
        return {
            "total": to_yuan(total, unit)
            if total is not None
            else summed([*self.government, *self.other]),
            "government": summed(self.government),
            "other": summed(self.other),
        }


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


def _is_subtotal(texts: list[str]) -> bool:
    return len(texts) > 1 and any(t in _SUBTOTAL_LABELS for t in texts[1:])


def row_cells(row: Row) -> Callable[[int | None], str]:
    """cell(column): the printed text at a column, '' where the column is absent."""

    def cell(column: int | None) -> str:
        if column is None or column >= len(row):
            return ""
        return normalize_text(row[column])

    return cell


def is_header_row(row: Row) -> bool:
    texts = [normalize_text(c) for c in row if c]
    return is_column_numbers(row) or any("项目名称" in t for t in texts)


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    first = table.parts[0]
    header_rows = split_header(first.rows)
    columns = Columns.from_header(first.rows[:header_rows])
    unit = columns.funds.unit or table.unit or context.default_unit or "万元"
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


def reporter(context: Context, table: LogicalTable, page: int) -> Callable[[str], None]:
    """Where an unreadable amount goes: a blocking finding naming page and table."""

    def report(detail: str) -> None:
        context.problems.append(
            Problem("amount_parses", page, table.title, f"page {page}: {detail}")
        )

    return report


def _leading_headers(rows: list[Row]) -> int:
    """A continuation page's repeated header rows (merged labels repeat on each of them)."""
    count = 0
    while count < len(rows) and is_header_row(rows[count]):
        count += 1
    return count
