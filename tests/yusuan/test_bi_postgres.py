"""The marts in PostgreSQL for BI (YUSUAN_BI_POSTGRES_URL, yusuan.bi_postgres), on the
local PostgreSQL: each publish swaps them in whole, a reader mid-transaction keeps the old
tables whole, BI's role reads and cannot write, and a failure keeps the DuckDB publish."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import psycopg2.errors
import pytest

from expectations.contract import marts
from tests.conftest import SAMPLES
from tests.postgres import dsn, mart_differences, throwaway_database
from yusuan import bi_postgres

SECOND_RUN_S = 900  # bound on the wait for a `yusuan load` of one sample PDF


@pytest.fixture
def database() -> Iterator[str]:
    with throwaway_database("yusuan_bi") as name:
        yield name


def test_duckdb_types_map_to_postgres_types() -> None:
    assert bi_postgres.pg_type("DECIMAL(20,2)") == "numeric(20, 2)"
    assert bi_postgres.pg_type("VARCHAR[]") == "varchar[]"
    assert bi_postgres.pg_type("TIMESTAMP") == "timestamp"
    with pytest.raises(bi_postgres.Unmapped, match="INTERVAL"):
        bi_postgres.pg_type("INTERVAL")


@pytest.mark.integration
def test_copy_keeps_every_value(database: str) -> None:
    # an empty string is not a null, quotes, backslashes, newlines and lists survive COPY
    texts = ["", None, 'say "hi"', "back\\slash", "two\nlines", "一般公共 服务", "a,b"]
    with duckdb.connect() as duck:
        duck.execute(
            "create schema marts; create table marts.t (i integer, s varchar, d decimal(20, 2),"
            " b boolean, ts timestamp, names varchar[])"
        )
        for i, text in enumerate(texts):
            duck.execute(
                "insert into marts.t values (?, ?, ?, ?, timestamp '2026-01-02 03:04:05.123456',"
                " ?)",
                [i, text, "12345.67", i % 2 == 0, [text, "x"] if text is not None else None],
            )
        duck.execute("insert into marts.t values (null, null, null, null, null, [])")
        with bi_postgres.connected(dsn(database)) as cur:
            assert bi_postgres.copy_schema(duck, cur, "marts") == {"t": len(texts) + 1}
        expected = duck.execute("select * from marts.t order by i nulls last").fetchall()
    with closing(psycopg2.connect(dsn(database))) as con, con.cursor() as cur:
        cur.execute("select * from marts.t order by i nulls last")
        assert cur.fetchall() == expected


def _load(pdf: Path, tmp_path: Path) -> list[str]:
    warehouse, home = str(tmp_path / "bi.duckdb"), str(tmp_path / "home")
    return [sys.executable, "-m", "yusuan.cli", "load", str(pdf), "--warehouse", warehouse,
            "--home", home]  # fmt: skip


def _env(url: str) -> dict[str, str]:
    return os.environ | {"YUSUAN_BI_POSTGRES_URL": url}


def _counts(cur: Any) -> dict[str, int]:
    """Rows of every mart, as the reader's transaction sees them."""
    cur.execute("select tablename from pg_tables where schemaname = 'marts' order by 1")
    found = {}
    for (table,) in cur.fetchall():
        cur.execute(f"select count(*) from marts.{table}")
        found[table] = cur.fetchone()[0]
    return found


def _swap_waits(database: str, run: subprocess.Popen[str]) -> bool:
    """True once a session of `database` waits on a lock (the swap, behind the reader);
    False if the run ends first."""
    deadline = time.monotonic() + SECOND_RUN_S
    with closing(psycopg2.connect(dsn("postgres"))) as con, con.cursor() as cur:
        con.autocommit = True
        while run.poll() is None and time.monotonic() < deadline:
            cur.execute(
                "select count(*) from pg_stat_activity"
                " where datname = %s and wait_event_type = 'Lock'",
                [database],
            )
            if cur.fetchone()[0]:
                return True
            time.sleep(0.5)
    return False


