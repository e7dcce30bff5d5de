"""DuckDB against PostgreSQL: the same dbt build of the same marts from the same raw rows.

    python -m tools.bench_postgres WAREHOUSE [--repeat N] [--server "host=... user=..."]

WAREHOUSE is a DuckDB warehouse `yusuan load` published. Its raw.* and audit.* go into a
throw-away PostgreSQL database (yusuan.bi_postgres.copy_schema; dropped at the end), then
`dbt build` (models, contracts, data tests, as a load runs it: no unit tests) runs on a
copy of the DuckDB file (target dev) and on that database (target postgres), each after a
`dbt parse`, `--repeat` times. Also the publish step's cost: the marts written into
PostgreSQL whole (yusuan.bi_postgres.publish_marts). Reported as seconds (median) and the
ratio PostgreSQL / DuckDB, measured in the same run, so numbers compare across machines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from yusuan import bi_postgres
from yusuan.settings import DEFAULT_DBT_PROJECT

DBT = str(Path(sys.executable).with_name("dbt"))


def seconds(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def dbt(command: str, target: str, work: Path, env: dict[str, str]) -> None:
    project = str(DEFAULT_DBT_PROJECT)
    done = subprocess.run(
        [DBT, command, "--target", target, "--project-dir", project, "--profiles-dir", project,
         "--target-path", str(work / f"target-{target}"), "--log-path", str(work / "logs")]
        + (["--exclude-resource-type", "unit_test"] if command == "build" else []),
        env=os.environ | env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"dbt {command} --target {target} failed:\n{done.stdout[-3000:]}")


@contextmanager
def throwaway_database(server: str) -> Iterator[str]:
    """A new database that sorts text as DuckDB does (LC_COLLATE 'C'), dropped afterwards."""
    import psycopg2

    name = f"yusuan_bench_{uuid.uuid4().hex[:12]}"
    with closing(psycopg2.connect(f"{server} dbname=postgres")) as con:
        con.autocommit = True
        con.cursor().execute(
            f"create database {name} template template0 encoding 'UTF8'"
            " lc_collate 'C' lc_ctype 'C.UTF-8'"
        )
        try:
            yield name
        finally:
            con.cursor().execute(f"drop database if exists {name} with (force)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server", default="host=127.0.0.1 port=5432 user=postgres")
    args = parser.parse_args(argv)
    import duckdb

    with (
        tempfile.TemporaryDirectory() as tmp,
        throwaway_database(args.server) as database,
        throwaway_database(args.server) as bi_database,
    ):
        work = Path(tmp)
        copy = work / "yusuan.duckdb"
        shutil.copyfile(args.warehouse, copy)
        url = f"{args.server} dbname={database}"
        with duckdb.connect(str(copy), read_only=True) as duck:
            documents = duck.execute("select count(*) from raw.documents").fetchone()
            started = time.perf_counter()
            with bi_postgres.connected(url) as cur:
                for schema in ("raw", "audit"):
                    bi_postgres.copy_schema(duck, cur, schema)
            copied = time.perf_counter() - started
        # the profile's postgres target reads libpq's variables
        given = dict(part.split("=", 1) for part in args.server.split())
        pg_env = {f"PG{key.upper()}": value for key, value in given.items()}
        pg_env["PGDATABASE"] = database
        duck_env = {"YUSUAN_WAREHOUSE_PATH": str(copy)}
        dbt("parse", "dev", work, duck_env)
        dbt("parse", "postgres", work, pg_env)
        on_duckdb = seconds(lambda: dbt("build", "dev", work, duck_env), args.repeat)
        on_postgres = seconds(lambda: dbt("build", "postgres", work, pg_env), args.repeat)
        bi_url = f"{args.server} dbname={bi_database}"
        published = seconds(lambda: bi_postgres.publish_marts(copy, bi_url, 60), args.repeat)
    print(f"{documents[0] if documents else 0} documents; median of {args.repeat}")
    print(f"raw.* and audit.* copied into PostgreSQL     {copied:7.1f} s")
    print(f"dbt build, DuckDB (target dev)               {on_duckdb:7.1f} s")
    print(f"dbt build, PostgreSQL (target postgres)      {on_postgres:7.1f} s")
    print(f"  ratio PostgreSQL / DuckDB                  {on_postgres / on_duckdb:7.2f}")
    print(f"marts published into PostgreSQL (swap)       {published:7.1f} s")


if __name__ == "__main__":
    main()
