"""Codes against the national lists of 类, as a "class frame" gate 1 validates.

Every staged code whose 类 (its first three digits) dbt tests against a national list, or
that rolls up to one in the marts, is a row of one frame per document: the code, its class
and where it was printed. Great Expectations checks each class is in its list
(expectations.suites.national_classes_suite, ExpectColumnValuesToBeInSet), so a misread
code (an amount 266.46 read as the class 266 of a 收支总表 line) holds its table in gate 1,
instead of failing dbt's `relationships` test and with it the whole run.

The lists are those of extract/reference/, which dbt seeds under the same names: one home,
read here through their readers, never copied. A list that holds every 类 of the national
template is `complete`, and a class it lacks cannot exist: the row blocks its table
(reason invalid_values). A partial list could lack a valid class, so a class it lacks only
warns: a valid code is never held for that alone.

Only well-formed codes (digits, 3, 5 or 7 of them) are checked: the format of the others is
the family suites' (function_code_format, economic_code_format).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from expectations.findings import fmt_printed, to_decimal, to_int, to_str
from extract.reference import economic_classes, national_classes

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ClassList:
    """One national list of 类 and the staged codes it judges."""

    classification: str  # function | economic: the class frame's rows it judges
    file: str  # in extract/reference/; dbt's seed of the same name
    classes: Callable[[], Mapping[str, str]]  # its reader: class code -> national name
    complete: bool  # holds every 类 of the national template (extract/reference/__init__.py)


CLASS_LISTS = (
    ClassList("function", "function_classes.csv", national_classes, complete=True),
    ClassList("economic", "economic_classes.csv", economic_classes, complete=True),
)


@dataclass(frozen=True)
class CodeColumn:
    """A staged column of codes, with what names its row in a finding."""

    family: str
    column: str
    classification: str  # the ClassList that judges it
    name: str  # the row's name as printed
    amount: str  # the row's amount (yuan)
    source: str | None = None  # the column the amount was printed in, where rows are cells


# dbt tests budget_summary.class_code against the seed function_classes (its `relationships`
# tests in staging and fct_budget_summary). The function and economic codes of the other
# tables roll up to their 类 in dim_function_code / dim_economic_code, named from the same
# seeds: an unlisted class fails no dbt test there, but would load as a 类 without a name.
# gov_economic_code (政府预算支出经济分类, 5xx) has no national list in extract/reference.
CODE_COLUMNS = (
    CodeColumn("function_expenditure", "function_code", "function", "name", "total_yuan"),
    CodeColumn("income_sources", "function_code", "function", "name", "amount_yuan", "source_name"),
    CodeColumn("budget_summary", "class_code", "function", "line_name", "amount_yuan"),
    CodeColumn("basic_expenditure", "economic_code", "economic", "economic_name", "amount_yuan"),
    CodeColumn("operating_expenses", "economic_code", "economic", "economic_name", "amount_yuan"),
    CodeColumn("procurement", "function_code", "function", "name", "amount_yuan", "source_name"),
    CodeColumn("procurement", "economic_code", "economic", "name", "amount_yuan", "source_name"),
)
CLASS_COLUMNS = [
    "document_id",
    "family",
    "page_number",
    "table_index",
    "row_index",
    "table_title",
    "staged_column",  # the column the code was staged in
    "code",  # as staged: 266, 2010101, 30101
    "class_code",  # its 类: the first three digits
    "classification",  # function | economic: the list that judges it
    "label",  # the row as a maintainer finds it in the PDF: name and amount
]
_WELL_FORMED = re.compile(r"^[0-9]{3}(?:[0-9]{2}){0,2}$")


def _label(record: Mapping[str, Any], column: CodeColumn) -> str:
    """'266 其他支出 266.46 万元': the code, the name and the amount as printed."""
    try:
        amount = to_decimal(record.get(column.amount))
    except ValueError:  # an amount that does not parse is amount_parses' finding
        amount = None
    unit = to_str(record.get("amount_unit"))
    printed = None
    if amount is not None:
        printed = f"{fmt_printed(amount, unit, to_int(record.get('decimals')))} {unit or '元'}"
    parts = (
        to_str(record.get(column.column)),
        to_str(record.get(column.name)),
        to_str(record.get(column.source)) if column.source else None,
        printed,
    )
    return " ".join(s for s in parts if s)


def class_records(document_id: str, frames: Mapping[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """One record per staged row with a well-formed code in a column of CODE_COLUMNS (one
    per printed row: 收入总表 stages a row per source cell, with the row's code on each)."""
    records: list[dict[str, Any]] = []
    for column in CODE_COLUMNS:
        frame = frames.get(column.family)
        if frame is None or len(frame) == 0 or column.column not in frame.columns:
            continue  # a missing column is reported by the family's own checks
        seen: set[tuple[Any, ...]] = set()
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
            record = {str(k): v for k, v in row.items()}
            code = to_str(record.get(column.column))
            if code is None or not _WELL_FORMED.match(code):
                continue
            where = (record.get("table_index"), record.get("row_index"), code)
            if where in seen:
                continue
            seen.add(where)
            records.append(
                {
                    "document_id": document_id,
                    "family": column.family,
                    "page_number": to_int(record.get("page_number")),
                    "table_index": to_int(record.get("table_index")),
                    "row_index": to_int(record.get("row_index")),
                    "table_title": to_str(record.get("table_title")),
                    "staged_column": column.column,
                    "code": code,
                    "class_code": code[:3],
                    "classification": column.classification,
                    "label": _label(record, column),
                }
            )
    return records


def class_frame(document_id: str, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The class frame of one document's staged frames (CLASS_COLUMNS)."""
    import pandas as pd

    return pd.DataFrame.from_records(class_records(document_id, frames), columns=CLASS_COLUMNS)


def location(row: Mapping[str, Any]) -> str:
    """Where a class frame row was printed: page, table, row (code, name, amount)."""
    title = to_str(row.get("table_title")) or "(untitled)"
    return (
        f"page {to_int(row.get('page_number'))}, table '{title}', "
        f"row {to_int(row.get('row_index'))} ({to_str(row.get('label')) or 'row'})"
    )
