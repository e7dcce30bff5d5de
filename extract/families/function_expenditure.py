"""Expenditure by function code: 部门支出总体情况表 and 一般公共预算支出情况表.

Layouts seen: one 科目编码 column holding 3/5/7-digit codes as a hierarchy, or 类/款/项 in
three columns (with or without a 单位代码 column); 合计 first or last; 基本支出 with or
without a 小计 column over 人员经费/公用经费 (themselves split into several columns). The
national template's 支出总表 adds 事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出,
parts of the total beside 基本 and 项目 (`other`). Jiangsu's 支出预算总表 prints no code at
all: one row under 合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金 (the last
two `other`), the all-funds total by purpose, staged as the table's total row. Also: codes
printed with their names in one cell (2010501-行政运行), a row per function x economic code
(北京 预算03表: the function's figures are the sum of its rows), codes in the name's cell
([201]一般公共服务支出, 广州), names only (杭州 功能分类科目名称: each name gets the code
the budgets read printed it with under its parent, extract/reference/function_names.csv;
where a name under a 类 has none, that 类's 款 and 项 rows are not staged, only the 类 row,
whose name is the national list's), rows by unit (预算单位, 单位编码) with the department's
own line told from its units (coded_rows.fold_department), one 预算单位 row and no 合计
(深圳: it is the total). The total may be headed 合计, 支出总计 or a 小计 of no part (福州,
广州); 项目支出 with a 总数 column beside a part of it (北京: 扣除基建项目后预算数) is that
总数.

Untitled, the table is known by its header: codes (科目编码, or 类/款/项), 合计, 基本支出 and
项目支出, and function codes (2xx) in its rows. Its scope is the header's when it names
一般公共预算; else the national template's order decides: the document's first function
table is all_funds (部门支出总体情况表), the next general_public_budget (一般公共预算支出情况表),
and a third is not read (政府性基金 and 国有资本 tables print the same header). Titled, more
scopes exist: fiscal_grants (财政拨款支出预算表, Jiangsu: 一般公共预算 and 政府性基金), and the
function tables of the other two budgets, government_fund (政府性基金预算支出表) and
state_capital (国有资本经营预算支出表), whose titles are data (vocabulary.toml,
function_expenditure.scopes). A table without 合计 whose one amount column says 金额 or 预算数
has that column as total. A table printed empty (本表无数据, or only a 合计 of zeros) is
recognised by its title alone and stages no row: the document records it as `empty`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract import vocabulary
from extract.families.base import (
    Context,
    Problem,
    Record,
    column_labels,
    first_code,
    has_label,
    header_labels,
    printed_empty,
)
from extract.families.coded_rows import (
    CodeColumns,
    CodeReader,
    carried_text,
    fold_department,
    header_and_body,
    merge_codes,
)
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers
from extract.values import DEFAULT_UNIT, decimals_of, normalize_text, parse_amount, to_yuan

NAME = "function_expenditure"

_ALL_FUNDS = re.compile(r"支出(总体情况|预算总|总)表")
_GENERAL_PUBLIC = re.compile(r"一般公共预算(财政)?(拨款)?支出(情况|功能分类|预算)?.{0,4}表")
# 财政拨款支出预算表（功能科目）: 一般公共预算 and 政府性基金 together (Jiangsu)
_FISCAL_GRANTS = re.compile(r"财政拨款支出(情况|功能分类|预算)?.{0,4}表")
_EXCLUDED = ("基本支出", "三公", "经济分类", "项目支出")
_OTHER_BUDGETS = ("政府性基金", "国有资本")  # titled so, a table is only of their scopes
_TOTAL_WORDS = ("合计", "总计")
_AMOUNT_FIELDS = ("total", "basic", "project", "personnel", "public", "other")
# marts.fct_expenditure.budget_scope
SCOPES = ("all_funds", "general_public_budget", "fiscal_grants", "government_fund", "state_capital")
_UNTITLED_SCOPES = ("all_funds", "general_public_budget")  # the national template's order
# Header words of the tables that look alike but are not read here (economic codes,
# income, other budgets, projects, 三公, performance targets).
_FOREIGN_HEADER = ("经济分类", "收入", "政府性基金", "国有资本", "项目名称", "三公", "指标")


def scope_of(title: str | None) -> str | None:
    if not title or any(word in title for word in _EXCLUDED):
        return None
    if any(word in title for word in _OTHER_BUDGETS):  # not a 政府性基金收支表
        return vocabulary.meaning(vocabulary.labels(NAME, "scopes", "scope"), title)
    if _GENERAL_PUBLIC.search(title):
        return "general_public_budget"
    if _FISCAL_GRANTS.search(title):
        return "fiscal_grants"
    if _ALL_FUNDS.search(title):
        return "all_funds"
    return None


def matches(table: LogicalTable) -> bool:
    header = table.header_text()
    has_codes = "编码" in header or "代码" in header or ("类" in header and "款" in header)
    has_codes = has_codes or "功能分类科目" in header  # 支出功能分类科目, 功能分类科目名称
    has_codes = has_codes or "科目名称" in header  # 功能科目名称: [201]一般公共服务支出 (广州)
    totals = "合计" in header or "总计" in header
    return scope_of(table.title) is not None and (
        (has_codes and totals) or printed_empty(table) or _by_purpose(table)
    )


def _by_purpose(table: LogicalTable) -> bool:
    """The all-funds total by purpose and no code (Jiangsu's 支出预算总表: 合计 | 基本支出 |
    项目支出 | 单位预留机动经费 | 结转下年资金 over one row of amounts)."""
    labels = header_labels(table)
    texts = {text for column in labels for text in column}
    return (
        scope_of(table.title) == "all_funds"
        and bool(texts & set(_TOTAL_WORDS))
        and has_label(labels, "基本支出")
        and has_label(labels, "项目支出")
        and first_code(table) is None
    )


def matches_header(table: LogicalTable, context: Context) -> bool:
    return header_scope(table, context) is not None


def header_scope(table: LogicalTable, context: Context) -> str | None:
    """The scope of an untitled table recognised by its header, or None."""
    labels = header_labels(table)
    texts = {text for column in labels for text in column}
    has_codes = has_label(labels, "编码", "代码") or {"类", "款", "项"} <= texts
    if not (has_codes and texts & set(_TOTAL_WORDS)):
        return None
    if not has_label(labels, "基本支出") or not has_label(labels, "项目支出"):
        return None
    code = first_code(table)
    if has_label(labels, *_FOREIGN_HEADER) or (code is not None and code[0] != "2"):
        return None
    if has_label(labels, "一般公共预算"):
        seen = context.scopes.get(NAME, [])
        return None if "general_public_budget" in seen else "general_public_budget"
    return context.next_scope(NAME, _UNTITLED_SCOPES)


@dataclass
class Columns(CodeColumns):
    """Where each field sits; an amount may be the sum of several columns."""

    amounts: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_header(cls, header: list[Row]) -> Columns:
        """Where the vocabulary (extract/vocabulary.toml) puts each column."""
        columns = cls(**vars(CodeColumns.from_header(header)))
        found = vocabulary.columns(NAME, column_labels(header))
        columns.amounts = {key: found[key] for key in _AMOUNT_FIELDS if key in found}
        return columns


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    scope = scope_of(table.title) or header_scope(table, context)
    assert scope is not None
    context.note_scope(NAME, scope)
    if printed_empty(table):  # a fact, not rows
        context.note_empty(table)
        return {NAME: []}
    header, body = header_and_body(table)
    columns = Columns.from_header(header)
    context.note_unknown(
        table,
        vocabulary.unknown(NAME, column_labels(header), (r for *_, r in body), columns.known()),
    )
    unit = table.unit or context.default_unit or DEFAULT_UNIT
    decimals = max(
        (decimals_of(row[c]) for _, _, row in body for cs in columns.amounts.values() for c in cs),
        default=0,
    )
    records: list[Record] = []
    reader = CodeReader(columns)
    unnamed: set[str] = set()  # the 类 with a name under it of no code the budgets read
    for page_number, row_index, row in body:
        if is_column_numbers(row):
            continue  # a 栏次 row (** | 1 | 2 …) under the header
        code, name = reader.read(row)
        amounts = _amounts(row, columns, unit, context, table, page_number)
        if amounts is None:
            continue
        if carried_text(row, columns) and records:  # the row above's name, wrapped
            records[-1]["name"] = (records[-1]["name"] or "") + carried_text(row, columns)
        if not code and not any(v is not None for v in amounts.values()):
            if name and records:  # a cell wrapped over a page break: rejoin its text
                records[-1]["name"] = (records[-1]["name"] or "") + name
            continue
        texts = {normalize_text(cell) for cell in row[: (columns.name or 3) + 1]}
        kind = "code" if code else ("total" if texts & set(_TOTAL_WORDS) else "unit")
        if kind == "unit" and reader.names_only:
            code = reader.by_name(name)
            if not code:
                unnamed.add(reader.last_class or "?")
                continue
            kind = "code"
        unit_code = row[columns.unit_code] if columns.unit_code is not None else None
        records.append(
            {
                **context.lineage(table, page_number, row_index),
                "budget_scope": scope,
                "amount_unit": unit,
                "decimals": decimals,
                "row_kind": kind,
                "function_code": code or None,
                "code_level": {3: 1, 5: 2, 7: 3}[len(code)] if code else None,
                "unit_code": normalize_text(unit_code) or None if kind == "unit" else None,
                "name": name if kind != "total" else "合计",
                **{f"{field}_yuan": amounts[field] for field in _AMOUNT_FIELDS},
            }
        )
    if columns.economic:  # a row per function x economic code: the function's is their sum
        records = merge_codes(records, [f"{field}_yuan" for field in _AMOUNT_FIELDS])
    if unnamed:  # a 类 whose rows are not all known is staged alone: no identity half-read
        records = [r for r in records if not _under(r["function_code"], unnamed)]
    figures = {f"{field}_yuan" for field in _AMOUNT_FIELDS}
    records = fold_department(records, lambda row: {f: row[0][f] for f in figures}, "total_yuan")
    _unit_as_total(records)
    return {NAME: records}


def _under(code: str | None, classes: set[str]) -> bool:
    """Whether `code` is a 款 or 项 of one of `classes`."""
    return code is not None and len(code) > 3 and code[:3] in classes


def _unit_as_total(records: list[Record]) -> None:
    """深圳 prints no 合计 but one 预算单位 row (深圳市统计局（本级）) over the codes: the
    unit's total is the table's. Several unit rows stay units (or fold into the department's
    line, coded_rows.fold_department)."""
    units = [r for r in records if r["row_kind"] == "unit"]
    if len(units) == 1 and not any(r["row_kind"] == "total" for r in records):
        units[0].update(row_kind="total", name="合计", unit_code=None)


def _amounts(
    row: Row, columns: Columns, unit: str, context: Context, table: LogicalTable, page: int
) -> dict[str, Decimal | None] | None:
    values: dict[str, Decimal | None] = dict.fromkeys(_AMOUNT_FIELDS)
    for key, cells in columns.amounts.items():
        total = Decimal(0)
        for c in cells:
            try:
                total += parse_amount(row[c] if c < len(row) else None) or Decimal(0)
            except ValueError as exc:
                if (
                    c == cells[0]
                    and key == "total"
                    and not any(ch.isdigit() for ch in row[c] or "")
                ):
                    return None  # a repeated header or note row, not data
                context.problems.append(
                    Problem("amount_parses", page, table.title, f"page {page}: {exc} in {row}")
                )
        values[key] = to_yuan(total, unit)
    if all(_blank(row[c]) for cs in columns.amounts.values() for c in cs if c < len(row)):
        return dict.fromkeys(_AMOUNT_FIELDS)
    return values


def _blank(cell: str | None) -> bool:
    try:
        return parse_amount(cell) is None
    except ValueError:
        return False
