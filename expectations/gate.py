"""Gate runner: gate 1 per document (staged frames), gate 2 on the marts.

    validate_document(document_id, frames, gx_root) -> list[Finding]
    validate_marts(warehouse, gx_root) -> list[Finding]
    build_docs(gx_root) -> Path   (once per run, after both gates: the Data Docs index)

Every check runs as a Great Expectations expectation inside a checkpoint, whose result GX
stores under the document id (gate 1) or "marts" (gate 2) for the Data Docs; the failing
rows come back from GX (COMPLETE result format, indexed by row id) and become Findings. The
caller quarantines a document, or keeps the last good warehouse, when any finding has
severity 'block'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.findings import (
    BLOCK,
    WARN,
    Finding,
    fmt_printed,
    fmt_yuan,
    is_missing,
    to_decimal,
    to_int,
    to_str,
    tolerance_yuan,
)
from expectations.identities import (
    NEEDED_COLUMNS,
    AmountParseError,
    basic_identities,
    function_identities,
    identity_frame,
    missing_columns_record,
    three_public_identities,
)
from expectations.invariants import invariant_records
from expectations.narrative import narrative_records
from expectations.runtime import build_docs, runtime, with_row_ids
from expectations.suites import GATE1, GATE2, MART_COLUMNS, ROW
from expectations.summary_identities import (
    budget_summary_identities,
    income_sources_identities,
    summary_crosscheck_identities,
)
from extract.verdicts import Reason

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )

__all__ = ["Finding", "build_docs", "validate_document", "validate_marts"]

# Families validated row by row, each by its own suite (one checkpoint run each).
STAGED_FAMILIES = ("function_expenditure", "basic_expenditure", "indicators", "projects")
# Families whose figures are reconciled, all in one identity frame (one checkpoint run).
# 三公 rows are checked only there (the narrative against the tables in gate 2, from
# marts.fct_narrative_check: expectations.narrative); `tables` (the inventory of tables found)
# has nothing to block: a table printed empty is a fact, not an error.
RECONCILED_FAMILIES = (
    "function_expenditure",
    "basic_expenditure",
    "three_public",
    "budget_summary",
    "income_sources",
    "narrative_totals",
)
MART_TABLES = (
    "fct_expenditure",
    "fct_indicator",
    "dim_function_code",
    "dim_department",
    "dim_document",
)
# Marts validated when the build has them (added with basic expenditure, 三公 and projects).
OPTIONAL_MART_TABLES = (
    "dim_economic_code",
    "fct_basic_expenditure",
    "fct_three_public",
    "dim_project",
    "fct_budget_summary",
    "fct_income",
)
# The run name gate 2's validation results are stored (and listed in Data Docs) under.
MARTS_RUN = "marts"
# Past this many failing rows of one expectation, one summary finding stands for the rest.
MAX_ROWS_PER_CHECK = 50


# --------------------------------------------------------------------------- result -> findings


def _exception_message(result: ExpectationValidationResult) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _expected_text(kwargs: Mapping[str, Any], expectation_type: str) -> str | None:
    if "regex" in kwargs:
        prefix = "not matching " if "not_match" in expectation_type else "matching "
        return prefix + str(kwargs["regex"])
    if "value_set" in kwargs:
        values = kwargs["value_set"]
        if isinstance(values, list | tuple | set):
            return "one of " + ", ".join(str(v) for v in values)
        return None
    if "not_be_null" in expectation_type:
        return "not empty"
    if "unique" in expectation_type:
        return "unique"
    if "min_value" in kwargs or "max_value" in kwargs:
        return f"between {kwargs.get('min_value')} and {kwargs.get('max_value')}"
    return None


def _finding(
    document_id: str | None,
    severity: str,
    check: str,
    detail: str,
    *,
    page: int | None = None,
    title: str | None = None,
    expected: str | None = None,
    actual: str | None = None,
) -> Finding:
    return Finding(document_id, severity, check, page, title, expected, actual, detail)


class _Format(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _render(message: str, values: _Format) -> str:
    try:
        return message.format_map(values)
    except (ValueError, IndexError, KeyError, AttributeError):
        return message


class _Converter:
    """Turns one suite's validation result into Findings."""

    def __init__(
        self,
        *,
        document_id: str | None,
        frame: pd.DataFrame,
        location: Callable[[Mapping[str, Any]], str],
        missing_columns: list[str],
        row_document: bool = False,
        row_title: bool = True,
    ) -> None:
        self.document_id = document_id
        self.frame = frame  # positional: `_row` / `identity_id` is the row's position
        self.location = location
        self.missing_columns = missing_columns
        self.row_document = row_document  # take document_id from the failing row (marts)
        self.row_title = row_title

    def convert(self, validation: ExpectationSuiteValidationResult) -> list[Finding]:
        findings: list[Finding] = []
        for result in validation.results:
            if not result.success:
                findings.extend(self._result(result))
        return findings

    def _result(self, result: ExpectationValidationResult) -> list[Finding]:
        config = result.expectation_config
        assert config is not None
        meta = config.meta or {}
        check = str(meta.get("check") or config.type)
        severity = WARN if str(config.severity.value) in ("warning", "info") else BLOCK
        kwargs = dict(config.kwargs)
        column = kwargs.get("column")
        message = str(meta.get("message") or config.type)

        error = _exception_message(result)
        if error is not None:
            if self.missing_columns:  # explained by the required_column_present findings
                return []
            return [
                _finding(
                    self.document_id, severity, check, f"{check} could not be evaluated: {error}"
                )
            ]

        if config.type == "expect_table_columns_to_match_set":
            mismatched = ((result.result or {}).get("details") or {}).get("mismatched") or {}
            missing = mismatched.get("missing") or self.missing_columns or ["?"]
            return [
                _finding(
                    self.document_id,
                    severity,
                    check,
                    _render(message, _Format(column=column_name)),
                    expected=column_name,
                )
                for column_name in sorted(missing)
            ]

        indexed = (result.result or {}).get("unexpected_index_list") or []
        if not indexed:
            detail = _render(message, _Format(column=column, value=None))
            return [
                _finding(
                    self.document_id,
                    severity,
                    check,
                    detail,
                    expected=_expected_text(kwargs, config.type),
                )
            ]

        findings = []
        for item in indexed[:MAX_ROWS_PER_CHECK]:
            if meta.get("identity"):  # the failing row's index columns are its finding
                findings.append(self._identity(item, severity))
                continue
            row_id = item.get(ROW)
            row: dict[str, Any] = (
                {str(k): v for k, v in self.frame.iloc[int(row_id)].items()}
                if row_id is not None
                else {}
            )
            if "column_list" in kwargs:
                value: Any = tuple(row.get(c) for c in kwargs["column_list"])
            else:
                value = row.get(column) if column else None
            key = row.get(meta["key_column"]) if meta.get("key_column") else None
            text = _render(
                message,
                _Format(row, column=column, value=None if is_missing(value) else value, key=key),
            )
            shown = key if meta.get("key_column") else value
            findings.append(
                Finding(
                    to_str(row.get("document_id")) if self.row_document else self.document_id,
                    severity,
                    check,
                    to_int(row.get("page_number")),
                    to_str(row.get("table_title")) if self.row_title else None,
                    meta.get("expected") or _expected_text(kwargs, config.type),
                    "empty" if is_missing(shown) else str(shown),
                    f"{self.location(row)}: {text}",
                )
            )
        if len(indexed) > MAX_ROWS_PER_CHECK:
            findings.append(
                _finding(
                    self.document_id,
                    severity,
                    check,
                    f"{len(indexed) - MAX_ROWS_PER_CHECK} more rows fail {check} (see Data Docs)",
                )
            )
        return findings

    def _identity(self, row: Mapping[str, Any], severity: str) -> Finding:
        return Finding(
            to_str(row.get("document_id")),
            severity,
            str(row.get("check")),
            to_int(row.get("page_number")),
            to_str(row.get("table_title")),
            to_str(row.get("expected")),
            to_str(row.get("actual")),
            str(row.get("detail")),
            # the identity frame says (a missing column is no broken identity); gate 2's
            # totals against raw are identities
            reason=to_str(row.get("reason")) or str(Reason.RECONCILIATION),
        )


