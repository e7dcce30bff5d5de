"""The DuckDB warehouse: raw.* and audit.* tables, the working copy, the atomic publish.

A run never writes the file BI reads: it copies it to its own working copy
(`<name>.<run>.building/yusuan.duckdb`), loads and transforms the copy, and replaces the
published file only when the marts gate passes and no other run published since the copy
was taken (the copy's `.base` file records which published file it started from). DuckDB
allows one writing process per file; the steps that write hold the warehouse's lock
(yusuan.lock).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.departments import department_key
from extract.verdicts import LOADING_STATUSES, REMOVING_REASONS, Status, TableOutcome
from yusuan.settings import BUILDING_SUFFIX

if TYPE_CHECKING:
    import pyarrow as pa

AUDIT_DDL = """
create schema if not exists audit;
create table if not exists audit.document_loads (
    document_id varchar,
    file_name varchar,
    source_uri varchar,
    run_id varchar not null,
    status varchar not null,   -- loaded | partial | quarantined | skipped (extract.verdicts)
    reason varchar,            -- corrupt, encrypted, no_text_layer, not_budget, reconciliation, …
    detail varchar,
    checked_at timestamp not null
);
create table if not exists audit.findings (
    document_id varchar,
    run_id varchar not null,
    severity varchar not null, -- block | warn
    "check" varchar not null,
    page_number integer,
    table_title varchar,
    expected varchar,
    actual varchar,
    detail varchar
);
"""
LOAD_COLUMNS = [
    "document_id", "file_name", "source_uri", "run_id", "status", "reason", "detail", "checked_at",
]  # fmt: skip
FINDING_COLUMNS = [
    "document_id", "run_id", "severity", "check", "page_number", "table_title", "expected",
    "actual", "detail",
]  # fmt: skip


# pyarrow and the staged schemas (extract.schema) are imported on first use: a run that
# loads nothing records its verdicts without them.


@cache
def document_stamp() -> list[pa.Field]:
    """The columns the loader stamps on raw.documents (which run, when), with their dbt
    descriptions (tools/dbt_sources.py writes them into the dbt sources after those of
    extract/schema.py)."""
    import pyarrow as pa

    from extract.schema import column

    return [
        column("run_id", pa.string(), "The run that loaded the document's rows into raw."),
        column(
            "loaded_at", pa.timestamp("us"), "When the loader wrote the document's rows into raw."
        ),
    ]


@cache
def raw_tables() -> list[str]:
    """raw.documents and the staged tables (extract.schema.STAGED), in loading order."""
    from extract.schema import STAGED

    return ["documents", *STAGED]


def _staged() -> dict[str, pa.Schema]:
    from extract.schema import STAGED

    return STAGED


def sql_type(arrow_type: pa.DataType) -> str:
    """The DuckDB type of a raw column (also the data_type of the dbt sources)."""
    import pyarrow as pa

    if pa.types.is_decimal(arrow_type):
        return f"decimal({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_int32(arrow_type):
        return "integer"
    if pa.types.is_int64(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    return "varchar"


def raw_ddl() -> str:
    """Create the raw tables, and add the columns a newer schema brought to older ones
    (a warehouse published by an earlier version keeps loading)."""
    from extract.schema import DOCUMENTS, STAGED

    tables = {"documents": DOCUMENTS, **STAGED}
    statements = ["create schema if not exists raw;"]
    for name, schema in tables.items():
        fields = [*schema, *document_stamp()] if name == "documents" else list(schema)
        columns = [f'"{f.name}" {sql_type(f.type)}' for f in fields]
        statements.append(f"create table if not exists raw.{name} ({', '.join(columns)});")
        statements += [f"alter table raw.{name} add column if not exists {c};" for c in columns]
    return "\n".join(statements)


def connect(path: Path, read_only: bool = False) -> Any:
    import duckdb

    return duckdb.connect(str(path), read_only=read_only)


class ConcurrentWrite(RuntimeError):
    """Another run published the warehouse after this run's working copy was taken."""


