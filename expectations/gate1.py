"""Gate 1: documents' staged frames, before they load.

    validate_document(document_id, frames, gx_root) -> list[Finding]
    validate_documents([(document_id, frames), ...], gx_root) -> [list[Finding], ...]

In order: each family validated row by row has its suite (expectations.suites.GATE1: the
columns of its contract, code formats, lineage); then every code whose 类 a national list
holds (function and economic classes, extract/reference/) goes into one class frame
(expectations.classes), validated by one checkpoint run; then every accounting identity of the
document (expectations.identities, expectations.summary_identities; the list is
expectations/catalog.py) goes into one identity frame, validated by one checkpoint run.
The failing rows come back from GX and become Findings (expectations.results). The caller
holds back the tables that blocking findings name (expectations.table_gate).

A checkpoint run costs about a second whatever its rows (GX builds its metric graph per
run), so `validate_documents` runs each suite once over many documents' rows together: a
batch that passes passes each of its documents. A document whose rows fail (or every one
of a batch whose failure names no row) is validated again alone, so the findings of every
document are exactly those `validate_document` gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
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
from expectations.suites import GATE1, ROW, Gate
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
    "operating_expenses",
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


# Documents validated together by one checkpoint run of each suite: GX's cost per run is
# mostly fixed, its cost per row small; the bound keeps a batch's frames in memory small.
BATCH_DOCUMENTS = 100


@dataclass(frozen=True)
class _Check:
    """One suite to run over one document's frame, and how its result becomes Findings."""

    gate: Gate
    frame: pd.DataFrame  # as validated: with the row id and lineage columns
    converter: Converter
    parameters: dict[str, Any] | None = None

    def findings(self, gx: Any, run_name: str) -> list[Finding]:
        return self.converter.convert(gx.run(self.gate, self.frame, run_name, self.parameters))


# A document's gate 1, in order: findings known without GX, and suites to run.
_Plan = list[_Check | list[Finding]]


def validate_document(
    document_id: str, frames: dict[str, pd.DataFrame], gx_root: Path
) -> list[Finding]:
    """Gate 1: validate one document's staged frames; 'block' findings quarantine it."""
    gx = runtime(Path(gx_root))
    findings: list[Finding] = []
    for step in _plan(document_id, frames):
        findings += step.findings(gx, document_id) if isinstance(step, _Check) else step
    return findings


def validate_documents(
    documents: Sequence[tuple[str, Mapping[str, pd.DataFrame]]], gx_root: Path
) -> list[list[Finding]]:
    """Gate 1 of many documents (document id, staged frames): each one's findings, in order,
    exactly as validate_document gives them, with each suite run once per batch."""
    gx = runtime(Path(gx_root))
    plans = [_plan(document_id, dict(frames)) for document_id, frames in documents]
    checks = [(d, i, step) for d, plan in enumerate(plans) for i, step in enumerate(plan)]
    batches: dict[tuple[Any, ...], list[tuple[int, int, _Check]]] = {}
    for d, i, step in checks:
        if isinstance(step, _Check):
            batches.setdefault(_batch_key(step), []).append((d, i, step))
    alone: set[tuple[int, int]] = set()  # (document, step) validated again by itself
    for batch in batches.values():
        alone |= _run_batch(gx, [(documents[d][0], d, i, step) for d, i, step in batch])
    results: list[list[Finding]] = [[] for _ in documents]
    for d, i, step in checks:
        if not isinstance(step, _Check):
            results[d] += step
        elif (d, i) in alone:
            results[d] += step.findings(gx, documents[d][0])
    return results


def _batch_key(check: _Check) -> tuple[Any, ...]:
    """Checks that one run may validate together: one suite, the same columns and types, and
    each frame's rows its own document's (the lineage check of a batch accepts any of its
    documents, so a frame carrying another document's id is validated alone)."""
    frame = check.frame
    own = check.parameters is None or (
        "document_id" in frame.columns
        and frame["document_id"].isin(check.parameters["document_ids"]).all()
    )
    columns = tuple((str(c), str(t)) for c, t in frame.dtypes.items())
    return (check.gate.suite_name, columns) if own else ("alone", id(check))