# --------------------------------------------------------------------------- gate 1


def _staged_label(family: str, row: Mapping[str, Any]) -> str:
    def join(*keys: str, sep: str = " ") -> str:
        return sep.join(s for k in keys if (s := to_str(row.get(k))))

    if family == "function_expenditure":
        return join("function_code", "name") or to_str(row.get("row_kind")) or "row"
    if family == "basic_expenditure":
        return join("economic_code", "economic_name") or to_str(row.get("row_kind")) or "row"
    if family == "indicators":
        levels = join("level1_name", "level2_name", "level3_name", sep=" / ")
        owner = to_str(row.get("project_name")) or to_str(row.get("department_name"))
        return " — ".join(s for s in (owner, levels) if s) or "indicator"
    return join("project_code", "project_name") or "project"


def _staged_location(family: str) -> Callable[[Mapping[str, Any]], str]:
    def location(row: Mapping[str, Any]) -> str:
        title = to_str(row.get("table_title")) or "(untitled)"
        return (
            f"page {to_int(row.get('page_number'))}, table '{title}', "
            f"row {to_int(row.get('row_index'))} ({_staged_label(family, row)})"
        )

    return location


def _staged_where(frame: pd.DataFrame) -> list[str]:
    import pandas as pd

    def col(name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name].reset_index(drop=True)
        return pd.Series([None] * len(frame))

    return [
        f"p{to_int(p)} t{to_int(t)} r{to_int(r)}"
        for p, t, r in zip(col("page_number"), col("table_index"), col("row_index"), strict=True)
    ]


