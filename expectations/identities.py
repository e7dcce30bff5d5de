"""Reconciliation identities of a document's budget tables, as an "identity frame".

One row per checked identity, with the printed value (`actual`), the sum it must equal
(`expected`) and `excess` = |expected - actual| - tolerance, in yuan. The frame is then
validated by Great Expectations (excess <= 0), so the failing identities come back from GX.
Each row carries the severity expectations/catalog.py lists for its identity: all block
but basic = personnel + public (c), which warns.

Identities, within each logical table (`table_index`) of function_expenditure:
(a) a 类 (3-digit) or 款 (5-digit) row equals the sum of its direct children printed under
    it (the 5-digit rows of a 类, the 7-digit rows of a 款), for total, basic and project;
(b) the total row equals the sum of the unit rows when the table prints them, else of the
    类 rows, else (no 类 printed, e.g. 类/款/项 split into columns) of the deepest rows;
    a unit row likewise equals the sum of the code rows printed under it; where units print
    a 单位编码, a unit's code that begins other units' codes makes it their parent: it equals
    their sum and the total sums only the units without a printed parent;
(c) on every row, total = basic + project (+ other where printed: 事业单位经营支出,
    上缴上级支出, 对附属单位补助支出) when the table prints both columns, and basic =
    personnel + public when it prints 人员经费 and 公用经费 too (this one warns).
A basic/project cell left empty in a table that prints that column means 0; a table that
prints neither column (all empty) skips those checks.

Within each table of basic_expenditure (by economic code), for amount and, where printed,
personnel and public; a table listed by unit is read unit by unit (the code rows printed
under a unit row are that unit's, those under no unit the department's):
(d) a 类 (3-digit) row with 款 (5-digit) rows under the same unit equals their sum, and a
    款 row with 项 (7-digit, 3010201 规范性津补贴) rows equals theirs; in a table split by
    both classifications (301 printed under 501 and again under 505) a row's children are
    the rows under both its codes (30101 | 50101 under 301 | 501);
(e) the total row equals the sum of the department's rows without a printed parent: the
    类 rows, or the 款 rows when no 类 is printed, and a 项 row whose 款 is not printed; and,
    where the table prints units, the sum of the unit rows (those without a parent unit
    by 单位编码); a unit row likewise equals its rows without a printed parent, or, printing
    none, its units;
(f) amount = personnel + public on every row printing both.

Within each "三公" table (source 'table'):
(g) total = overseas_travel + reception + vehicle_total (vehicle_purchase +
    vehicle_operation when vehicle_total is not printed); a category not printed counts 0;
(h) vehicle_total = vehicle_purchase + vehicle_operation.
The 三公 family does not stage the decimals printed: the most decimals any figure of the
table needs stands for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from expectations.catalog import identity
from expectations.findings import (
    BLOCK,
    WARN,
    fmt_printed,
    fmt_yuan,
    printed_decimals,
    to_decimal,
    to_int,
    to_str,
    tolerance_yuan,
)
from extract.verdicts import Reason

if TYPE_CHECKING:
    import pandas as pd

AMOUNTS = ("total", "basic", "project", "other")
BASIC_SPLIT = ("personnel", "public")  # 基本支出 = 人员经费 + 公用经费, where printed
BASIC_AMOUNTS = ("amount", "personnel", "public")
IDENTITY_COLUMNS = [
    "identity_id",
    "document_id",
    "family",
    "severity",  # 'block' | 'warn': which expectation of the suite judges the row
    "page_number",
    "table_index",
    "table_title",
    "check",
    "code",  # function or economic code, 三公 category or narrative item
    "name",
    "expected",
    "actual",
    "tolerance",
    "excess",
    "detail",
    "reason",  # what the row costs its table when it fails (extract.verdicts.Reason)
]
# Without these columns there is nothing to reconcile (gate 1 reports them missing); any other
# missing column reads as empty cells.
NEEDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "function_expenditure": ("table_index", "row_index", "row_kind", "function_code", "total_yuan"),
    "basic_expenditure": ("table_index", "row_index", "row_kind", "economic_code", "amount_yuan"),
    "three_public": ("table_index", "source", "category", "amount_yuan"),
    "budget_summary": ("table_index", "row_index", "side", "line_kind", "amount_yuan"),
    "income_sources": ("table_index", "row_index", "row_kind", "income_source", "amount_yuan"),
    **{
        family: ("table_index", "row_index", "row_kind", "fund_source", "amount_yuan")
        for family in ("procurement", "service_purchase")
    },
    "meeting_training": ("table_index", "row_index", "row_kind", "category", "amount_yuan"),
    "operating_expenses": ("table_index", "row_index", "row_kind", "economic_code", "amount_yuan"),
}
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
    text: str | None = None  # the label, where not made of kind, code and name
    gov_code: str | None = None  # basic_expenditure: the 政府 economic code beside the code

    @classmethod
    def printed(cls, rec: Mapping[Any, Any], **fields: Any) -> _Row:
        """A row as its staged record says it was printed (page, title, amount unit,
        decimals), without amounts yet; `fields` give the rest (kind, code, name, …)."""
        where = {
            "page": to_int(rec.get("page_number")),
            "title": to_str(rec.get("table_title")),
            "amount_unit": to_str(rec.get("amount_unit")),
            "decimals": to_int(rec.get("decimals")),
        }
        return cls(**({"level": None, "unit_code": None, "amounts": {}} | where | fields))

    @property
    def label(self) -> str:
        if self.text is not None:
            return self.text
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


def _amounts(
    rec: Mapping[Any, Any], row: _Row, columns: Sequence[str], errors: list[AmountParseError]
) -> None:
    for col in columns:
        raw = rec.get(f"{col}_yuan")
        try:
            row.amounts[col] = to_decimal(raw)
        except ValueError:
            row.amounts[col] = None
            errors.append(AmountParseError(row.page, row.title, row.label, f"{col}_yuan", raw))


def _rows(
    table: pd.DataFrame,
    errors: list[AmountParseError],
    *,
    code_column: str = "function_code",
    name_column: str = "name",
    columns: Sequence[str] = AMOUNTS,
    gov_code_column: str | None = None,
) -> list[_Row]:
    rows = []
    for rec in table.to_dict("records"):
        code = to_str(rec.get(code_column))
        code = code.strip() if code else None
        gov_code = to_str(rec.get(gov_code_column)) if gov_code_column else None
        kind = to_str(rec.get("row_kind"))
        name = to_str(rec.get(name_column))
        if kind == "unit" and name is None:  # basic_expenditure names a unit in unit_name
            name = to_str(rec.get("unit_name"))
        row = _Row.printed(
            rec,
            kind=kind,
            code=code,
            level=_code_level(code),
            name=name,
            unit_code=to_str(rec.get("unit_code")),
            gov_code=gov_code.strip() if gov_code else None,
        )
        _amounts(rec, row, columns, errors)
        rows.append(row)
    return rows


class _Builder:
    def __init__(
        self,
        document_id: str,
        table_index: int | None,
        family: str = "function_expenditure",
        primary: str = "total",
    ) -> None:
        self.document_id = document_id
        self.table_index = table_index
        self.family = family
        self.primary = primary  # the amount column every row prints (total, amount)
        self.records: list[dict[str, Any]] = []

    def add_sum(
        self,
        check: str,
        row: _Row,
        column: str,
        parts: Sequence[_Row],
        what: str,
        severity: str = BLOCK,
    ) -> None:
        """`row` against the sum of `parts`; skipped when a part's primary amount is empty
        (reported by amount_parses), as that sum means nothing."""
        if column == self.primary and any(p.amounts[self.primary] is None for p in parts):
            return
        n = len(parts)
        rows = "row sums" if n == 1 else "rows sum"
        what = f"its {n} {what} {rows} to"
        self.add(check, row, column, _sum(parts, column), n, what, severity=severity)

    def add(
        self,
        check: str,
        row: _Row,
        column: str,
        expected: Decimal,
        n_terms: int,
        what: str,
        severity: str = BLOCK,
    ) -> None:
        identity(check, severity)  # only a listed identity, with a listed severity
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
                "family": self.family,
                "severity": severity,
                "page_number": row.page,
                "table_index": self.table_index,
                "table_title": row.title,
                "check": check,
                "code": row.code if row.kind in ("code", "category") else None,
                "name": row.name,
                "expected": fmt_yuan(expected),
                "actual": fmt_yuan(actual),
                "tolerance": fmt_yuan(tolerance),
                "excess": float(off - tolerance),
                "detail": detail,
                "reason": str(Reason.RECONCILIATION),
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
        if not parts:  # a parent unit (117 over 117001, 117002): its units
            parts, what = [rows[j] for j in units if _parent_unit(rows, units, j) == i], "unit"
        if parts and rows[i].amounts["total"] is not None:
            for col in columns:
                builder.add_sum(f"unit_{col}_equals_sum_of_rows", rows[i], col, parts, what)
    if units:
        top = [i for i in units if _parent_unit(rows, units, i) is None]
        parts, what = [rows[i] for i in top], "unit"
    else:
        parts, what = _top_rows([r for r in rows if r.kind == "code"])
    if not parts:
        return
    for row in rows:
        if row.kind == "total" and row.amounts["total"] is not None:
            for col in columns:
                builder.add_sum(f"table_{col}_equals_sum_of_rows", row, col, parts, what)


def _parent_unit(rows: Sequence[_Row], units: Sequence[int], i: int) -> int | None:
    """The unit row whose 单位编码 is the longest to begin unit row i's, if any is printed."""
    code = rows[i].unit_code
    parents = [
        j
        for j in units
        if code and rows[j].unit_code and j != i
        and code.startswith(rows[j].unit_code or "") and len(code) > len(rows[j].unit_code or "")
    ]  # fmt: skip
    return max(parents, key=lambda j: len(rows[j].unit_code or ""), default=None)


