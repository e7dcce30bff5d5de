"""What a bad row may cost after gate 1: its table, or its document, never the run.

A row can still fail after gate 1: a dbt data test (a code missing from a reference list, a
value not accepted, a key repeated) or gate 2 (the marts against the raw totals). Each such
failure names the rows it failed on, and each row its document (and its table, or page):

- dbt: every data test stores its failing rows, whole, as a view in schema `audit_tests`
  (dbt_project.yml; the project's own `unique`, `relationships`, `accepted_values` and
  `unique_combination_of_columns` return rows, not values). `failed_tests` reads which
  tests failed from dbt's run_results.json and manifest.json; `trace_tests` reads their
  rows.
- gate 2: a blocking finding names its document, page and table title (`trace_findings`).

Each row becomes a `Hold`: the table it came from, or its whole document when no table is
named. The pipeline holds them in the working copy (`warehouse.hold`), rebuilds the marts
without them, gates and publishes the rest. A failure no document of this run explains (a
model that errors, a row of a document published earlier, a gate-2 invariant) fails the run,
and the last good warehouse stays published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from extract.verdicts import Reason


@cache
def _families() -> set[str]:
    """The staged families a fact is read from (raw.tables says which family each table fed)."""
    from extract.schema import STAGED

    return {
        name
        for name, schema in STAGED.items()
        if name != "tables" and "table_index" in schema.names
    }


# Columns that name a failing row in a finding's detail, the first present of each kind.
_NAMING = ("function_code", "economic_code", "class_code", "category", "line_name")
_MAX_NAMED_ROWS = 3  # rows of one test named in a detail; the count says how many failed


@dataclass(frozen=True)
class Hold:
    """One table (or a whole document, `table_index` None) to take out of the build."""

    document_id: str
    table_index: int | None
    check: str  # the dbt test or the gate-2 check
    detail: str  # the failing row: model, page, code and value
    reason: str = str(Reason.MODEL_TEST)
    page_number: int | None = None


@dataclass(frozen=True)
class FailedTest:
    """A node of a dbt build that did not pass."""

    unique_id: str
    name: str
    status: str  # fail | error
    message: str
    relation: str | None  # where a data test stored its failing rows (audit_tests.<view>)
    model: str | None  # the model or seed it tests
    column: str | None  # the column it tests, if one
    family: str | None  # the staged family the tested model reads, when exactly one
    keys: tuple[str, ...] = ()  # the tested model's unique columns (a dimension's keys)

    @property
    def is_data_test(self) -> bool:
        return self.unique_id.startswith("test.") and self.status == "fail"


def _families_of(node_id: str, nodes: Mapping[str, Any]) -> set[str]:
    """The staged families a model reads: its stg_yusuan__<family> ancestors."""
    seen: set[str] = set()
    todo = [node_id]
    families: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        name = current.rsplit(".", 1)[-1]
        if current.startswith("source."):  # a raw.* table, named after its family
            families |= {name} & _families()
            continue
        if current.startswith("model.") and name.startswith("stg_yusuan__"):
            families |= {name.removeprefix("stg_yusuan__")} & _families()
            continue
        todo += nodes.get(current, {}).get("depends_on", {}).get("nodes", [])
    return families


def failed_tests(target: Path) -> list[FailedTest]:
    """The nodes of the last `dbt build` in `target` that failed or errored."""
    results = json.loads((target / "run_results.json").read_text()).get("results", [])
    nodes = json.loads((target / "manifest.json").read_text()).get("nodes", {})
    keys: dict[str, list[str]] = {}  # model -> its columns dbt tests `unique`
    for node in nodes.values():
        if (node.get("test_metadata") or {}).get("name") == "unique" and node.get("column_name"):
            keys.setdefault(node.get("attached_node") or "", []).append(node["column_name"])
    failed = []
    for result in results:
        if result["status"] not in ("fail", "error"):
            continue
        node = nodes.get(result["unique_id"], {})
        # the model or seed a test is attached to; a source's test depends on the source
        attached = node.get("attached_node") or next(
            iter(node.get("depends_on", {}).get("nodes", [])), None
        )
        families = _families_of(attached, nodes) if attached else set()
        failed.append(
            FailedTest(
                unique_id=result["unique_id"],
                name=node.get("name") or result["unique_id"],
                status=result["status"],
                message=(result.get("message") or "").strip(),
                relation=result.get("relation_name"),
                model=attached.rsplit(".", 1)[-1] if attached else None,
                column=node.get("column_name"),
                family=families.pop() if len(families) == 1 else None,
                keys=tuple(keys.get(attached or "", ())),
            )
        )
    return failed


def _stored_failures(relation: str) -> str:
    """`"db"."audit_tests"."view"` -> `"audit_tests"."view"`: the database is the file's
    name, which the connection that reads it may call otherwise."""
    parts = re.findall(r'"((?:[^"]|"")*)"', relation)
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts[-2:])


def _row_named(test: FailedTest, row: Mapping[str, Any]) -> str:
    parts = [f"page {row['page_number']}"] if row.get("page_number") is not None else []
    if test.column and row.get(test.column) is not None:
        parts.append(f"{test.column} {row[test.column]!r}")
    parts += [f"{c} {row[c]!r}" for c in _NAMING if c != test.column and row.get(c) is not None][:1]
    return ", ".join(parts) or "a row"


def trace_tests(
    con: Any, failed: Iterable[FailedTest], run_documents: set[str]
) -> tuple[list[Hold], list[str]]:
    """The holds that explain the failed tests, and what no document of this run explains.

    A failing row explains its test when it carries a `document_id` this run loaded: it
    holds its table (`table_index`, else the tables of its family on its `page_number`), or
    its document when it names neither.
    """
    holds: list[Hold] = []
    unexplained: list[str] = []
    for test in failed:
        if not test.is_data_test or not test.relation:
            unexplained.append(f"{test.name} ({test.status}): {test.message}")
            continue
        try:
            cursor = con.execute(f"select * from {_stored_failures(test.relation)}")
        except Exception as exc:  # its stored rows cannot be read: nothing names a document
            unexplained.append(f"{test.name}: its failing rows cannot be read ({exc})")
            continue
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        if "document_id" not in columns:  # a dimension's rows: the documents using its key
            documents = _documents_by_key(con, test, rows, run_documents)
            if not documents:
                unexplained.append(
                    f"{test.name}: {len(rows)} failing row(s) of {test.model} name no document"
                    " of this run"
                )
            for document_id, named in sorted(documents.items()):
                detail = (
                    f"dbt test {test.name} failed on {len(rows)} row(s) of {test.model}, "
                    f"whose {named} this document's rows use"
                )
                holds.append(Hold(document_id, None, test.name, detail))
            continue
        others = {r["document_id"] for r in rows} - run_documents
        if others:
            named = ", ".join(sorted(str(d)[:12] for d in others))
            unexplained.append(
                f"{test.name}: failing row(s) of {test.model} belong to documents this run did "
                f"not load ({named})"
            )
            continue
        by_document: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_document.setdefault(row["document_id"], []).append(row)
        for document_id, doc_rows in by_document.items():
            named_rows = "; ".join(_row_named(test, r) for r in doc_rows[:_MAX_NAMED_ROWS])
            extra = len(doc_rows) - _MAX_NAMED_ROWS
            more = f" and {extra} more" if extra > 0 else ""
            detail = (
                f"dbt test {test.name} failed on {len(doc_rows)} row(s) of {test.model}: "
                f"{named_rows}{more}"
            )
            for index, page in _tables_of(con, test.family, doc_rows):
                holds.append(Hold(document_id, index, test.name, detail, page_number=page))
    return holds, unexplained


def _documents_by_key(
    con: Any, test: FailedTest, rows: list[dict[str, Any]], run_documents: set[str]
) -> dict[str, str]:
    """The documents of this run whose staged or built rows carry a key of the failing rows
    of a dimension (the new documents sharing a key with the published ones), each with the
    key it uses. A failure of the dimension that persists without them fails the run."""
    found: dict[str, str] = {}
    for key in test.keys:
        values = sorted({str(r[key]) for r in rows if r.get(key) is not None})
        if not values:
            continue
        relations = con.execute(
            """select table_schema, table_name from information_schema.columns
               where table_schema in ('staging', 'intermediate', 'marts')
                 and column_name in ('document_id', ?)
               group by all having count(distinct column_name) = 2""",
            [key],
        ).fetchall()
        for schema, table in relations:
            for (document_id,) in con.execute(
                f'select distinct document_id from "{schema}"."{table}"'
                f' where list_contains(?, cast("{key}" as varchar))',
                [values],
            ).fetchall():
                if document_id in run_documents:
                    found.setdefault(document_id, f"{key} {', '.join(values[:3])}")
    return found


def _tables_of(
    con: Any, family: str | None, rows: list[dict[str, Any]]
) -> list[tuple[int | None, int | None]]:
    """(table_index, page) of each table the rows came from; (None, page) for a row that
    names no table of the document (its whole document is held)."""
    found: set[tuple[int | None, int | None]] = set()
    for row in rows:
        page = row.get("page_number")
        if row.get("table_index") is not None:
            found.add((int(row["table_index"]), page))
            continue
        # the tables on its page that fed its family (raw.tables names the parser, which
        # may write more than one family: the family's own rows say which tables fed it)
        fed = (
            f"and table_index in (select table_index from raw.{family} where document_id = ?)"
            if family in _families()
            else ""
        )
        indexes = (
            [
                index
                for (index,) in con.execute(
                    f"""select table_index from raw.tables
                        where document_id = ? and ? between page_number and last_page_number
                        {fed}""",
                    [row["document_id"], page] + ([row["document_id"]] if fed else []),
                ).fetchall()
            ]
            if page is not None
            else []
        )
        found |= {(int(i), page) for i in indexes} or {(None, page)}
    return sorted(found, key=lambda t: (t[0] is None, t[0] or 0))


def trace_findings(
    con: Any, findings: Iterable[Mapping[str, Any]], run_documents: set[str], not_held: set[str]
) -> tuple[list[Hold], list[str]]:
    """Gate 2's blocking findings as holds: each names a document of this run and the page
    and title of its table (all tables on the page when it names no title, the document when
    it names no page). A finding of a check in `not_held` (the warehouse's invariants: not
    one document's fault) or of no document of this run is unexplained."""
    holds: list[Hold] = []
    unexplained: list[str] = []
    for finding in findings:
        if finding["severity"] != "block":
            continue
        document_id = finding.get("document_id")
        if finding["check"] in not_held or document_id not in run_documents:
            unexplained.append(f"{finding['check']}: {finding['detail']}")
            continue
        page = finding.get("page_number")
        indexes = (
            [
                index
                for (index,) in con.execute(
                    """select table_index from raw.tables
                       where document_id = ? and ? between page_number and last_page_number
                         and table_title is not distinct from coalesce(?, table_title)""",
                    [document_id, page, finding.get("table_title")],
                ).fetchall()
            ]
            if page is not None
            else []
        )
        for index in indexes or [None]:
            holds.append(
                Hold(
                    document_id,
                    None if index is None else int(index),
                    finding["check"],
                    f"gate 2: {finding['detail']}",
                    reason=str(Reason.MARTS_GATE),
                    page_number=page,
                )
            )
    return holds, unexplained
