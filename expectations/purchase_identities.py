"""Identities of the purchase tables: 政府采购 (procurement) and 政府购买服务
(service_purchase).

Their staged rows are one per printed amount cell (the total column, or a fund source's:
extract/families/purchase_rows.py); each printed row has a kind (total, category, code,
group, item: extract/families/procurement.py). Within each table, column by column:
(p) the 合计 row equals the sum of the category rows where the table prints categories,
    else of the 类 rows (or the deepest code rows) where it lists function codes, else of
    the item rows (the leaves: a group's subtotal is not counted again);
(q) a category row equals the sum of the items printed under it, before the next category;
(r) a group row equals the sum of the items printed right under it (a group directly above
    another group, such as 西安's fund type 全额 over its unit, is not checked);
(s) a 类 / 款 row equals the sum of the 款 / 项 rows printed under it;
all block. And on every row (t): the total equals the sum of the fund-source columns,
where the table prints some; it warns, as the 收入总表's does (a source may be printed in
a column the vocabulary files under another).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from expectations.findings import WARN, to_decimal, to_int, to_str
from expectations.identities import (
    AmountParseError,
    _Builder,
    _children,
    _code_level,
    _Row,
    _tables,
    _top_rows,
)

if TYPE_CHECKING:
    import pandas as pd

TOTAL = "total"


def _printed_rows(
    table: pd.DataFrame, errors: list[AmountParseError]
) -> tuple[list[_Row], dict[str, str]]:
    """One _Row per printed row, its amounts keyed by the column's printed name; and each
    column's fund source."""
    rows: dict[Any, _Row] = {}
    sources: dict[str, str] = {}
    for rec in table.to_dict("records"):
        index = to_int(rec.get("row_index"))
        column = to_str(rec.get("source_name")) or to_str(rec.get("fund_source")) or TOTAL
        source = to_str(rec.get("fund_source")) or "other"
        if source == TOTAL:
            column = TOTAL  # one total column per table, whatever its printed label
        sources.setdefault(column, source)
        row = rows.get(index)
        if row is None:
            kind = to_str(rec.get("row_kind"))
            code = to_str(rec.get("function_code"))
            if kind == "category":
                code = to_str(rec.get("category"))
            name = to_str(rec.get("name")) or to_str(rec.get("catalogue"))
            row = _Row.printed(
                rec,
                kind=kind,
                code=code,
                level=_code_level(code) if kind == "code" else None,
                name=name,
                unit_code=to_str(rec.get("unit_code")),
                text=f"{kind} row '{name or code or ''}'",
            )
            rows[index] = row
        try:
            row.amounts[column] = to_decimal(rec.get("amount_yuan"))
        except ValueError:
            row.amounts[column] = None
            errors.append(
                AmountParseError(row.page, row.title, row.label, column, rec.get("amount_yuan"))
            )
    ordered = [rows[i] for i in sorted(rows, key=lambda i: -1 if i is None else i)]
    for row in ordered:  # a column left blank on a row is 0 there
        for column in sources:
            row.amounts.setdefault(column, None)
    return ordered, sources


def _under(rows: Sequence[_Row], i: int, stop: tuple[str, ...]) -> list[_Row]:
    """The item rows printed after rows[i], up to the first row of a kind in `stop`."""
    items = []
    for row in rows[i + 1 :]:
        if row.kind in stop:
            break
        if row.kind == "item":
            items.append(row)
    return items


class _Table:
    """One purchase table's printed rows and its amount columns (the total first)."""

    def __init__(self, builder: _Builder, rows: list[_Row], sources: dict[str, str]) -> None:
        self.builder = builder
        self.rows = rows
        self.sources = sources
        self.columns = [TOTAL, *(c for c in sources if c != TOTAL)]

    def sum(self, kind: str, row: _Row, parts: Sequence[_Row], what: str, ending: str) -> None:
        """`row` against the sum of `parts`, column by column."""
        for column in self.columns:
            check = f"purchase_{kind}_{self.sources[column]}_equals_sum_of_{ending}"
            self.builder.add_sum(check, row, column, parts, what)

    def total(self) -> None:
        """(p) the 合计 row against the categories, else the 类 (or deepest) codes, else
        the items."""
        categories = [r for r in self.rows if r.kind == "category"]
        codes = [r for r in self.rows if r.kind == "code"]
        if categories:
            top, what = categories, "category"
        elif codes:
            top, what = _top_rows(codes)
        else:
            top, what = [r for r in self.rows if r.kind == "item"], "item"
        for row in self.rows:
            if row.kind == TOTAL and top and row.amounts[TOTAL] is not None:
                self.sum("table", row, top, what, "rows")

    def subtotals(self) -> None:
        """(q) a category against its items, (r) a group against the items right under it."""
        stops = {"category": (TOTAL, "category"), "group": (TOTAL, "category", "group", "code")}
        for i, row in enumerate(self.rows):
            if row.kind in stops and row.amounts[TOTAL] is not None:
                items = _under(self.rows, i, stops[str(row.kind)])
                if items:
                    self.sum(str(row.kind), row, items, "item", "items")

    def codes(self) -> None:
        """(s) a 类 / 款 row against its 款 / 项 rows."""
        codes = [r for r in self.rows if r.kind == "code"]
        for i, row in enumerate(codes):
            if row.level not in (1, 2) or row.amounts[TOTAL] is None:
                continue
            children = _children(codes, i)
            if children:
                self.sum("code", row, children, "款" if row.level == 1 else "项", "children")

    def sources_sum(self) -> None:
        """(t) the total against the fund-source columns (warns)."""
        others = self.columns[1:]
        if not others:
            return
        for row in self.rows:
            if row.amounts[TOTAL] is None:
                continue
            parts = [row.amounts[c] or Decimal(0) for c in others]
            self.builder.add(
                "purchase_total_equals_sum_of_sources",
                row,
                TOTAL,
                sum(parts, Decimal(0)),
                len(others),
                " + ".join(others) + " =",
                severity=WARN,
            )


def purchase_identities(
    family: str, document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's rows of a purchase family."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    for table_index, frame_of_table in _tables(frame):
        builder = _Builder(document_id, to_int(table_index), family, TOTAL)
        rows, sources = _printed_rows(frame_of_table, errors)
        if TOTAL not in sources:
            continue
        table = _Table(builder, rows, sources)
        table.total()
        table.subtotals()
        table.codes()
        table.sources_sum()
        records.extend(builder.records)
    return records, errors


def procurement_identities(
    document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    return purchase_identities("procurement", document_id, frame)


def service_purchase_identities(
    document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    return purchase_identities("service_purchase", document_id, frame)
