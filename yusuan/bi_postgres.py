"""The marts in PostgreSQL, for BI tools on other machines (YUSUAN_BI_POSTGRES_URL).

After each DuckDB publish, `publish_marts` writes the published warehouse's marts into the
PostgreSQL schema `marts` in one transaction: the tables are created in a fresh schema and
filled with COPY, then the schemas are swapped (marts -> old, new -> marts, old dropped)
and the reader role is granted them again. BI never sees half a run: a query sees the old
marts or the new ones, whole; the swap waits (up to the writer lock's timeout) for
transactions still reading the old tables. DuckDB's postgres extension cannot be installed
here: rows travel as CSV through psycopg2's COPY.

`copy_schema` is the same copy without the swap: the parity test and the benchmark put a
warehouse's raw.* and audit.* into a throw-away database, for `dbt build --target postgres`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv

SCHEMA = "marts"  # what BI reads
# the role BI's logins are made members of (docs/operations.md): USAGE on the schema and
# SELECT on its tables, granted again after each swap; no login of its own
READER_ROLE = "yusuan_reader"
# the finding a failed write leaves in the published warehouse's audit, and its alert
FAILED = "bi_postgres_failed"

_NEXT, _OLD = f"{SCHEMA}__next", f"{SCHEMA}__old"
# DuckDB's column types (information_schema.columns.data_type) -> PostgreSQL's, the one
# map; DECIMAL(p,s) and lists (T[]) are mapped in `pg_type`
PG_TYPES = {
    "VARCHAR": "varchar",
    "BOOLEAN": "boolean",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_BATCH_ROWS = 100_000  # rows per COPY: a large table never sits whole in memory


class Unmapped(ValueError):
    """A DuckDB column type with no PostgreSQL type in PG_TYPES."""


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL type of a DuckDB column type: VARCHAR[] -> varchar[]."""
    if duckdb_type.endswith("[]"):
        return pg_type(duckdb_type[:-2]) + "[]"
    if found := _DECIMAL.fullmatch(duckdb_type):
        return f"numeric({found[1]}, {found[2]})"
    if duckdb_type not in PG_TYPES:
        raise Unmapped(f"no PostgreSQL type for DuckDB's {duckdb_type} (yusuan.bi_postgres)")
    return PG_TYPES[duckdb_type]


def _as_text(column: str, duckdb_type: str) -> str:
    """A DuckDB expression writing the column as PostgreSQL reads it from CSV: a list as an
    array literal ({"a","b \\"c\\""}), anything else as DuckDB prints it."""
    quoted = f'"{column}"'
    if duckdb_type.endswith("[]"):
        element = r"""replace(replace(cast(x as varchar), '\', '\\'), '"', '\"')"""
        items = f"""list_transform({quoted}, lambda x: coalesce('"' || {element} || '"', 'NULL'))"""
        return f"'{{' || array_to_string({items}, ',') || '}}'"
    return f"cast({quoted} as varchar)"


def _columns(duck: Any, schema: str, table: str) -> list[tuple[str, str]]:
    columns: list[tuple[str, str]] = duck.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return columns


def tables(duck: Any, schema: str) -> list[str]:
    """The base tables of a DuckDB schema, by name."""
    return [
        name
        for (name,) in duck.execute(
            "select table_name from information_schema.tables"
            " where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [schema],
        ).fetchall()
    ]


def copy_table(duck: Any, cur: Any, source: str, target: str, table: str) -> int:
    """Create `target`.`table` in PostgreSQL with the columns of DuckDB's `source`.`table`
    (types by `pg_type`) and COPY its rows in; returns the rows copied."""
    columns = _columns(duck, source, table)
    ddl = ", ".join(f'"{name}" {pg_type(kind)}' for name, kind in columns)
    cur.execute(f'create table "{target}"."{table}" ({ddl})')
    select = ", ".join(f'{_as_text(name, kind)} as "{name}"' for name, kind in columns)
    reader = duck.sql(f'select {select} from "{source}"."{table}"').to_arrow_reader(_BATCH_ROWS)
    names = ", ".join(f'"{name}"' for name, _ in columns)
    copied = 0
    for batch in reader:
        # every value quoted, a null not: PostgreSQL's CSV tells an empty string from null
        buffer = io.BytesIO()
        options = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid")
        pa_csv.write_csv(pa.Table.from_batches([batch]), buffer, options)
        buffer.seek(0)
        cur.copy_expert(f'copy "{target}"."{table}" ({names}) from stdin with (format csv)', buffer)
        copied += batch.num_rows
    return copied


def copy_schema(duck: Any, cur: Any, schema: str, target: str | None = None) -> dict[str, int]:
    """Every table of DuckDB's `schema` into a new PostgreSQL schema `target` (the same
    name by default): rows per table."""
    target = target or schema
    cur.execute(f'create schema "{target}"')
    return {table: copy_table(duck, cur, schema, target, table) for table in tables(duck, schema)}


@contextmanager
def connected(url: str) -> Iterator[Any]:
    """A psycopg2 connection (libpq URL or key=value string) in one transaction: committed
    when the block ends, rolled back when it raises."""
    import psycopg2

    with closing(psycopg2.connect(url)) as pg, pg, pg.cursor() as cur:
        yield cur


def publish_marts(published: Path, url: str, lock_timeout_s: float) -> dict[str, int]:
    """Write the marts of the DuckDB warehouse `published` into PostgreSQL's schema `marts`,
    whole, in one transaction (see the module's doc); rows per table."""
    import duckdb

    with duckdb.connect(str(published), read_only=True) as duck, connected(url) as cur:
        cur.execute("select set_config('lock_timeout', %s, true)", [f"{int(lock_timeout_s)}s"])
        cur.execute(f'drop schema if exists "{_NEXT}" cascade')
        counts = copy_schema(duck, cur, SCHEMA, _NEXT)
        _swap(cur)
        _grant(cur)
    return counts


def _swap(cur: Any) -> None:
    """marts -> old, new -> marts, old dropped. The old tables are locked first: the swap
    waits for the transactions still reading them. A database object built on the old
    marts (a view) stops the swap with PostgreSQL's message naming it: nothing is dropped
    that this module did not create."""
    cur.execute("select tablename from pg_tables where schemaname = %s order by 1", [SCHEMA])
    old = [f'"{SCHEMA}"."{name}"' for (name,) in cur.fetchall()]
    if old:
        cur.execute(f"lock table {', '.join(old)} in access exclusive mode")
    cur.execute("select 1 from pg_namespace where nspname = %s", [SCHEMA])
    if cur.fetchone():
        cur.execute(f'alter schema "{SCHEMA}" rename to "{_OLD}"')
    cur.execute(f'alter schema "{_NEXT}" rename to "{SCHEMA}"')
    for table in old:
        cur.execute(f'drop table "{_OLD}".{table.split(".", 1)[1]}')
    cur.execute(f'drop schema if exists "{_OLD}"')


def _grant(cur: Any) -> None:
    """The reader role (created once, without login) may read the new marts, and any
    table added to them later; nothing else."""
    cur.execute("select 1 from pg_roles where rolname = %s", [READER_ROLE])
    if not cur.fetchone():
        cur.execute(f"create role {READER_ROLE} nologin")
    cur.execute(f'grant usage on schema "{SCHEMA}" to {READER_ROLE}')
    cur.execute(f'grant select on all tables in schema "{SCHEMA}" to {READER_ROLE}')
    cur.execute(
        f'alter default privileges in schema "{SCHEMA}" grant select on tables to {READER_ROLE}'
    )