def _required(family: str) -> list[str]:
    from extract.schema import STAGED

    return [field.name for field in STAGED[family]]


def validate_document(
    document_id: str, frames: dict[str, pd.DataFrame], gx_root: Path
) -> list[Finding]:
    """Gate 1: validate one document's staged frames; 'block' findings quarantine it."""
    import pandas as pd

    gx = runtime(Path(gx_root))
    parameters = {"document_ids": [document_id]}
    findings: list[Finding] = []
    for family in STAGED_FAMILIES:
        frame = frames.get(family)
        if frame is None or len(frame) == 0:
            continue  # an empty table is a fact, not an error
        missing = [c for c in _required(family) if c not in frame.columns]
        validated = with_row_ids(frame, pd.Series(_staged_where(frame)))
        result = gx.run(GATE1[family], validated, document_id, parameters)
        findings += _Converter(
            document_id=document_id,
            frame=validated,
            location=_staged_location(family),
            missing_columns=missing,
        ).convert(result)
    return findings + _reconcile(gx, document_id, frames)


_IDENTITIES = {
    "function_expenditure": function_identities,
    "basic_expenditure": basic_identities,
    "three_public": three_public_identities,
    "budget_summary": budget_summary_identities,
    "income_sources": income_sources_identities,
}


def _reconcile(gx: Any, document_id: str, frames: dict[str, pd.DataFrame]) -> list[Finding]:
    """Every identity of the document, in one identity frame and one checkpoint run."""
    records: list[dict[str, Any]] = []
    parse_errors: list[AmountParseError] = []
    usable: dict[str, pd.DataFrame] = {}
    for family in RECONCILED_FAMILIES:
        frame = frames.get(family)
        if frame is None or len(frame) == 0:
            continue
        missing = [c for c in NEEDED_COLUMNS[family] if c not in frame.columns]
        if missing:
            # a family with its own suite reports its missing columns there
            if family not in STAGED_FAMILIES:
                records.append(missing_columns_record(document_id, family, missing))
            continue
        usable[family] = frame
        build = _IDENTITIES.get(family)
        if build is not None:
            family_records, errors = build(document_id, frame)
            records += family_records
            parse_errors += errors
    records += summary_crosscheck_identities(document_id, usable)

    findings = [
        _finding(
            document_id,
            BLOCK,
            "amount_parses",
            f"page {e.page}, table '{e.title or '(untitled)'}': {e.label} {e.column} "
            f"{e.value!r} is not an amount",
            page=e.page,
            title=e.title,
            actual=repr(e.value),
        )
        for e in parse_errors
    ]
    if not records:
        return findings
    identities = identity_frame(records)
    result = gx.run(GATE1["reconciliation"], identities, document_id)
    findings += _Converter(
        document_id=document_id,
        frame=identities,
        location=lambda row: "",
        missing_columns=[],
    ).convert(result)
    return findings


# --------------------------------------------------------------------------- gate 2


