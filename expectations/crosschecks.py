"""The totals stated in the narrative (预算情况说明) against the tables of the same document.

One identity-frame row per narrative statement that has a table figure to compare with,
with severity 'warn': the narrative is prose, it rounds ("人员经费支出3068万元" where the
table prints 3,067.9), and a document whose tables agree with each other is good data even
when its prose drifts. The tolerance is half a unit of the narrative's last printed digit
plus half a unit of the table's (expectations.findings.crosscheck_tolerance_yuan).

Table figures, by narrative item:
- income_total, expenditure_total: the total row of the all_funds function table (the
  general_public_budget one when the document prints no all_funds table);
- basic, project: that total row's basic / project columns;
- personnel, public: that total row's columns where printed, else the total row of the
  basic-expenditure table;
- general_public_budget: the total row of the general_public_budget function table;
- three_public: the total of the "三公" table (source 'table'; prose against prose checks
  nothing).
The first table by page wins where several qualify, as in marts.fct_narrative_check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from expectations.catalog import identity
from expectations.findings import (
    WARN,
    crosscheck_tolerance_yuan,
    fmt_printed,
    fmt_yuan,
    printed_decimals,
    to_decimal,
    to_int,
    to_str,
)
from expectations.identities import three_public_decimals
from extract.verdicts import Reason

if TYPE_CHECKING:
    import pandas as pd

ITEM_NAMES = {
    "income_total": "收入总计",
    "expenditure_total": "支出总计",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "general_public_budget": "一般公共预算支出",
    "three_public": "“三公”经费",
}


@dataclass(frozen=True)
class TableFigure:
    """A printed table figure a narrative item restates."""

    value: Decimal
    page: int | None
    title: str | None
    amount_unit: str | None
    decimals: int | None
    what: str  # e.g. "total row 合计, column basic"


def _first_rows(frame: pd.DataFrame | None, **equal: str) -> list[dict[Any, Any]]:
    """The rows of `frame` whose columns equal `equal`, in printed order (page, table, row)."""
    if frame is None or len(frame) == 0 or any(c not in frame.columns for c in equal):
        return []
    mask = None
    for column, value in equal.items():
        hit = frame[column] == value
        mask = hit if mask is None else mask & hit
    rows = frame[mask] if mask is not None else frame
    order = [c for c in ("page_number", "table_index", "row_index") if c in rows.columns]
    if order:
        rows = rows.sort_values(order, kind="stable", na_position="last")
    return rows.to_dict("records")


def _amount(row: Mapping[str, Any], column: str) -> Decimal | None:
    try:
        return to_decimal(row.get(column))
    except ValueError:
        return None  # reported by amount_parses


def _figure(row: Mapping[str, Any] | None, column: str, kind: str) -> TableFigure | None:
    if row is None:
        return None
    value = _amount(row, column)
    if value is None:
        return None
    name = to_str(row.get("name")) or to_str(row.get("economic_name")) or kind
    return TableFigure(
        value=value,
        page=to_int(row.get("page_number")),
        title=to_str(row.get("table_title")),
        amount_unit=to_str(row.get("amount_unit")),
        decimals=to_int(row.get("decimals")),
        what=f"{kind} row {name}, column {column.removesuffix('_yuan')}",
    )


def table_figures(frames: Mapping[str, pd.DataFrame | None]) -> dict[str, TableFigure]:
    """The table figure each narrative item is checked against, by item."""
    function = frames.get("function_expenditure")
    all_funds = next(iter(_first_rows(function, row_kind="total", budget_scope="all_funds")), None)
    public_budget = next(
        iter(_first_rows(function, row_kind="total", budget_scope="general_public_budget")), None
    )
    main = all_funds or public_budget
    basic_total = next(iter(_first_rows(frames.get("basic_expenditure"), row_kind="total")), None)
    candidates: dict[str, list[TableFigure | None]] = {
        "income_total": [_figure(main, "total_yuan", "total")],
        "expenditure_total": [_figure(main, "total_yuan", "total")],
        "basic": [_figure(main, "basic_yuan", "total")],
        "project": [_figure(main, "project_yuan", "total")],
        "personnel": [
            _figure(main, "personnel_yuan", "total"),
            _figure(basic_total, "personnel_yuan", "total"),
        ],
        "public": [
            _figure(main, "public_yuan", "total"),
            _figure(basic_total, "public_yuan", "total"),
        ],
        "general_public_budget": [_figure(public_budget, "total_yuan", "total")],
        "three_public": [_three_public_total(frames.get("three_public"))],
    }
    return {
        item: figure
        for item, figures in candidates.items()
        if (figure := next((f for f in figures if f is not None), None)) is not None
    }


def _three_public_total(frame: pd.DataFrame | None) -> TableFigure | None:
    rows = _first_rows(frame, source="table", category="total")
    if not rows:
        return None
    total = rows[0]
    value = _amount(total, "amount_yuan")
    if value is None:
        return None
    assert frame is not None
    unit = to_str(total.get("amount_unit"))
    same_table = _first_rows(frame, source="table")
    table_index = to_int(total.get("table_index"))
    amounts = [
        _amount(r, "amount_yuan") for r in same_table if to_int(r.get("table_index")) == table_index
    ]
    name = to_str(total.get("category_name")) or "total"
    return TableFigure(
        value=value,
        page=to_int(total.get("page_number")),
        title=to_str(total.get("table_title")),
        amount_unit=unit,
        decimals=three_public_decimals(amounts, unit),
        what=f"{name} (total)",
    )


def narrative_identities(
    document_id: str, frames: Mapping[str, pd.DataFrame | None]
) -> list[dict[str, Any]]:
    """One warn-severity identity row per narrative statement with a table figure."""
    narrative = frames.get("narrative_totals")
    if narrative is None or len(narrative) == 0:
        return []
    figures = table_figures(frames)
    records: list[dict[str, Any]] = []
    for row in _first_rows(narrative):
        item = to_str(row.get("item"))
        figure = figures.get(item or "")
        stated = _amount(row, "amount_yuan")
        if item is None or figure is None or stated is None:
            continue
        records.append(_record(document_id, item, row, stated, figure))
    return records


def _record(
    document_id: str,
    item: str,
    row: Mapping[str, Any],
    stated: Decimal,
    figure: TableFigure,
) -> dict[str, Any]:
    page = to_int(row.get("page_number"))
    unit = to_str(row.get("amount_unit"))
    decimals = printed_decimals(stated, unit)
    tolerance = crosscheck_tolerance_yuan(unit, decimals, figure.amount_unit, figure.decimals)
    off = abs(stated - figure.value)

    def in_stated_unit(value: Decimal) -> str:
        return f"{fmt_printed(value, unit, decimals)} {unit or ''}".rstrip()

    table_printed = fmt_printed(figure.value, figure.amount_unit, figure.decimals)
    detail = (
        f"page {page}: the narrative states {ITEM_NAMES.get(item, item)} ({item}) "
        f"{in_stated_unit(stated)} but page {figure.page}, table "
        f"'{figure.title or '(untitled)'}' prints {table_printed} {figure.amount_unit or ''} "
        f"({figure.what}) (off by {in_stated_unit(off)}, tolerance {in_stated_unit(tolerance)})"
    )
    check = f"narrative_{item}_matches_table"
    identity(check, WARN)  # only a listed identity (expectations/catalog.py)
    return {
        "document_id": document_id,
        "family": "narrative_totals",
        "severity": WARN,
        "page_number": page,
        "table_index": None,
        "table_title": figure.title,
        "check": check,
        "code": item,
        "name": ITEM_NAMES.get(item),
        "expected": fmt_yuan(figure.value),
        "actual": fmt_yuan(stated),
        "tolerance": fmt_yuan(tolerance),
        "excess": float(off - tolerance),
        "detail": detail,
        "reason": str(Reason.RECONCILIATION),
    }
