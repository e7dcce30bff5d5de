"""The warehouse's invariants, checked by gate 2 before a run is published.

The audit and the rows must tell the same story:
- `loaded_document_in_raw`: a document whose rows should be in the warehouse (its latest
  'loaded' or 'partial' verdict is newer than its latest 'superseded' / 'removed' one) has
  its row in raw.documents;
- `raw_document_audited_loaded`: every document in raw.documents is such a document;
- `loaded_document_in_marts`: every such document is in marts.dim_document;
- `mart_rows_of_loaded_documents`: no mart holds a row of any other document;
- `one_verdict_per_source`: this run recorded one verdict per source and document.

Each is a dbt singular test (dbt_project/tests/invariants/<name>.sql, severity warn, so
that `dbt build` goes on) returning the rows that break it; dbt stores them as a view in
schema audit_tests, which is read here: every such row blocks publishing, and so does an
invariant dbt did not check. A broken invariant is the warehouse's fault, never one
document's: yusuan.holds holds no table for it.
"""

from __future__ import annotations

from typing import Any

from expectations.findings import BLOCK
from extract.verdicts import LOADING_STATUSES


def _listed(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{word}'" for word in words)


# The documents a run ($run_id) loaded, whole or in part: what gate 2 checks row by row.
RUN_DOCUMENTS = f"""
    select document_id from audit.document_loads
    where run_id = $run_id and status in ({_listed(LOADING_STATUSES)})
"""

# Their names: the file names of dbt_project/tests/invariants/ (a test keeps them equal).
INVARIANTS = (
    "loaded_document_in_raw",
    "raw_document_audited_loaded",
    "loaded_document_in_marts",
    "mart_rows_of_loaded_documents",
    "one_verdict_per_source",
)
# Where dbt stores a test's failing rows (dbt_project.yml: data_tests +schema).
STORED_FAILURES = "audit_tests"


def _record(check: str, document_id: str | None, detail: str) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "budget_scope": None,
        "severity": BLOCK,
        "page_number": None,
        "table_title": None,
        "check": check,
        "expected": "0 rows",
        "actual": "1 row",
        "tolerance": 0.0,
        "excess": 1.0,
        "detail": f"warehouse invariant {check}: {detail}",
    }


def invariant_records(con: Any) -> list[dict[str, Any]]:
    """One identity record (excess 1: blocks) per row that breaks an invariant, read from
    the rows dbt stored; one per invariant dbt did not check."""
    stored = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [STORED_FAILURES],
        ).fetchall()
    }
    records = []
    for check in INVARIANTS:
        if check not in stored:
            records.append(
                _record(
                    check,
                    None,
                    f"not checked: {STORED_FAILURES}.{check} is missing (dbt build runs it)",
                )
            )
            continue
        for document_id, detail in con.execute(
            f'select document_id, detail from {STORED_FAILURES}."{check}"'
        ).fetchall():
            records.append(_record(check, document_id, detail))
    return records