def fingerprint(path: Path) -> str:
    """Which file is published at `path` now: every publish replaces it with a new file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "none"
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def _base(building: Path) -> Path:
    return building.with_name(building.name + ".base")


def discard(building: Path) -> None:
    """Remove a working copy and its folder (the `.wal` and `.base` files beside it)."""
    if not building.parent.name.endswith(BUILDING_SUFFIX):
        raise ValueError(f"not a working copy (yusuan.settings.Settings.building): {building}")
    shutil.rmtree(building.parent, ignore_errors=True)


def prepare_build(published: Path, building: Path, raw: bool = True) -> None:
    """Start the working copy from the last published warehouse (or empty). Without `raw`
    (a run that loads no rows into a published warehouse) the raw tables are left as they
    are: the next run that loads brings them to the schema."""
    discard(building)
    building.parent.mkdir(parents=True, exist_ok=True)
    _base(building).write_text(fingerprint(published))
    if published.exists():
        shutil.copyfile(published, building)
    with connect(building) as con:
        if raw or not published.exists():
            con.execute(raw_ddl())
        con.execute(AUDIT_DDL)


def load_document(
    con: Any,
    document_id: str,
    staging_dir: Path,
    run_id: str,
    held: dict[int, str] | None = None,
) -> dict[str, int]:
    """Replace one document's raw rows with its staged parquet, without the rows of the
    tables `held` back by gate 1 (table index -> reason); record each table's outcome.
    Return rows per table."""
    reasons = held or {}
    held_indexes = list(reasons)
    counts: dict[str, int] = {}
    for name in raw_tables():
        # paths are bound as parameters, never spliced into SQL (a folder may be o'brien)
        path = str(staging_dir / f"{name}.parquet")
        con.execute(f"delete from raw.{name} where document_id = ?", [document_id])
        if name == "documents":
            con.execute(
                "insert into raw.documents by name select *, ? as run_id, now() as loaded_at"
                " from read_parquet(?)",
                [run_id, path],
            )
        else:
            con.execute(f"insert into raw.{name} by name select * from read_parquet(?)", [path])
        if name == "tables":
            for index, why in reasons.items():  # (an unread table stays unread: its reason)
                con.execute(
                    "update raw.tables set outcome = ?, reason = ?"
                    " where document_id = ? and table_index = ? and outcome = ?",
                    [TableOutcome.HELD, why, document_id, index, TableOutcome.READ],
                )
            con.execute(
                "update raw.tables set outcome = ? where document_id = ? and outcome = ?",
                [TableOutcome.LOADED, document_id, TableOutcome.READ],
            )
        elif reasons and name in _staged() and "table_index" in _staged()[name].names:
            con.execute(
                f"delete from raw.{name} where document_id = ? and list_contains(?, table_index)",
                [document_id, held_indexes],
            )
        counts[name] = con.execute(
            f"select count(*) from raw.{name} where document_id = ?", [document_id]
        ).fetchone()[0]
    return counts


def hold(con: Any, holds: Iterable[Any], run_id: str, published: Path) -> list[dict[str, Any]]:
    """Take the tables (or whole documents) of `holds` (yusuan.holds.Hold) out of this run's
    working copy: their rows leave raw.*, raw.tables says `held` with the hold's reason, the
    document's verdict of this run becomes `partial` (or `quarantined` when no table of it
    is left), and each hold is a finding. A document quarantined here that an earlier run
    loaded gets its published rows back. Returns the changed verdicts, each with its `held`
    tables and `findings` (for the alert)."""
    by_document: dict[str, list[Any]] = {}
    for item in holds:
        by_document.setdefault(item.document_id, []).append(item)
    changed = []
    for document_id, items in by_document.items():
        held = _hold_tables(con, document_id, [h for h in items if h.table_index is not None])
        left = con.execute(
            "select count(*) from raw.tables where document_id = ? and family is not null"
            " and list_contains(?, outcome)",
            [document_id, [str(TableOutcome.LOADED), str(TableOutcome.EMPTY)]],
        ).fetchone()[0]
        whole = any(h.table_index is None for h in items) or not left
        verdict = _held_verdict(con, document_id, run_id, items, held, whole, published)
        findings = [
            {
                "document_id": document_id,
                "run_id": run_id,
                "severity": "block",
                "check": h.check,
                "page_number": h.page_number,
                "table_title": next(
                    (t["table_title"] for t in held if t["table_index"] == h.table_index), None
                ),
                "detail": h.detail,
            }
            for h in items
        ]
        record_audit(con, [], findings)
        changed.append(verdict | {"held": held, "findings": findings})
    return changed


def _hold_tables(con: Any, document_id: str, items: list[Any]) -> list[dict[str, Any]]:
    """Hold the tables `items` name (each once, with its first hold's reason and detail)."""
    held = []
    for index in sorted({h.table_index for h in items}):
        first = next(h for h in items if h.table_index == index)
        row = con.execute(
            "update raw.tables set outcome = ?, reason = ?"
            " where document_id = ? and table_index = ? and outcome <> ?"
            " returning page_number, table_title",
            [TableOutcome.HELD, first.reason, document_id, index, TableOutcome.HELD],
        ).fetchone()
        for name, schema in _staged().items():
            if name != "tables" and "table_index" in schema.names:
                con.execute(
                    f"delete from raw.{name} where document_id = ? and table_index = ?",
                    [document_id, index],
                )
        if row is not None:
            held.append(
                {
                    "table_index": index,
                    "page_number": row[0],
                    "table_title": row[1],
                    "reason": first.reason,
                    "detail": first.detail,
                }
            )
    return held


def _held_verdict(
    con: Any,
    document_id: str,
    run_id: str,
    items: list[Any],
    held: list[dict[str, Any]],
    whole: bool,
    published: Path,
) -> dict[str, Any]:
    """Rewrite this run's verdict of a document some of whose tables were held."""
    columns = ("document_id", "file_name", "source_uri", "status", "reason", "detail")
    found = con.execute(
        f"select {', '.join(columns)} from audit.document_loads"
        " where run_id = ? and document_id = ? order by checked_at desc limit 1",
        [run_id, document_id],
    ).fetchone()
    verdict = dict(zip(columns, found, strict=True)) if found else {"document_id": document_id}
    tables = " | ".join(
        f"page {t['page_number']} {t['table_title'] or '(untitled)'!r} ({t['reason']}): "
        f"{t['detail']}"
        for t in held
    )
    what = f"{len(held)} table(s) held back after gate 1: {tables}" if held else items[0].detail
    if whole:
        remove_document(con, document_id)
        status, reason = Status.QUARANTINED, items[0].reason
        if _restore(con, document_id, published):
            what += "; the rows loaded by an earlier run stay in the warehouse"
    else:
        status = Status.PARTIAL
        reason = verdict.get("reason") if verdict.get("status") == Status.PARTIAL else None
        reason = reason or items[0].reason
    detail = f"{what}; {verdict['detail']}" if verdict.get("detail") else what
    con.execute(
        "update audit.document_loads set status = ?, reason = ?, detail = ?"
        " where run_id = ? and document_id = ?",
        [status, reason, detail, run_id, document_id],
    )
    return verdict | {"status": str(status), "reason": str(reason), "detail": detail}


def _restore(con: Any, document_id: str, published: Path) -> bool:
    """Put back the rows the published warehouse holds of a document; False if none."""
    if not published.exists():
        return False
    con.execute("attach ? as published (read_only)", [str(published)])
    try:
        tables = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_catalog = 'published' and table_schema = 'raw'"
            ).fetchall()
        }
        if (
            "documents" not in tables
            or not con.execute(
                "select count(*) from published.raw.documents where document_id = ?", [document_id]
            ).fetchone()[0]
        ):
            return False
        for name in raw_tables():
            if name in tables:
                con.execute(
                    f"insert into raw.{name} by name"
                    f" select * from published.raw.{name} where document_id = ?",
                    [document_id],
                )
        return True
    finally:
        con.execute("detach published")


