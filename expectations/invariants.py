"""The warehouse's invariants, checked by gate 2 before a run is published.

The audit and the rows must tell the same story:
- `loaded_document_in_raw`: a document whose rows should be in the warehouse (its latest
  'loaded' or 'partial' verdict is newer than its latest 'superseded' / 'removed' one) has
  its row in raw.documents;
- `raw_document_audited_loaded`: every document in raw.documents is such a document;
- `loaded_document_in_marts`: every such document is in marts.dim_document;
- `mart_rows_of_loaded_documents`: no mart holds a row of any other document;
- `one_verdict_per_source`: this run recorded one verdict per source and document.

Each is one SQL query over the working copy returning the rows that break it (none when
the warehouse is sound); gate 2 validates them with the marts' identity rows, and any
such row blocks publishing.
"""

from __future__ import annotations

from typing import Any

from expectations.findings import BLOCK
from extract.verdicts import LOADING_STATUSES, REMOVING_REASONS


def _listed(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{word}'" for word in words)


# The documents a run ($run_id) loaded, whole or in part: what gate 2 checks row by row.
RUN_DOCUMENTS = f"""
    select document_id from audit.document_loads
    where run_id = $run_id and status in ({_listed(LOADING_STATUSES)})
"""

# Documents whose rows belong in the warehouse, by their audit.
_IN_WAREHOUSE = f"""
    select document_id, any_value(file_name) as file_name
    from (
        select document_id, file_name,
               arg_max(status, checked_at) over (partition by document_id) as last_status
        from audit.document_loads
        where document_id is not null
          and (status in ({_listed(LOADING_STATUSES)})
               or reason in ({_listed(REMOVING_REASONS)}))
    )
    where last_status in ({_listed(LOADING_STATUSES)})
    group by document_id
"""


def _checks(mart_tables: list[str]) -> dict[str, str]:
    """Per invariant, a query of (document_id, detail) rows that break it."""
    marts = " union all ".join(
        f"select distinct document_id, '{table}' as mart from marts.{table}"
        for table in mart_tables
    )
    checks = {
        "loaded_document_in_raw": """
            select w.document_id, 'document ' || left(w.document_id, 12) || ' ('
                   || w.file_name || ') is audited loaded but has no row in raw.documents'
            from in_warehouse w
            where w.document_id not in (select document_id from raw.documents)""",
        "raw_document_audited_loaded": """
            select r.document_id, 'document ' || left(r.document_id, 12) || ' ('
                   || coalesce(r.file_name, '?') || ') is in raw.documents but its audit'
                   || ' does not say it is loaded'
            from raw.documents r
            where r.document_id not in (select document_id from in_warehouse)""",
        "loaded_document_in_marts": """
            select w.document_id, 'document ' || left(w.document_id, 12) || ' ('
                   || w.file_name || ') is audited loaded but is not in marts.dim_document'
            from in_warehouse w
            where w.document_id not in (select document_id from marts.dim_document)""",
        "one_verdict_per_source": """
            select document_id, count(*) || ' verdicts in run ' || run_id || ' for '
                   || source_uri || ' (document ' || coalesce(left(document_id, 12), 'none')
                   || ')'
            from audit.document_loads
            where run_id = $run_id
            group by run_id, source_uri, document_id
            having count(*) > 1""",
    }
    if marts:
        checks["mart_rows_of_loaded_documents"] = f"""
            select m.document_id, 'marts.' || m.mart || ' holds rows of document '
                   || left(m.document_id, 12) || ', which is not audited loaded'
            from ({marts}) m
            where m.document_id is not null
              and m.document_id not in (select document_id from in_warehouse)"""
    return checks


# Their names: a broken invariant is the warehouse's fault, never one document's (a run
# whose gate 2 finds one is not published; yusuan.holds holds no table for it).
INVARIANTS = tuple(_checks(["any_mart"]))


def invariant_records(con: Any, run_id: str | None) -> list[dict[str, Any]]:
    """One identity record (excess 1: blocks) per row that breaks an invariant."""
    tables = {
        row[0]
        for row in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }
    if not {"audit.document_loads", "raw.documents", "marts.dim_document"} <= tables:
        return []  # gate 2 reports each missing table (expectations/gate2.py)
    mart_tables = [
        row[0]
        for row in con.execute(
            """select table_name from information_schema.columns
               where table_schema = 'marts' and column_name = 'document_id'
               order by table_name"""
        ).fetchall()
    ]
    records = []
    for check, query in _checks(mart_tables).items():
        sql = f"with in_warehouse as ({_IN_WAREHOUSE}) {query}"
        params = {"run_id": run_id or ""} if "$run_id" in query else {}
        for document_id, detail in con.execute(sql, params).fetchall():
            records.append(
                {
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
            )
    return records