def _split_identities(
    builder: _Builder,
    rows: list[_Row],
    column: str,
    parts: tuple[str, ...],
    severity: str = BLOCK,
) -> None:
    """(c) column = the sum of its parts on every row (the table prints them all):
    total = basic + project (+ other), basic = personnel + public. A blank part is 0, but a
    row that leaves 人员经费 and 公用经费 both blank does not split its 基本支出 (Henan 类
    rows). The check is named after the first two parts."""
    for row in rows:
        if row.amounts[column] is None:
            continue
        if column != "total" and all(row.amounts[p] is None for p in parts):
            continue
        values = [row.amounts[p] or Decimal(0) for p in parts]
        builder.add(
            f"{column}_equals_{parts[0]}_plus_{parts[1]}",
            row,
            column,
            sum(values, Decimal(0)),
            len(parts),
            " + ".join(
                f"{p} {fmt_printed(v, row.amount_unit, row.decimals)}"
                for p, v in zip(parts, values, strict=True)
            )
            + " =",
            severity=severity,
        )


def _table_identities(builder: _Builder, rows: list[_Row]) -> None:
    printed = {c for c in AMOUNTS[1:] if any(r.amounts[c] is not None for r in rows)}
    columns = [c for c in AMOUNTS if c == "total" or c in printed]
    _parent_identities(builder, rows, columns)
    _total_identities(builder, rows, columns)
    if {"basic", "project"} <= printed:
        parts = ("basic", "project", "other") if "other" in printed else ("basic", "project")
        _split_identities(builder, rows, "total", parts)
    if "basic" in printed and all(any(r.amounts[c] is not None for r in rows) for c in BASIC_SPLIT):
        _split_identities(builder, rows, "basic", BASIC_SPLIT, WARN)


