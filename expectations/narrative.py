"""Gate 2's report of the narrative identity: totals stated in prose against the tables.

The identity has one home, the dbt model marts.fct_narrative_check: which table figure
each stated item is compared with (an explanatory document's prose with the tables
document of the same budget), the rounding tolerance and `within_rounding` are computed
there, and its dbt unit tests pin them. Gate 2 turns each row out of rounding into a
warning identity row (`narrative_{item}_matches_table`): the prose rounds and drifts, and
a document whose tables agree with each other is good data, so this never blocks.

Only rows of this run's documents are reported (the prose's document or the tables
document it is compared with was loaded in the run), so a warning is raised once, when a
document arrives, not again on every later build.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from expectations.catalog import identity
from expectations.findings import WARN, fmt_yuan, to_decimal
from expectations.invariants import RUN_DOCUMENTS
from extract.verdicts import Reason

ITEM_NAMES = {
    "income_total": "收入总计",
    "expenditure_total": "支出总计",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "general_public_budget": "一般公共预算支出",
    "three_public": "“三公”经费",
    "operating_expenses": "机关运行经费",
}

_OUT_OF_ROUNDING = f"""
    select n.document_id, n.tables_document_id, n.item, n.narrative_yuan, n.table_yuan,
           n.tolerance_yuan, n.page_number, n.table_page_number, n.sentence,
           t.file_name as tables_file_name
    from marts.fct_narrative_check n
    left join marts.dim_document t on t.document_id = n.tables_document_id
    where n.within_rounding = false
      and ($run_id is null
           or n.document_id in ({RUN_DOCUMENTS})
           or n.tables_document_id in ({RUN_DOCUMENTS}))
    order by n.document_id, n.page_number, n.item
"""
NEEDED = ("marts.fct_narrative_check", "marts.dim_document", "audit.document_loads")


def narrative_records(con: Any, tables: set[str], run_id: str | None) -> list[dict[str, Any]]:
    """One warning identity row per stated total of this run's documents that its tables
    do not print within rounding (empty when the warehouse has no such model yet)."""
    if not set(NEEDED) <= tables:
        return []
    rows = con.execute(_OUT_OF_ROUNDING, {"run_id": run_id}).fetchall()
    return [_record(*row) for row in rows]


def _record(
    document_id: str,
    tables_document_id: str,
    item: str,
    narrative_yuan: Any,
    table_yuan: Any,
    tolerance_yuan: Any,
    page: int | None,
    table_page: int | None,
    sentence: str | None,
    tables_file_name: str | None,
) -> dict[str, Any]:
    check = f"narrative_{item}_matches_table"
    identity(check, WARN)  # only a listed identity (expectations/catalog.py)
    stated = to_decimal(narrative_yuan) or Decimal(0)
    printed = to_decimal(table_yuan) or Decimal(0)
    tolerance = to_decimal(tolerance_yuan) or Decimal(0)
    off = abs(stated - printed)
    tables = (
        "its tables"
        if tables_document_id == document_id
        else f"the tables of {tables_file_name or tables_document_id[:12]}"
    )
    detail = (
        f"page {page}: the narrative states {ITEM_NAMES.get(item, item)} ({item}) "
        f"{fmt_yuan(stated)} 元 but {tables} print {fmt_yuan(printed)} 元 on page {table_page} "
        f"(off by {fmt_yuan(off)} 元, tolerance {fmt_yuan(tolerance)} 元): 「{sentence or ''}」"
    )
    return {
        "document_id": document_id,
        "severity": WARN,
        "page_number": page,
        "table_title": None,
        "check": check,
        "expected": fmt_yuan(printed),
        "actual": fmt_yuan(stated),
        "tolerance": fmt_yuan(tolerance),
        # dbt judged the row out of rounding with the exact tolerance; the mart rounds it
        # to cents, so the difference alone must never read as within it
        "excess": max(float(off - tolerance), 0.01),
        "detail": detail,
        "reason": str(Reason.RECONCILIATION),
    }