_MART_WHERE = {
    "fct_expenditure": ("document_id", "budget_scope", "function_code", "page_number"),
    "fct_indicator": ("document_id", "page_number", "level3_name"),
    "dim_function_code": ("function_code", "name"),
    "dim_department": ("department_key", "department_name"),
    "dim_document": ("document_id", "file_name"),
    "dim_economic_code": ("economic_code", "name"),
    "fct_basic_expenditure": ("document_id", "economic_code", "page_number"),
    "fct_three_public": ("document_id", "category", "page_number"),
    "fct_budget_summary": ("document_id", "table_kind", "side", "line_name", "page_number"),
    "fct_income": ("document_id", "function_code", "source_name", "page_number"),
    "dim_project": ("project_key", "project_name"),
}


def _cell(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an integer column with nulls reads back as float
    return to_str(value)


def _mart_label(table: str, row: Mapping[str, Any]) -> str:
    parts = (_cell(row.get(c)) for c in _MART_WHERE[table])
    return f"marts.{table} row (" + ", ".join(p for p in parts if p) + ")"


def _mart_where(table: str, frame: pd.DataFrame) -> list[str]:
    columns = [frame[c] for c in _MART_WHERE[table] if c in frame.columns]
    return [
        f"marts.{table} row (" + ", ".join(s for v in values if (s := _cell(v))) + ")"
        for values in zip(*columns, strict=True)
    ] or [f"marts.{table} row"] * len(frame)


def _read_marts(con: Any) -> tuple[dict[str, pd.DataFrame | None], set[str]]:
    present = {
        (schema, name)
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    frames: dict[str, pd.DataFrame | None] = {}
    for table in (*MART_TABLES, *OPTIONAL_MART_TABLES):
        frames[table] = (
            con.execute(f'select * from marts."{table}"').df()
            if ("marts", table) in present
            else None
        )
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
        pages_by_table = {
            (doc, scope, ti): set(pages or [])
            for doc, scope, ti, pages in con.execute(
                "select document_id, budget_scope, table_index, list(distinct page_number) "
                "from raw.function_expenditure group by all"
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
        candidates = raw.get((doc, scope), [])
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
    records += invariant_records(con, run_id)
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


def validate_marts(warehouse: Path, gx_root: Path, run_id: str | None = None) -> list[Finding]:
    """Gate 2: validate the built marts and the warehouse's invariants (`run_id`: the run
    whose verdicts are checked one per source); any 'block' finding keeps the last good
    warehouse."""
    import duckdb
    import pandas as pd

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frames, tables = _read_marts(con)
        totals = _totals_frame(con, tables, run_id)
    finally:
        con.close()

    gx = runtime(Path(gx_root))
    findings: list[Finding] = []
    for table in MART_TABLES:
        if frames[table] is None:
            findings.append(
                _finding(
                    None,
                    BLOCK,
                    "mart_table_present",
                    f"marts.{table} does not exist in {warehouse}",
                    expected=f"marts.{table}",
                )
            )
    # An optional mart needs its dimension and raw table once it is built.
    needs = {
        "fct_basic_expenditure": ["marts.dim_economic_code", "raw.basic_expenditure"],
    }
    for table, needed in needs.items():
        for name in needed:
            if f"marts.{table}" in tables and name not in tables:
                findings.append(
                    _finding(
                        None,
                        BLOCK,
                        "mart_table_present" if name.startswith("marts.") else "raw_table_present",
                        f"{name} does not exist in {warehouse} although marts.{table} does",
                        expected=name,
                    )
                )
    if "raw.function_expenditure" not in tables:
        findings.append(
            _finding(
                None,
                BLOCK,
                "raw_table_present",
                f"raw.function_expenditure does not exist in {warehouse}: "
                "marts totals cannot be reconciled",
                expected="raw.function_expenditure",
            )
        )
    for table in (*MART_TABLES, *OPTIONAL_MART_TABLES):
        frame = frames[table]
        if frame is None:
            continue
        missing = [c for c in MART_COLUMNS[table] if c not in frame.columns]
        validated = with_row_ids(frame, pd.Series(_mart_where(table, frame), dtype=object))
        result = gx.run(GATE2[table], validated, MARTS_RUN)
        findings += _Converter(
            document_id=None,
            frame=validated,
            location=partial(_mart_label, table),
            missing_columns=missing,
            row_document=table.startswith("fct_"),
            row_title=False,
        ).convert(result)
    result = gx.run(GATE2["reconciliation"], totals, MARTS_RUN)
    findings += _Converter(
        document_id=None, frame=totals, location=lambda row: "", missing_columns=[]
    ).convert(result)
    return findings
