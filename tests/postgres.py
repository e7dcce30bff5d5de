"""The local PostgreSQL (127.0.0.1:5432, trust auth, user postgres) for the tests of the
marts in PostgreSQL: a throw-away database per test, and the comparison of a DuckDB
warehouse's marts with PostgreSQL's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2

from expectations.contract import marts

SERVER = "host=127.0.0.1 port=5432 user=postgres"
NUMERIC = ("DECIMAL", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE")


def dsn(database: str, user: str = "postgres") -> str:
    return f"host=127.0.0.1 port=5432 user={user} dbname={database}"


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A new database of a unique name, dropped afterwards (with its sessions). It sorts
    text as DuckDB does (LC_COLLATE 'C'), as dbt_project/macros/portable.sql asks."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _server() as cur:
        cur.execute(
            f"create database {name} template template0 encoding 'UTF8'"
            " lc_collate 'C' lc_ctype 'C.UTF-8'"
        )
    try:
        yield name
    finally:
        with _server() as cur:
            cur.execute(f"drop database if exists {name} with (force)")


@contextmanager
def _server() -> Iterator[Any]:
    with closing(psycopg2.connect(f"{SERVER} dbname=postgres")) as con:
        con.autocommit = True
        with con.cursor() as cur:
            yield cur


def summaries(run: Any, columns: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """Per mart of the contract: its rows, the total of each numeric column and the sorted
    keys (its grain), read through `run` (a query -> its rows)."""
    found = {}
    for name, mart in marts().items():
        numeric = [c for c, kind in columns[name] if kind.startswith(NUMERIC)]
        totals = ", ".join(["count(*)", *(f'sum("{c}")' for c in numeric)])
        [(count, *sums)] = run(f"select {totals} from marts.{name}")
        keys = run(f"select {', '.join(mart.grain)} from marts.{name}")
        totals = zip(numeric, sums, strict=True)
        found[name] = {
            "rows": count,
            "totals": {c: None if v is None else Decimal(str(v)) for c, v in totals},
            "keys": sorted(tuple(str(v) for v in key) for key in keys),
        }
    return found


def mart_differences(warehouse: Path, database: str) -> dict[str, str]:
    """The marts of the contract whose rows, numeric totals or keys differ between the
    DuckDB warehouse and the PostgreSQL database (schema marts): {mart: what differs}."""
    with duckdb.connect(str(warehouse), read_only=True) as duck:
        columns: dict[str, list[tuple[str, str]]] = {}
        for table, column, kind in duck.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall():
            columns.setdefault(table, []).append((column, kind))
        expected = summaries(lambda sql: duck.execute(sql).fetchall(), columns)
    with closing(psycopg2.connect(dsn(database))) as con, con.cursor() as cur:

        def run(sql: str) -> list[Any]:
            cur.execute(sql)
            return cur.fetchall()

        found = summaries(run, columns)
    return {
        name: ", ".join(
            f"{part}: {expected[name][part]!r:.200} != {found[name][part]!r:.200}"
            for part in ("rows", "totals", "keys")
            if expected[name][part] != found[name][part]
        )
        for name in expected
        if expected[name] != found[name]
    }
