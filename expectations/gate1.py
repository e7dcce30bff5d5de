"""Gate 1: one document's staged frames, before they load.

    validate_document(document_id, frames, gx_root) -> list[Finding]

In order: each family validated row by row has its suite (expectations.suites.GATE1: the
columns of its contract, code formats, lineage); then every code whose 类 a national list
holds (function and economic classes, extract/reference/) goes into one class frame
(expectations.classes), validated by one checkpoint run; then every accounting identity of the
document (expectations.identities, expectations.summary_identities; the list is
expectations/catalog.py) goes into one identity frame, validated by one checkpoint run.
The failing rows come back from GX and become Findings (expectations.results). The caller
holds back the tables that blocking findings name (expectations.table_gate).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.classes import class_frame, location
from expectations.findings import BLOCK, Finding, to_int, to_str
from expectations.identities import (
    NEEDED_COLUMNS,
    AmountParseError,
    basic_identities,
    function_identities,
    identity_frame,
    missing_columns_record,
    three_public_identities,
)
from expectations.meeting_training_identities import meeting_training_identities
from expectations.purchase_identities import (
    procurement_identities,
    service_purchase_identities,
)
from expectations.results import Converter, finding
from expectations.runtime import runtime, with_row_ids
from expectations.suites import GATE1
from expectations.summary_identities import (
    budget_summary_identities,
    income_sources_identities,
    summary_crosscheck_identities,
)

if TYPE_CHECKING:
    import pandas as pd

# Families validated row by row, each by its own suite (one checkpoint run each).
STAGED_FAMILIES = ("function_expenditure", "basic_expenditure", "indicators", "projects")
# Families whose figures are reconciled, all in one identity frame (one checkpoint run).
# 三公 rows are checked only there. The narrative against the tables is gate 2's
# (marts.fct_narrative_check, which pairs an explanatory document with its tables);
# `tables` (the inventory of tables found) has nothing to block: a table printed empty
# is a fact, not an error.
RECONCILED_FAMILIES = (
    "function_expenditure",
    "basic_expenditure",
    "three_public",
    "budget_summary",
    "income_sources",
    "procurement",
    "service_purchase",
    "meeting_training",
)


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
        findings += Converter(
            document_id=document_id,
            frame=validated,
            location=_staged_location(family),
            missing_columns=missing,
        ).convert(result)
    return findings + _classes(gx, document_id, frames) + _reconcile(gx, document_id, frames)


def _classes(gx: Any, document_id: str, frames: dict[str, pd.DataFrame]) -> list[Finding]:
    """Every code of the document against its national list of 类, in one class frame and
    one checkpoint run (none for a document without codes)."""
    import pandas as pd

    classes = class_frame(document_id, frames)
    if len(classes) == 0:
        return []
    validated = with_row_ids(classes, pd.Series(_staged_where(classes)))
    result = gx.run(GATE1["national_classes"], validated, document_id)
    return Converter(document_id=document_id, frame=validated, location=location).convert(result)


# The identity builder of each reconciled family.
_IDENTITIES = {
    "function_expenditure": function_identities,
    "basic_expenditure": basic_identities,
    "three_public": three_public_identities,
    "budget_summary": budget_summary_identities,
    "income_sources": income_sources_identities,
    "procurement": procurement_identities,
    "service_purchase": service_purchase_identities,
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
        if family == "meeting_training":  # its combined 合计 reads the 三公 total too
            family_records, errors = meeting_training_identities(
                document_id, frame, usable.get("three_public")
            )
        else:
            family_records, errors = _IDENTITIES[family](document_id, frame)
        records += family_records
        parse_errors += errors
    records += summary_crosscheck_identities(document_id, usable)

    findings = [
        finding(
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
    return findings + Converter(document_id=document_id).convert(result)
