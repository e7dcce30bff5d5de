"""Gate 2: the built marts and the warehouse's invariants, before a run is published.

    validate_marts(warehouse, gx_root, run_id) -> list[Finding]

Each mart of the contract has its suite (expectations.suites.GATE2: its documented
columns and code formats; keys, relationships and accepted values are dbt's tests). One
identity frame holds the marts' totals against the raw total rows, the warehouse's
invariants (expectations.invariants) and the narrative rows out of rounding
(expectations.narrative), validated by one checkpoint run. Any 'block' finding keeps the
last good warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations import contract
from expectations.findings import (
    BLOCK,
    WARN,
    Finding,
    fmt_printed,
    fmt_yuan,
    to_decimal,
    to_str,
    tolerance_yuan,
)
from expectations.invariants import RUN_DOCUMENTS, invariant_records
from expectations.narrative import narrative_records
from expectations.results import Converter, finding
from expectations.runtime import runtime, with_row_ids
from expectations.suites import GATE2

if TYPE_CHECKING:
    import pandas as pd

# The run name gate 2's validation results are stored (and listed in Data Docs) under.
MARTS_RUN = "marts"


# Columns that name a mart row in a finding, after its grain (the first present).
_NAMES = ("name", "level3_name", "line_name", "category", "source_name", "project_name",
          "file_name", "department_name")  # fmt: skip


def _where_columns(table: str) -> tuple[str, ...]:
    """The columns that locate a mart's row: its grain (dbt's unique tests), its page and
    its name."""
    mart = contract.marts()[table]
    names = [c for c in _NAMES if c in mart.column_names][:1]
    page = ["page_number"] if "page_number" in mart.column_names else []
    return tuple(dict.fromkeys([*mart.grain, *page, *names]))


def _cell(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an integer column with nulls reads back as float
    return to_str(value)


def _mart_label(table: str, row: Mapping[str, Any]) -> str:
    parts = (_cell(row.get(c)) for c in _where_columns(table))
    return f"marts.{table} row (" + ", ".join(p for p in parts if p) + ")"


def _mart_where(table: str, frame: pd.DataFrame) -> list[str]:
    columns = [frame[c] for c in _where_columns(table) if c in frame.columns]
    return [
        f"marts.{table} row (" + ", ".join(s for v in values if (s := _cell(v))) + ")"
        for values in zip(*columns, strict=True)
    ] or [f"marts.{table} row"] * len(frame)


def _read_marts(con: Any, run_id: str | None) -> tuple[dict[str, pd.DataFrame | None], set[str]]:
    """Each mart's rows to validate, and the warehouse's tables. A fact's rows are those of
    the documents `run_id` loaded (all of them without a run): older rows were checked when
    their run loaded them, and dbt's tests check every row on every build, so gate 2 does
    not grow with the warehouse. The dimensions are read whole; the totals against raw and
    the invariants (SQL) cover every document."""
    present = {
        (schema, name)
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    scoped = run_id is not None and ("audit", "document_loads") in present
    frames: dict[str, pd.DataFrame | None] = {}
    for table in contract.marts():
        if ("marts", table) not in present:
            frames[table] = None
        elif scoped and table.startswith("fct_"):
            frames[table] = con.execute(
                f'select * from marts."{table}" where document_id in ({RUN_DOCUMENTS})',
                {"run_id": run_id},
            ).df()
        else:
            frames[table] = con.execute(f'select * from marts."{table}"').df()
    return frames, {f"{s}.{n}" for s, n in present}


def _raw_total_record(
    document_id: str,
    scope: str | None,
    mart: str,
    raw: str,
    fct_total: Decimal,
    n: int,
    chosen: dict[str, Any] | None,
) -> dict[str, Any]:
    """`mart` summed over one document (and budget scope) against the raw total row."""
    what = f"document {document_id}, {scope}" if scope else f"document {document_id}"
    record: dict[str, Any] = {
        "document_id": document_id,
        "budget_scope": scope,
        "check": f"{mart}_total_equals_raw_total",
        "severity": BLOCK,
        "expected": fmt_yuan(fct_total),
    }
    if chosen is None:
        record.update(
            page_number=None,
            table_title=None,
            actual=None,
            tolerance=None,
            excess=None,
            check=f"{mart}_raw_total_present",
            severity=WARN,
            detail=f"{what}: marts.{mart} sums to {fmt_yuan(fct_total)} 元 over {n} rows but "
            f"raw.{raw} has no total row to reconcile against",
        )
        return record
    raw_total = chosen["total"] or Decimal(0)
    unit, decimals = chosen["unit"], chosen["decimals"]
    tolerance = tolerance_yuan(n, unit, decimals)
    off = abs(fct_total - raw_total)

    def printed(value: Decimal) -> str:
        return fmt_printed(value, unit, decimals)

    record.update(
        page_number=chosen["page"],
        table_title=chosen["title"],
        actual=fmt_yuan(raw_total),
        tolerance=fmt_yuan(tolerance),
        excess=float(off - tolerance),
        detail=f"{what}: page {chosen['page']}, table '{chosen['title'] or '(untitled)'}' "
        f"prints total {printed(raw_total)} {unit} but marts.{mart} sums to "
        f"{printed(fct_total)} {unit} over {n} rows (off by {printed(off)}, tolerance "
        f"{printed(tolerance)})",
    )
    return record


def _function_totals(con: Any, tables: set[str]) -> list[dict[str, Any]]:
    """Per document and budget_scope: sum of fct_expenditure.total_yuan vs the raw total row."""
    sums: dict[tuple[str, str], tuple[Decimal, int, set[int]]] = {}
    if "marts.fct_expenditure" in tables:
        for doc, scope, total, n, pages in con.execute(
            "select document_id, budget_scope, sum(total_yuan), count(*), "
            "list(distinct page_number) from marts.fct_expenditure group by all"
        ).fetchall():
            sums[(doc, scope)] = (to_decimal(total) or Decimal(0), n, set(pages or []))
    raw: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if "raw.function_expenditure" in tables:
        # the pages of each table that staged code rows (a fact may come from it)
        pages_by_table = {
            (doc, scope, ti): set(pages or [])
            for doc, scope, ti, pages in con.execute(
                "select document_id, budget_scope, table_index, list(distinct page_number) "
                "from raw.function_expenditure where row_kind = 'code' group by all"
            ).fetchall()
        }
        for doc, scope, ti, page, title, unit, decimals, total in con.execute(
            "select document_id, budget_scope, table_index, page_number, table_title, "
            "amount_unit, decimals, total_yuan from raw.function_expenditure "
            "where row_kind = 'total' order by document_id, budget_scope, table_index, row_index"
        ).fetchall():
            raw.setdefault((doc, scope), []).append(
                {
                    "table_index": ti,
                    "page": page,
                    "title": title,
                    "unit": unit,
                    "decimals": decimals,
                    "total": to_decimal(total),
                    "pages": pages_by_table.get((doc, scope, ti), set()),
                }
            )

    records = []
    for doc, scope in sorted(set(sums) | set(raw), key=lambda k: (str(k[0]), str(k[1]))):
        fct_total, n, fct_pages = sums.get((doc, scope), (Decimal(0), 0, set()))
        # a table whose print has no function codes (西安's 支出总表 by fund source: a
        # total and its units) gives the mart no row to reconcile
        candidates = [c for c in raw.get((doc, scope), []) if c["pages"]]
        if not n and not candidates:
            continue
        # The table the facts came from: the first whose pages they share, else the first.
        chosen = next((c for c in candidates if c["pages"] & fct_pages), None)
        chosen = chosen or (candidates[0] if candidates else None)
        records.append(
            _raw_total_record(
                doc, scope, "fct_expenditure", "function_expenditure", fct_total, n, chosen
            )
        )
    return records


def _basic_totals(con: Any, tables: set[str]) -> list[dict[str, Any]]:
    """Per document: sum of fct_basic_expenditure.amount_yuan vs the raw total row (the
    first printed, as fct_basic_expenditure keeps the first printing of a code)."""
    if "marts.fct_basic_expenditure" not in tables or "raw.basic_expenditure" not in tables:
        return []
    sums = {
        doc: (to_decimal(total) or Decimal(0), n)
        for doc, total, n in con.execute(
            "select document_id, sum(amount_yuan), count(*) from marts.fct_basic_expenditure "
            "group by all"
        ).fetchall()
    }
    raw: dict[str, dict[str, Any]] = {}
    for doc, page, title, unit, decimals, total in con.execute(
        "select document_id, page_number, table_title, amount_unit, decimals, amount_yuan "
        "from raw.basic_expenditure where row_kind = 'total' "
        "order by document_id, page_number, table_index, row_index"
    ).fetchall():
        raw.setdefault(
            doc,
            {
                "page": page,
                "title": title,
                "unit": unit,
                "decimals": decimals,
                "total": to_decimal(total),
            },
        )
    return [
        _raw_total_record(
            doc,
            None,
            "fct_basic_expenditure",
            "basic_expenditure",
            *sums.get(doc, (Decimal(0), 0)),
            raw.get(doc),
        )
        for doc in sorted(set(sums) | set(raw), key=str)
    ]


def _totals_frame(con: Any, tables: set[str], run_id: str | None) -> pd.DataFrame:
    """Identity frame of the mart totals against the raw total rows, per document, of the
    warehouse's invariants (expectations.invariants) and of the narrative against the
    tables (expectations.narrative)."""
    import pandas as pd

    records = _function_totals(con, tables) + _basic_totals(con, tables)
    records += invariant_records(con)
    records += narrative_records(con, tables, run_id)
    columns = [
        "identity_id",
        "document_id",
        "budget_scope",
        "severity",
        "page_number",
        "table_title",
        "check",
        "expected",
        "actual",
        "tolerance",
        "excess",
        "detail",
        "reason",
    ]
    for i, rec in enumerate(records):
        rec["identity_id"] = i
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["excess"] = frame["excess"].astype("float64")
    return frame


# A mart needs the raw table gate 2 reconciles it against (every mart of the contract is
# required: `_missing_tables`).
_NEEDS = {"fct_basic_expenditure": ("raw.basic_expenditure",)}
# The tables gate 2's own identities read: without them they would check nothing.
_READ = (
    ("raw.function_expenditure", "marts totals cannot be reconciled"),
    ("raw.documents", "the warehouse's invariants cannot be checked"),
    ("audit.document_loads", "the warehouse's invariants cannot be checked"),
    ("marts.fct_narrative_check", "the narrative cannot be checked against the tables"),
)


def _missing_tables(tables: set[str], warehouse: Path) -> list[Finding]:
    """A blocking finding per table the marts gate needs and the warehouse lacks, named by
    its schema (mart_table_present, raw_table_present, audit_table_present)."""
    required = [(f"marts.{t}", "") for t in contract.marts()]
    required += [
        (name, f" although marts.{table} does")
        for table, names in _NEEDS.items()
        if f"marts.{table}" in tables
        for name in names
    ]
    required += [(name, f": {why}") for name, why in _READ]
    return [
        finding(
            None,
            BLOCK,
            f"{name.split('.')[0].removesuffix('s')}_table_present",
            f"{name} does not exist in {warehouse}{why}",
            expected=name,
        )
        for name, why in required
        if name not in tables
    ]


def validate_marts(warehouse: Path, gx_root: Path, run_id: str | None = None) -> list[Finding]:
    """Gate 2: validate the built marts and the warehouse's invariants (`run_id`: the run
    whose verdicts are checked one per source); any 'block' finding keeps the last good
    warehouse."""
    import duckdb
    import pandas as pd

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frames, tables = _read_marts(con, run_id)
        totals = _totals_frame(con, tables, run_id)
    finally:
        con.close()

    gx = runtime(Path(gx_root))
    findings = _missing_tables(tables, warehouse)
    for table, mart in contract.marts().items():
        frame = frames[table]
        if frame is None:
            continue
        missing = [c for c in mart.column_names if c not in frame.columns]
        validated = with_row_ids(frame, pd.Series(_mart_where(table, frame), dtype=object))
        result = gx.run(GATE2[table], validated, MARTS_RUN)
        findings += Converter(
            document_id=None,
            frame=validated,
            location=partial(_mart_label, table),
            missing_columns=missing,
            row_document=table.startswith("fct_"),
            row_title=False,
        ).convert(result)
    result = gx.run(GATE2["reconciliation"], totals, MARTS_RUN)
    return findings + Converter(document_id=None).convert(result)