def _run_batch(gx: Any, batch: list[tuple[str, int, int, _Check]]) -> set[tuple[int, int]]:
    """Run one suite over the frames of a batch together; the (document, step) of each
    frame that must be validated alone: those a failing row belongs to, or every one when a
    failure names no row (or the batch is a single frame)."""
    import pandas as pd

    everyone = {(d, i) for _, d, i, _ in batch}
    by_id = {document_id: (d, i) for document_id, d, i, _ in batch}
    if len(batch) < 2 or len(by_id) < len(batch):  # one frame, or one document twice
        return everyone
    check = batch[0][3]
    frame = pd.concat([step.frame for *_, step in batch], ignore_index=True)
    owners = [(d, i) for _, d, i, step in batch for _ in range(len(step.frame))]
    if ROW in frame.columns:
        frame[ROW] = range(len(frame))
    parameters = None
    if check.parameters is not None:
        parameters = {"document_ids": [document_id for document_id, *_ in batch]}
    result = gx.run(check.gate, frame, f"batch_of_{len(by_id)}_documents", parameters)
    failing: set[tuple[int, int]] = set()
    for expectation in result.results:
        if expectation.success:
            continue
        rows = (expectation.result or {}).get("unexpected_index_list") or []
        for row in rows:
            if ROW in row:
                failing.add(owners[int(row[ROW])])
            elif row.get("document_id") in by_id:
                failing.add(by_id[row["document_id"]])
            else:
                return everyone
        if not rows:
            return everyone
    return failing


def _plan(document_id: str, frames: dict[str, pd.DataFrame]) -> _Plan:
    """What gate 1 checks of one document: each row-validated family by its suite, its codes
    against the national classes, its identities."""
    import pandas as pd

    plan: _Plan = []
    parameters = {"document_ids": [document_id]}
    for family in STAGED_FAMILIES:
        frame = frames.get(family)
        if frame is None or len(frame) == 0:
            continue  # an empty table is a fact, not an error
        missing = [c for c in _required(family) if c not in frame.columns]
        validated = with_row_ids(frame, pd.Series(_staged_where(frame)))
        converter = Converter(
            document_id=document_id,
            frame=validated,
            location=_staged_location(family),
            missing_columns=missing,
        )
        plan.append(_Check(GATE1[family], validated, converter, parameters))
    return plan + _classes(document_id, frames) + _reconcile(document_id, frames)


def _classes(document_id: str, frames: dict[str, pd.DataFrame]) -> _Plan:
    """Every code of the document against its national list of 类, in one class frame and
    one checkpoint run (none for a document without codes)."""
    import pandas as pd

    classes = class_frame(document_id, frames)
    if len(classes) == 0:
        return []
    validated = with_row_ids(classes, pd.Series(_staged_where(classes)))
    converter = Converter(document_id=document_id, frame=validated, location=location)
    return [_Check(GATE1["national_classes"], validated, converter)]


# The identity builder of each reconciled family.
_Identities = Callable[[str, "pd.DataFrame"], tuple[list[dict[str, Any]], list[AmountParseError]]]
_IDENTITIES: dict[str, _Identities] = {
    "function_expenditure": function_identities,
    "basic_expenditure": basic_identities,
    "three_public": three_public_identities,
    "budget_summary": budget_summary_identities,
    "income_sources": income_sources_identities,
    "procurement": procurement_identities,
    "service_purchase": service_purchase_identities,
    # 机关运行经费 by economic code: 合计 = Σ 类, 类 = Σ 款, as the basic-expenditure table
    "operating_expenses": partial(basic_identities, family="operating_expenses"),
}


def _reconcile(document_id: str, frames: dict[str, pd.DataFrame]) -> _Plan:
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
        return [findings]
    converter = Converter(document_id=document_id)
    return [findings, _Check(GATE1["reconciliation"], identity_frame(records), converter)]
