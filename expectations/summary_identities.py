"""Identities of the 收支总表 (budget_summary) and the 收入总表 (income_sources).

Within each 收支总表 (one logical table, both halves):
(i) the income total equals the expenditure total (收入总计 = 支出总计); blocks;
(ii) the expenditure classes sum to the current-year total (本年支出合计, 一、本年支出), or,
    where none is printed, to the total less the carryover lines. Blocks when every
    expenditure item with an amount was matched to a function class; warns otherwise
    (a line the class list does not know may be a class or a sub-item);
(iii) the income items sum likewise to the current-year income, a merged source group
    counting once (its 小计 line where it prints one). Warns: income halves nest their
    sources in more ways than one can tell apart from the print.

Within each 收入总表, per source column:
(iv) a 类 / 款 row equals the sum of its children, and the total row the sum of its unit
    rows or 类 rows (the function-table identities (a) and (b), source by source); blocks;
(v) on every row, 合计 equals the sum of the other sources; warns (a source column may
    nest others, e.g. 财政拨款 over 一般公共预算 and 政府性基金).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from expectations.findings import WARN, fmt_printed, to_decimal, to_int, to_str
from expectations.identities import (
    AmountParseError,
    _amounts,
    _Builder,
    _code_level,
    _parent_identities,
    _Row,
    _tables,
    _total_identities,
)

if TYPE_CHECKING:
    import pandas as pd


def _line(rec: dict[Any, Any], errors: list[AmountParseError]) -> _Row:
    name = to_str(rec.get("line_name")) or to_str(rec.get("group_name")) or "(unlabelled line)"
    row = _Row.printed(
        rec,
        kind="category" if to_str(rec.get("class_code")) else to_str(rec.get("line_kind")),
        code=to_str(rec.get("class_code")),
        level=to_int(rec.get("line_level")),
        name=name,
        unit_code=to_str(rec.get("group_name")),  # the merged source group, if any
        text=f"{to_str(rec.get('side'))} line '{name}'",
    )
    _amounts(rec, row, ("amount",), errors)
    return row


def _last(lines: Sequence[tuple[str, _Row]], kind: str) -> _Row | None:
    found = [row for k, row in lines if k == kind and row.amounts["amount"] is not None]
    return found[-1] if found else None


def _against_current_total(
    builder: _Builder,
    check: str,
    lines: Sequence[tuple[str, _Row]],
    parts: Sequence[_Row],
    what: str,
    severity: str,
) -> None:
    """`parts` against the current-year total, else against the total less carryovers."""
    current = _last(lines, "current_total")
    if current is not None:
        builder.add_sum(check, current, "amount", parts, what, severity=severity)
        return
    total = _last(lines, "total")
    if total is None:
        return
    carry = [row for k, row in lines if k == "carryover" and row.level == 1]
    expected = sum((r.amounts["amount"] or Decimal(0) for r in [*parts, *carry]), Decimal(0))
    n = len(parts) + len(carry)
    words = f"its {len(parts)} {what} lines and {len(carry)} carryover lines sum to"
    builder.add(check, total, "amount", expected, n, words, severity=severity)


def _income_items(lines: Sequence[tuple[str, _Row]]) -> list[_Row]:
    """The income lines a current-year total sums: one per source (a group by its 小计)."""
    items = [row for kind, row in lines if kind == "item" and row.amounts["amount"] is not None]
    level = min((row.level or 1 for row in items), default=1)
    chosen: list[_Row] = []
    groups: dict[str, list[_Row]] = {}
    for row in items:
        if (row.level or 1) != level:
            continue
        if row.unit_code:  # a merged group label over it
            groups.setdefault(row.unit_code, []).append(row)
        else:
            chosen.append(row)
    for members in groups.values():
        subtotal = [r for r in members if r.name == "小计"]
        chosen.extend(subtotal[:1] or members)
    return chosen


def budget_summary_identities(
    document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's 收支总表 lines."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    for table_index, table in _tables(frame):
        builder = _Builder(document_id, to_int(table_index), "budget_summary", "amount")
        sides: dict[str, list[tuple[str, _Row]]] = {"income": [], "expenditure": []}
        for rec in table.to_dict("records"):
            side = to_str(rec.get("side"))
            if side in sides:
                sides[side].append((to_str(rec.get("line_kind")) or "item", _line(rec, errors)))
        income, spending = sides["income"], sides["expenditure"]
        income_total, spending_total = _last(income, "total"), _last(spending, "total")
        if income_total is not None and spending_total is not None:
            printed = fmt_printed(
                income_total.amounts["amount"] or Decimal(0),
                income_total.amount_unit,
                income_total.decimals,
            )
            builder.add(
                "summary_income_total_equals_expenditure_total",
                spending_total,
                "amount",
                income_total.amounts["amount"] or Decimal(0),
                2,
                f"the income half's '{income_total.name}' prints {printed}, not",
            )
        items = [r for kind, r in spending if kind == "item" and r.amounts["amount"] is not None]
        classes = [r for r in items if r.code]
        if classes:
            severity = "block" if len(classes) == len(items) else WARN
            _against_current_total(
                builder, "summary_classes_sum_to_expenditure", spending, classes, "class", severity
            )
        sources = _income_items(income)
        if sources:
            _against_current_total(
                builder, "summary_income_items_sum_to_income", income, sources, "income", WARN
            )
        records.extend(builder.records)
    return records, errors


# --------------------------------------------------------------------------- income by source


def _source_rows(table: pd.DataFrame, errors: list[AmountParseError]) -> list[_Row]:
    """One _Row per printed row, its amounts keyed by source (two columns of a source add)."""
    rows: dict[Any, _Row] = {}
    for rec in table.to_dict("records"):
        key = rec.get("row_index")
        code = to_str(rec.get("function_code"))
        row = rows.get(key)
        if row is None:
            row = rows[key] = _Row.printed(
                rec,
                kind=to_str(rec.get("row_kind")),
                code=code,
                level=_code_level(code),
                name=to_str(rec.get("name")),
                unit_code=to_str(rec.get("unit_code")),
            )
        source = to_str(rec.get("income_source")) or "other"
        try:
            value = to_decimal(rec.get("amount_yuan"))
        except ValueError:
            errors.append(
                AmountParseError(row.page, row.title, row.label, source, rec.get("amount_yuan"))
            )
            continue
        if value is not None:
            row.amounts[source] = (row.amounts.get(source) or Decimal(0)) + value
    return list(rows.values())


def income_sources_identities(
    document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's income-by-source rows."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    for table_index, table in _tables(frame):
        builder = _Builder(document_id, to_int(table_index), "income_sources", "total")
        rows = _source_rows(table, errors)
        sources = sorted({s for row in rows for s in row.amounts})
        if "total" not in sources:
            continue
        for row in rows:  # a source left blank on a row is 0 there
            for source in sources:
                row.amounts.setdefault(source, None)
        columns = ["total", *(s for s in sources if s != "total")]
        _parent_identities(builder, rows, columns)
        _total_identities(builder, rows, columns)
        others = [s for s in columns if s != "total"]
        for row in rows:
            if row.amounts["total"] is None or not others:
                continue
            parts = [row.amounts[s] or Decimal(0) for s in others]
            builder.add(
                "income_total_equals_sum_of_sources",
                row,
                "total",
                sum(parts, Decimal(0)),
                len(others),
                " + ".join(others) + " =",
                severity=WARN,
            )
        records.extend(builder.records)
    return records, errors


# --------------------------------------------------------------- against the function tables

# (summary table_kind, its column, the function table's budget_scope it restates by class)
_RESTATED = (
    ("all_funds", "amount", "all_funds"),
    ("fiscal_grants", "general_public_budget", "general_public_budget"),
)


def _class_figures(functions: pd.DataFrame, scope: str) -> dict[str, tuple[Decimal, Any, Any]]:
    """类 code -> (total, page, title) in the first function table of `scope`: the 类 row,
    or the sum of the deepest rows under it where the table prints no 类 rows."""
    rows = functions[(functions["budget_scope"] == scope) & (functions["row_kind"] == "code")]
    if len(rows) == 0:
        return {}
    rows = rows[rows["table_index"] == rows["table_index"].min()]
    figures: dict[str, tuple[Decimal, Any, Any]] = {}
    codes = [to_str(code) or "" for code in rows["function_code"]]
    deepest = max((len(code) for code in codes), default=0)
    printed_classes = {code for code in codes if len(code) == 3}
    for rec, code in zip(rows.to_dict("records"), codes, strict=True):
        value = to_decimal(rec.get("total_yuan")) or Decimal(0)
        where = (to_int(rec.get("page_number")), to_str(rec.get("table_title")))
        if len(code) == 3:
            figures[code] = (value, *where)
        elif len(code) == deepest and code[:3] not in printed_classes:
            total, _, _ = figures.get(code[:3], (Decimal(0), None, None))
            figures[code[:3]] = (total + value, *where)
    return figures


def summary_crosscheck_identities(
    document_id: str, frames: Mapping[str, pd.DataFrame | None]
) -> list[dict[str, Any]]:
    """Each class of a 收支总表 against the same class in the function table it restates.

    Warns: a 收支总表 that disagrees with the function table is reported, the tables' own
    identities decide whether the document loads."""
    summary, functions = frames.get("budget_summary"), frames.get("function_expenditure")
    if summary is None or functions is None or len(summary) == 0 or len(functions) == 0:
        return []
    records: list[dict[str, Any]] = []
    errors: list[AmountParseError] = []
    for kind, column, scope in _RESTATED:
        figures = _class_figures(functions, scope)
        lines = summary[(summary["table_kind"] == kind) & summary["class_code"].notna()]
        if not figures or len(lines) == 0:
            continue
        lines = lines[lines["table_index"] == lines["table_index"].min()]
        builder = _Builder(document_id, to_int(lines["table_index"].iloc[0]), "budget_summary")
        for rec in lines.to_dict("records"):
            figure = figures.get(to_str(rec.get("class_code")) or "")
            row = _line(rec, errors)
            row.amounts[column] = to_decimal(rec.get(f"{column}_yuan"))
            if figure is None or row.amounts[column] is None:
                continue
            value, page, title = figure
            builder.add(
                f"summary_{column}_matches_function_table",
                row,
                column,
                value,
                2,
                f"page {page}, table '{title or '(untitled)'}' prints class {row.code} as",
                severity=WARN,
            )
        records.extend(builder.records)
    return records