def remove_document(con: Any, document_id: str) -> None:
    for name in raw_tables():
        con.execute(f"delete from raw.{name} where document_id = ?", [document_id])


def documents_of_budget(con: Any, key: dict[str, Any], *, exclude: str) -> list[dict[str, Any]]:
    """Documents in raw.documents of one budget (`key`: the columns of
    versions.BUDGET_KEY; its department by extract.departments.department_key) other than
    `exclude`, first loaded first, each with its status (its latest loading verdict:
    loaded or partial). The region and province narrow the search in SQL (a province's
    warehouse holds a year's thousands of documents); the name is compared by the key."""
    columns = ("document_id", "file_name", "source_uri", "run_id", "status")
    named = ("department_name", "region", "province")
    rows = con.execute(
        f"""select {", ".join(columns + named)} from raw.documents
            left join (
                select document_id, arg_max(status, checked_at) as status
                from audit.document_loads where list_contains($loading, status)
                group by document_id
            ) using (document_id)
            where fiscal_year = $fiscal_year
              and budget_level is not distinct from $budget_level
              and coalesce(document_kind, 'tables') = coalesce($document_kind, 'tables')
              and coalesce(region, '') = coalesce($region, '')
              and coalesce(province, '') = coalesce($province, '')
              and document_id <> $exclude
            order by loaded_at, document_id""",
        {name: key.get(name) for name in ("fiscal_year", "budget_level", "document_kind")}
        | {name: key.get(name) for name in ("region", "province")}
        | {"exclude": exclude, "loading": [str(s) for s in LOADING_STATUSES]},
    ).fetchall()
    department = department_key(key["department_name"], key.get("region"), key.get("province"))
    return [
        dict(zip(columns, row, strict=False))
        for row in rows
        if row[len(columns)] and department_key(*row[len(columns) :]) == department
    ]