def identity_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The identity frame of `records`, numbered by `identity_id` (the row's position)."""
    import pandas as pd

    records = [{**rec, "identity_id": i} for i, rec in enumerate(records)]
    frame = pd.DataFrame.from_records(records, columns=IDENTITY_COLUMNS)
    frame["excess"] = frame["excess"].astype("float64")
    return frame


def _tables(frame: pd.DataFrame) -> Iterable[tuple[Any, pd.DataFrame]]:
    ordered = frame.sort_values(["table_index", "row_index"], kind="stable", na_position="last")
    return ordered.groupby("table_index", sort=True, dropna=False)


def function_identities(
    document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's function_expenditure rows."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    for table_index, table in _tables(frame):
        builder = _Builder(document_id, to_int(table_index))
        _table_identities(builder, _rows(table, errors, columns=(*AMOUNTS, *BASIC_SPLIT)))
        records.extend(builder.records)
    return records, errors


def function_identity_frame(
    document_id: str, frame: pd.DataFrame
) -> tuple[pd.DataFrame, list[AmountParseError]]:
    """The identity frame of one document's function_expenditure rows."""
    records, errors = function_identities(document_id, frame)
    return identity_frame(records), errors


# --------------------------------------------------------------------------- basic expenditure


def _under(parent: _Row, row: _Row) -> bool:
    """Whether `row` is printed under `parent`: its code extends the parent's and, where both
    print a 政府 code, so does that (30101 | 50501 is under 301 | 505, not under 301 | 501)."""
    assert parent.code is not None and row.code is not None
    if not row.code.startswith(parent.code) or len(row.code) <= len(parent.code):
        return False
    if parent.gov_code is None or row.gov_code is None:
        return True
    return row.gov_code.startswith(parent.gov_code)


def _basic_top(codes: list[_Row]) -> tuple[list[_Row], str]:
    """The rows without a printed parent, and what they are (类, 款 and unparented 项 …)."""
    top = [r for r in codes if not any(_under(p, r) for p in codes)]
    levels = sorted({r.level for r in top if r.level is not None})
    return top, " and unparented ".join(_LEVEL_NAME[level] for level in levels)


def _basic_segments(rows: list[_Row]) -> tuple[list[_Row], dict[int, list[_Row]]]:
    """The department's code rows (under no unit row), and each unit row's (by position):
    the code rows printed after it up to the next unit or total row."""
    department: list[_Row] = []
    units: dict[int, list[_Row]] = {}
    owner: int | None = None
    for i, row in enumerate(rows):
        if row.kind == "unit":
            owner = i
            units[i] = []
        elif row.kind != "code":
            owner = None
        elif owner is None:
            department.append(row)
        else:
            units[owner].append(row)
    return department, units


def _basic_table_identities(builder: _Builder, rows: list[_Row]) -> None:
    printed = {c for c in ("personnel", "public") if any(r.amounts[c] is not None for r in rows)}
    columns = [c for c in BASIC_AMOUNTS if c == "amount" or c in printed]
    department, by_unit = _basic_segments(rows)
    # well-formed codes only (a malformed one is reported by economic_code_format)
    segments = [
        [r for r in segment if r.code and r.level in (1, 2, 3)]
        for segment in (department, *by_unit.values())
    ]
    for codes in segments:
        _basic_children(builder, codes, columns)
    _basic_wholes(
        builder, rows, dict(zip(by_unit, segments[1:], strict=True)), segments[0], columns
    )
    _basic_split(builder, rows)


def _basic_children(builder: _Builder, codes: list[_Row], columns: list[str]) -> None:
    """(d) a 类 row against the 款 rows of its unit under its code(s), wherever printed; a
    款 row against its 项 rows."""
    for row in codes:
        if row.level not in (1, 2) or row.amounts["amount"] is None:
            continue
        assert row.level is not None
        items = [r for r in codes if r.level == row.level + 1 and _under(row, r)]
        if items:
            for col in columns:
                what = _LEVEL_NAME[row.level + 1]
                builder.add_sum(f"basic_{col}_equals_sum_of_children", row, col, items, what)


def _basic_wholes(
    builder: _Builder,
    rows: list[_Row],
    by_unit: dict[int, list[_Row]],
    department: list[_Row],
    columns: list[str],
) -> None:
    """(e) a unit row against its rows without a printed parent, or its units; the total
    row against the department's rows without a printed parent, and against the units."""
    unit_rows = list(by_unit)
    for i, codes in by_unit.items():
        parts, what = _basic_top(codes)
        if not parts:  # a parent unit (117 over 117001, 117002): its units
            parts = [rows[j] for j in unit_rows if _parent_unit(rows, unit_rows, j) == i]
            what = "unit"
        if parts and rows[i].amounts["amount"] is not None:
            for col in columns:
                builder.add_sum(f"basic_unit_{col}_equals_sum_of_rows", rows[i], col, parts, what)
    wholes = [_basic_top(department)]
    if unit_rows:
        top = [rows[i] for i in unit_rows if _parent_unit(rows, unit_rows, i) is None]
        wholes.append((top, "unit"))
    for parts, what in wholes:
        if not parts:
            continue
        for row in rows:
            if row.kind == "total" and row.amounts["amount"] is not None:
                for col in columns:
                    builder.add_sum(f"basic_table_{col}_equals_sum_of_rows", row, col, parts, what)


def _basic_split(builder: _Builder, rows: list[_Row]) -> None:
    """(f) amount = personnel + public where the row prints both."""
    for row in rows:
        personnel, public = row.amounts["personnel"], row.amounts["public"]
        if row.amounts["amount"] is None or personnel is None or public is None:
            continue
        builder.add(
            "basic_amount_equals_personnel_plus_public",
            row,
            "amount",
            personnel + public,
            2,
            f"personnel {fmt_printed(personnel, row.amount_unit, row.decimals)} + public "
            f"{fmt_printed(public, row.amount_unit, row.decimals)} =",
        )


def basic_identities(
    document_id: str, frame: pd.DataFrame, family: str = "basic_expenditure"
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's basic_expenditure rows (by economic code), or of
    another family's rows by economic code read alike (operating_expenses: 机关运行经费)."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    for table_index, table in _tables(frame):
        builder = _Builder(document_id, to_int(table_index), family, "amount")
        rows = _rows(
            table,
            errors,
            code_column="economic_code",
            name_column="economic_name",
            columns=BASIC_AMOUNTS,
            gov_code_column="gov_economic_code",
        )
        _basic_table_identities(builder, rows)
        records.extend(builder.records)
    return records, errors


# --------------------------------------------------------------------------- "三公" expenditure

THREE_PUBLIC_PARTS = ("overseas_travel", "reception", "vehicle_total")
VEHICLE_PARTS = ("vehicle_purchase", "vehicle_operation")


def three_public_decimals(amounts: Iterable[Decimal | None], amount_unit: str | None) -> int:
    """The decimals a "三公" table printed, as far as its figures show them."""
    return max((printed_decimals(a, amount_unit) for a in amounts if a is not None), default=0)


def _three_public_rows(table: pd.DataFrame, errors: list[AmountParseError]) -> dict[str, _Row]:
    """The first row of each category in one 三公 table, by category."""
    by_category: dict[str, _Row] = {}
    for rec in table.to_dict("records"):
        category = to_str(rec.get("category"))
        if category is None or category in by_category:
            continue
        name = to_str(rec.get("category_name"))
        row = _Row.printed(
            rec,
            kind="category",
            code=category,
            name=name,
            decimals=None,
            text=f"{name or category} ({category})",
        )
        _amounts(rec, row, ("amount",), errors)
        by_category[category] = row
    decimals = three_public_decimals(
        (r.amounts["amount"] for r in by_category.values()),
        next((r.amount_unit for r in by_category.values()), None),
    )
    for row in by_category.values():
        row.decimals = decimals
    return by_category


def _three_public_sum(
    builder: _Builder, check: str, row: _Row, rows: dict[str, _Row], parts: Sequence[str]
) -> None:
    def printed(category: str) -> str:
        part = rows.get(category)
        if part is None:
            return f"{category} (not printed) 0"
        value = part.amounts["amount"] or Decimal(0)
        return f"{part.label} {fmt_printed(value, row.amount_unit, row.decimals)}"

    expected = sum(
        (rows[c].amounts["amount"] or Decimal(0) for c in parts if c in rows), Decimal(0)
    )
    what = " + ".join(printed(c) for c in parts) + " ="
    builder.add(check, row, "amount", expected, len(parts), what)


def three_public_identities(
    document_id: str, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's "三公" tables (the prose is checked elsewhere)."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    tables = frame[frame["source"] == "table"]
    if "row_index" not in tables.columns:
        tables = tables.assign(row_index=None)
    for table_index, table in _tables(tables):
        builder = _Builder(document_id, to_int(table_index), "three_public", "amount")
        rows = _three_public_rows(table, errors)
        vehicle = rows.get("vehicle_total")
        total = rows.get("total")
        has_vehicle_parts = any(c in rows for c in VEHICLE_PARTS)
        if total is not None and total.amounts["amount"] is not None:
            parts: tuple[str, ...] = THREE_PUBLIC_PARTS
            if vehicle is None and has_vehicle_parts:
                parts = ("overseas_travel", "reception", *VEHICLE_PARTS)
            if any(c in rows for c in parts):
                _three_public_sum(
                    builder, "three_public_total_equals_sum_of_parts", total, rows, parts
                )
        if vehicle is not None and vehicle.amounts["amount"] is not None and has_vehicle_parts:
            _three_public_sum(
                builder,
                "three_public_vehicle_equals_purchase_plus_operation",
                vehicle,
                rows,
                VEHICLE_PARTS,
            )
        records.extend(builder.records)
    return records, errors


def missing_columns_record(document_id: str, family: str, missing: Sequence[str]) -> dict[str, Any]:
    """An identity row that fails: the family lacks columns its identities need."""
    columns = ", ".join(f"'{c}'" for c in missing)
    return {
        "document_id": document_id,
        "family": family,
        "severity": BLOCK,
        "page_number": None,
        "table_index": None,
        "table_title": None,
        "check": "required_column_present",
        "code": None,
        "name": None,
        "expected": ", ".join(missing),
        "actual": "missing",
        "tolerance": None,
        "excess": 1.0,
        "detail": f"column {columns} missing from {family}: its identities cannot be checked",
        "reason": str(Reason.INVALID_VALUES),  # not an identity: the columns are missing
    }
