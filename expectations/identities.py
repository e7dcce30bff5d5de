"""Reconciliation identities of the function-classification tables, as an "identity frame".

One row per checked identity, with the printed value (`actual`), the sum it must equal
(`expected`) and `excess` = |expected - actual| - tolerance, in yuan. The frame is then
validated by Great Expectations (excess <= 0), so the failing identities come back from GX.

Identities, within each logical table (`table_index`) of function_expenditure:
(a) a 类 (3-digit) or 款 (5-digit) row equals the sum of its direct children printed under
    it (the 5-digit rows of a 类, the 7-digit rows of a 款), for total, basic and project;
(b) the total row equals the sum of the unit rows when the table prints them, else of the
    类 rows, else (no 类 printed, e.g. 类/款/项 split into columns) of the deepest rows;
    a unit row likewise equals the sum of the code rows printed under it;
(c) on every row, total = basic + project when the table prints both columns.
A basic/project cell left empty in a table that prints that column means 0; a table that
prints neither column (all empty) skips those checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from expectations.findings import (
    fmt_printed,
    fmt_yuan,
    to_decimal,
    to_int,
    to_str,
    tolerance_yuan,
)

if TYPE_CHECKING:
    import pandas as pd

AMOUNTS = ("total", "basic", "project")
IDENTITY_COLUMNS = [
    "identity_id",
    "document_id",
    "page_number",
    "table_index",
    "table_title",
    "check",
    "function_code",
    "name",
    "expected",
    "actual",
    "tolerance",
    "excess",
    "detail",
]
# Without these columns there is nothing to reconcile (gate 1 reports them missing); any other
# missing column reads as empty cells.
NEEDED_COLUMNS = ("table_index", "row_index", "row_kind", "function_code", "total_yuan")
_LEVEL_BY_LENGTH = {3: 1, 5: 2, 7: 3}
_LEVEL_NAME = {1: "类", 2: "款", 3: "项"}


@dataclass
class _Row:
    kind: str | None
    code: str | None
    level: int | None  # from the code's length: 1 类, 2 款, 3 项; None when not a valid code
    name: str | None
    unit_code: str | None
    page: int | None
    title: str | None
    amount_unit: str | None
    decimals: int | None
    amounts: dict[str, Decimal | None]

    @property
    def label(self) -> str:
        if self.kind == "code":
            return " ".join(p for p in (self.code, self.name) if p) or "code row"
        if self.kind == "unit":
            return "unit row " + " ".join(p for p in (self.unit_code, self.name) if p)
        return f"total row '{self.name}'" if self.name else "total row"


@dataclass
class AmountParseError:
    page: int | None
    title: str | None
    label: str
    column: str
    value: Any


def _code_level(code: str | None) -> int | None:
    if code is None or not code.isdigit():
        return None
    return _LEVEL_BY_LENGTH.get(len(code))


def _rows(table: pd.DataFrame, errors: list[AmountParseError]) -> list[_Row]:
    rows = []
    for rec in table.to_dict("records"):
        code = to_str(rec.get("function_code"))
        code = code.strip() if code else None
        row = _Row(
            kind=to_str(rec.get("row_kind")),
            code=code,
            level=_code_level(code),
            name=to_str(rec.get("name")),
            unit_code=to_str(rec.get("unit_code")),
            page=to_int(rec.get("page_number")),
            title=to_str(rec.get("table_title")),
            amount_unit=to_str(rec.get("amount_unit")),
            decimals=to_int(rec.get("decimals")),
            amounts={},
        )
        for col in AMOUNTS:
            raw = rec.get(f"{col}_yuan")
            try:
                row.amounts[col] = to_decimal(raw)
            except ValueError:
                row.amounts[col] = None
                errors.append(AmountParseError(row.page, row.title, row.label, f"{col}_yuan", raw))
        rows.append(row)
    return rows


class _Builder:
    def __init__(self, document_id: str, table_index: int | None) -> None:
        self.document_id = document_id
        self.table_index = table_index
        self.records: list[dict[str, Any]] = []

    def add_sum(self, check: str, row: _Row, column: str, parts: Sequence[_Row], what: str) -> None:
        """`row` against the sum of `parts`; skipped when a part's total is empty (reported by
        amount_parses), as that sum means nothing."""
        if column == "total" and any(p.amounts["total"] is None for p in parts):
            return
        n = len(parts)
        rows = "row sums" if n == 1 else "rows sum"
        self.add(check, row, column, _sum(parts, column), n, f"its {n} {what} {rows} to")

    def add(
        self,
        check: str,
        row: _Row,
        column: str,
        expected: Decimal,
        n_terms: int,
        what: str,
    ) -> None:
        actual = row.amounts[column] or Decimal(0)
        tolerance = tolerance_yuan(n_terms, row.amount_unit, row.decimals)
        off = abs(expected - actual)

        def printed(value: Decimal) -> str:
            return fmt_printed(value, row.amount_unit, row.decimals)

        unit = row.amount_unit or ""
        detail = (
            f"page {row.page}, table '{row.title or '(untitled)'}': {row.label} {column} "
            f"prints {printed(actual)} {unit} but {what} {printed(expected)} {unit} "
            f"(off by {printed(off)}, tolerance {printed(tolerance)})"
        )
        self.records.append(
            {
                "document_id": self.document_id,
                "page_number": row.page,
                "table_index": self.table_index,
                "table_title": row.title,
                "check": check,
                "function_code": row.code if row.kind == "code" else None,
                "name": row.name,
                "expected": fmt_yuan(expected),
                "actual": fmt_yuan(actual),
                "tolerance": fmt_yuan(tolerance),
                "excess": float(off - tolerance),
                "detail": detail,
            }
        )


def _sum(rows: Iterable[_Row], column: str) -> Decimal:
    return sum((r.amounts[column] or Decimal(0) for r in rows), Decimal(0))


def _children(rows: Sequence[_Row], i: int) -> list[_Row]:
    """Direct children printed under rows[i]: the following rows inside its code prefix."""
    parent = rows[i]
    assert parent.code is not None and parent.level is not None
    children = []
    for row in rows[i + 1 :]:
        if row.kind != "code" or row.code is None or not row.code.startswith(parent.code):
            break
        if row.level is None:
            continue  # a malformed code under the parent (reported by function_code_format)
        if row.level <= parent.level:
            break
        if row.level == parent.level + 1:
            children.append(row)
    return children


def _top_rows(code_rows: Sequence[_Row]) -> tuple[list[_Row], str]:
    """The rows a total sums: the 类 rows, else the deepest printed rows (leaves)."""
    valid = [r for r in code_rows if r.level is not None and r.code is not None]
    classes = [r for r in valid if r.level == 1]
    if classes:
        return classes, "类"
    leaves = [
        r
        for r in valid
        if not any(
            o is not r
            and o.code is not None
            and r.code is not None
            and len(o.code) > len(r.code)
            and o.code.startswith(r.code)
            for o in valid
        )
    ]
    return leaves, "deepest"


def _parent_identities(builder: _Builder, rows: list[_Row], columns: list[str]) -> None:
    """(a) 类 / 款 rows against their direct children."""
    for i, row in enumerate(rows):
        if row.kind != "code" or row.level not in (1, 2) or row.amounts["total"] is None:
            continue
        children = _children(rows, i)
        if children:
            level = _LEVEL_NAME[row.level + 1]
            for col in columns:
                check = f"function_{col}_equals_sum_of_children"
                builder.add_sum(check, row, col, children, level)


def _total_identities(builder: _Builder, rows: list[_Row], columns: list[str]) -> None:
    """(b) unit rows against the codes under them; total rows against units, 类 or leaves."""
    units = [i for i, r in enumerate(rows) if r.kind == "unit"]
    for pos, i in enumerate(units):
        end = units[pos + 1] if pos + 1 < len(units) else len(rows)
        under = []
        for r in rows[i + 1 : end]:
            if r.kind != "code":
                break
            under.append(r)
        parts, what = _top_rows(under)
        if parts and rows[i].amounts["total"] is not None:
            for col in columns:
                builder.add_sum(f"unit_{col}_equals_sum_of_rows", rows[i], col, parts, what)
    if units:
        parts, what = [rows[i] for i in units], "unit"
    else:
        parts, what = _top_rows([r for r in rows if r.kind == "code"])
    if not parts:
        return
    for row in rows:
        if row.kind == "total" and row.amounts["total"] is not None:
            for col in columns:
                builder.add_sum(f"table_{col}_equals_sum_of_rows", row, col, parts, what)


def _split_identities(builder: _Builder, rows: list[_Row]) -> None:
    """(c) total = basic + project on every row (the table prints both columns)."""
    for row in rows:
        if row.amounts["total"] is None:
            continue
        basic = row.amounts["basic"] or Decimal(0)
        project = row.amounts["project"] or Decimal(0)
        builder.add(
            "total_equals_basic_plus_project",
            row,
            "total",
            basic + project,
            2,
            f"basic {fmt_printed(basic, row.amount_unit, row.decimals)} + project "
            f"{fmt_printed(project, row.amount_unit, row.decimals)} =",
        )


def _table_identities(builder: _Builder, rows: list[_Row]) -> None:
    printed = {col for col in ("basic", "project") if any(r.amounts[col] is not None for r in rows)}
    columns = [c for c in AMOUNTS if c == "total" or c in printed]
    _parent_identities(builder, rows, columns)
    _total_identities(builder, rows, columns)
    if printed == {"basic", "project"}:
        _split_identities(builder, rows)


def function_identity_frame(
    document_id: str, frame: pd.DataFrame
) -> tuple[pd.DataFrame, list[AmountParseError]]:
    """The identity frame of one document's function_expenditure rows."""
    import pandas as pd

    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    ordered = frame.sort_values(["table_index", "row_index"], kind="stable", na_position="last")
    for table_index, table in ordered.groupby("table_index", sort=True, dropna=False):
        builder = _Builder(document_id, to_int(table_index))
        _table_identities(builder, _rows(table, errors))
        records.extend(builder.records)
    for i, rec in enumerate(records):
        rec["identity_id"] = i
    return pd.DataFrame.from_records(records, columns=IDENTITY_COLUMNS), errors