def documents_by_id(con: Any, ids: list[str]) -> list[dict[str, Any]]:
    """Documents whose id starts with one of `ids` (a whole id or a prefix of one): those
    in raw.documents, and those the audit says are loaded though raw.documents lost them
    (a warehouse written by an earlier version: removing them repairs it)."""
    columns = ("document_id", "file_name", "source_uri")
    rows = con.execute(
        f"""select {", ".join(columns)} from raw.documents
            union all by name
            select document_id, arg_max(file_name, checked_at) as file_name,
                   arg_max(source_uri, checked_at) as source_uri
            from audit.document_loads
            where document_id is not null and list_contains($loading, status)
              and document_id not in (select document_id from raw.documents)
            group by document_id
            order by document_id""",
        {"loading": [str(s) for s in LOADING_STATUSES]},
    ).fetchall()
    found = [dict(zip(columns, row, strict=True)) for row in rows]
    return [doc for doc in found if any(doc["document_id"].startswith(i) for i in ids)]


def keep_audit(rejected: Path, published: Path, run_id: str, reason: str, detail: str) -> None:
    """Carry a failed run's audit rows over to the published warehouse.

    Documents that passed gate 1 were not published: they are recorded as quarantined
    with the run's reason. Documents the run would have taken out (superseded by a
    re-issue loaded with force, or removed by `yusuan remove`) are still in the published
    warehouse: those verdicts are dropped. The published file is never written in place
    (BI may hold it open): a copy gets the rows, then replaces it.
    """
    if not published.exists():
        return  # nothing published yet: the audit stays in the rejected build
    with _rewriting(published) as con:
        con.execute("attach ? as failed (read_only)", [str(rejected)])  # bound, not spliced
        con.execute(
            """insert into audit.document_loads
               select document_id, file_name, source_uri, run_id,
                      case when list_contains($loading, status) then 'quarantined'
                           else status end,
                      case when list_contains($loading, status) then $reason else reason end,
                      case when list_contains($loading, status) then $detail else detail end,
                      checked_at
               from failed.audit.document_loads
               where run_id = $run_id
                 and not list_contains($removing, coalesce(reason, ''))""",
            {
                "loading": [str(s) for s in LOADING_STATUSES],
                "removing": [str(r) for r in REMOVING_REASONS],
                "reason": reason,
                "detail": f"passed gate 1; the run was not published: {detail}"[:2000],
                "run_id": run_id,
            },
        )
        con.execute(
            "insert into audit.findings select * from failed.audit.findings where run_id = ?",
            [run_id],
        )
        con.execute("detach failed")