@pytest.mark.integration
def test_each_publish_swaps_the_marts_in_whole(tmp_path: Path, database: str) -> None:
    url = f"postgresql://postgres@127.0.0.1:5432/{database}"
    warehouse = tmp_path / "bi.duckdb"
    # GIVEN YUSUAN_BI_POSTGRES_URL, WHEN `yusuan load` publishes a document
    first = subprocess.run(
        _load(SAMPLES / "doc_a.pdf", tmp_path), env=_env(url),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # THEN PostgreSQL's schema marts holds DuckDB's marts, every one
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert f"postgres   schema marts: {len(marts())} tables" in first.stdout
    assert mart_differences(warehouse, database) == {}

    # AND a login of BI's role reads them and cannot change them
    login = f"bi_{uuid.uuid4().hex[:12]}"
    with closing(psycopg2.connect(dsn(database))) as admin:
        admin.autocommit = True
        admin.cursor().execute(f"create role {login} login in role {bi_postgres.READER_ROLE}")
    try:
        _reads_and_cannot_write(database, login)

        # WHEN a reader holds the marts in a repeatable-read transaction and a second run
        # publishes another document
        with closing(psycopg2.connect(dsn(database))) as reader, reader.cursor() as cur:
            reader.set_session(isolation_level="REPEATABLE READ")
            before = _counts(cur)
            with subprocess.Popen(
                _load(SAMPLES / "doc_b.pdf", tmp_path), env=_env(url),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            ) as second:  # fmt: skip
                try:
                    # THEN its swap waits for the reader, who still sees the old tables whole
                    assert _swap_waits(database, second), second.communicate()
                    assert _counts(cur) == before
                    reader.commit()
                    out, err = second.communicate(timeout=SECOND_RUN_S)
                finally:
                    second.kill()  # (a no-op once it has ended)
            assert second.returncode == 0, out[-3000:] + err[-3000:]
            # AND then the new ones, whole: the second run's marts, BI's role granted again
            after = _counts(cur)
            reader.commit()
        assert after != before and len(after) == len(marts())
        assert mart_differences(warehouse, database) == {}
        _reads_and_cannot_write(database, login)
    finally:
        with closing(psycopg2.connect(dsn(database))) as admin:
            admin.autocommit = True
            admin.cursor().execute(f"drop role {login}")


def _reads_and_cannot_write(database: str, login: str) -> None:
    with closing(psycopg2.connect(dsn(database, user=login))) as bi:
        bi.autocommit = True
        with bi.cursor() as cur:
            cur.execute("select count(*) from marts.dim_document")
            assert cur.fetchone()[0] > 0
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("insert into marts.dim_document (document_id) values ('x')")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("create table marts.mine (i integer)")


@pytest.mark.integration
def test_a_failed_write_to_postgres_keeps_the_duckdb_publish(tmp_path: Path) -> None:
    # GIVEN a PostgreSQL URL that cannot be reached (no such database)
    url = f"postgresql://postgres@127.0.0.1:5432/yusuan_none_{uuid.uuid4().hex[:12]}"
    # WHEN `yusuan load` publishes
    done = subprocess.run(
        _load(SAMPLES / "doc_b.pdf", tmp_path), env=_env(url),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # THEN the DuckDB warehouse is published, and its audit names the failure
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "postgres   schema marts: the marts were not written into PostgreSQL" in done.stdout
    with duckdb.connect(str(tmp_path / "bi.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_document").fetchone()[0] == 1
        [(severity, detail)] = con.execute(
            'select severity, detail from audit.findings where "check" = ?',
            [bi_postgres.FAILED],
        ).fetchall()
    assert severity == "warn" and "does not exist" in detail


def _pg_marts(database: str) -> dict[str, list[str]]:
    """Every row of every table in PostgreSQL's marts, as text, sorted."""
    with closing(psycopg2.connect(dsn(database))) as con, con.cursor() as cur:
        cur.execute("select tablename from pg_tables where schemaname = 'marts' order by 1")
        found = {}
        for (table,) in cur.fetchall():
            cur.execute(f"select * from marts.{table}")
            found[table] = sorted(repr(row) for row in cur.fetchall())
    return found


@pytest.mark.integration
def test_a_run_that_loads_nothing_keeps_postgres_marts_and_publishes_its_verdicts(
    tmp_path: Path, database: str
) -> None:
    url = f"postgresql://postgres@127.0.0.1:5432/{database}"
    warehouse = tmp_path / "bi.duckdb"
    command = _load(SAMPLES / "doc_a.pdf", tmp_path)
    # GIVEN a document published into DuckDB and PostgreSQL
    first = subprocess.run(command, env=_env(url), capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    before = _pg_marts(database)
    assert before["dim_document"] and mart_differences(warehouse, database) == {}

    # WHEN the same source loads again: nothing new, no dbt build
    again = subprocess.run(command, env=_env(url), capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "publish: the verdicts alone" in again.stderr
    # THEN PostgreSQL's marts are written whole again, row for row as they were, and BI's
    # role still reads them
    assert f"postgres   schema marts: {len(marts())} tables" in again.stdout
    assert _pg_marts(database) == before
    assert mart_differences(warehouse, database) == {}
    with closing(psycopg2.connect(dsn(database))) as con, con.cursor() as cur:
        cur.execute(
            "select has_table_privilege(%s, 'marts.dim_document', 'select')",
            [bi_postgres.READER_ROLE],
        )
        assert cur.fetchone()[0]
    # AND the DuckDB warehouse publishes the run's verdicts, as without PostgreSQL
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute(
            "select status, reason from audit.document_loads order by checked_at"
        ).fetchall()
        findings = con.execute(
            'select count(*) from audit.findings where "check" = ?', [bi_postgres.FAILED]
        ).fetchone()
    assert runs == [("loaded", None), ("skipped", "already_loaded")]
    assert findings == (0,)