def record_published_findings(published: Path, findings: Iterable[Mapping[str, Any]]) -> None:
    """Add findings to the published warehouse's audit (a step after its publish failed:
    yusuan.bi_postgres), the way keep_audit adds a failed run's."""
    with _rewriting(published) as con:
        record_audit(con, [], findings)


@contextmanager
def _rewriting(published: Path) -> Iterator[Any]:
    """A connection to a copy of the published warehouse, which then replaces it: the
    published file is never written in place (BI may hold it open). Hold the lock."""
    staging_copy = published.with_name(published.stem + ".audit.duckdb")
    shutil.copyfile(published, staging_copy)
    with connect(staging_copy) as con:
        con.execute(AUDIT_DDL)
        yield con
        con.execute("checkpoint")
    os.replace(staging_copy, published)


def record_audit(
    con: Any, loads: Iterable[Mapping[str, Any]], findings: Iterable[Mapping[str, Any]]
) -> None:
    con.execute(AUDIT_DDL)
    load_rows = [[row.get(c) for c in LOAD_COLUMNS] for row in loads]
    if load_rows:
        con.executemany(
            f"insert into audit.document_loads values ({', '.join('?' * len(LOAD_COLUMNS))})",
            load_rows,
        )
    finding_rows = [[row.get(c) for c in FINDING_COLUMNS] for row in findings]
    if finding_rows:
        con.executemany(
            f"insert into audit.findings values ({', '.join('?' * len(FINDING_COLUMNS))})",
            finding_rows,
        )


def loaded_documents(published: Path) -> set[str]:
    """Documents the published warehouse already holds."""
    if not published.exists():
        return set()
    with connect(published, read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'documents'"
        ).fetchone()[0]
        if not exists:
            return set()
        return {row[0] for row in con.execute("select document_id from raw.documents").fetchall()}


def superseded_documents(published: Path) -> dict[str, str]:
    """Documents a re-issue replaced (audit reason 'superseded') that the published
    warehouse no longer holds, with the detail naming what replaced them."""
    if not published.exists():
        return {}
    with connect(published, read_only=True) as con:
        tables = {
            row[0]
            for row in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if not {"raw.documents", "audit.document_loads"} <= tables:
            return {}
        rows = con.execute(
            """select document_id, arg_max(detail, checked_at) from audit.document_loads
               where reason = 'superseded'
                 and document_id not in (select document_id from raw.documents)
               group by document_id"""
        ).fetchall()
        return {document_id: detail for document_id, detail in rows}


def publish(building: Path, published: Path) -> None:
    """Atomically replace the file BI reads with the finished working copy; raise
    ConcurrentWrite when the published file is no longer the one the copy started from
    (publishing would drop what the other run loaded). Call it holding the lock."""
    base = _base(building).read_text() if _base(building).exists() else "(unknown)"
    if base != fingerprint(published):
        raise ConcurrentWrite(
            f"another run replaced {published} after this run copied it; this run's "
            "documents were not published: load them again"
        )
    with connect(building) as con:
        con.execute("checkpoint")
    os.replace(building, published)
    discard(building)


def run_verdicts(path: Path, run_id: str) -> list[dict[str, Any]]:
    """The verdicts run `run_id` recorded in the warehouse at `path` (after its holds)."""
    columns = ("file_name", "status", "reason", "detail")
    with connect(path, read_only=True) as con:
        rows = con.execute(
            f"select {', '.join(columns)} from audit.document_loads where run_id = ?"
            " order by checked_at, file_name",
            [run_id],
        ).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def mart_counts(path: Path) -> dict[str, int]:
    with connect(path, read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
