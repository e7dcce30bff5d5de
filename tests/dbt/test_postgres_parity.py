"""The same dbt project builds on PostgreSQL (`--target postgres`, profiles.yml) from the
same raw rows: every model, contract, data test and unit test passes, and every mart
equals DuckDB's (rows, the total of each numeric column, the keys). What DuckDB writes
differently is behind dispatching macros (dbt_project/macros/portable.sql)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TESTS
from tests.postgres import dsn, mart_differences, throwaway_database
from yusuan import bi_postgres

PROJECT = str(TESTS.parent / "dbt_project")


@pytest.mark.integration
@pytest.mark.parametrize("loaded", ["real_warehouse", "national_warehouse"])
def test_the_marts_build_on_postgres_equal_to_duckdb(
    loaded: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # GIVEN a warehouse `yusuan load` built from real PDFs, and its raw.* and audit.* copied
    # into a throw-away PostgreSQL database
    warehouse: Path = request.getfixturevalue(loaded)
    with throwaway_database("yusuan_parity") as database:
        with (
            duckdb.connect(str(warehouse), read_only=True) as duck,
            bi_postgres.connected(dsn(database)) as cur,
        ):
            copied = {s: bi_postgres.copy_schema(duck, cur, s) for s in ("raw", "audit")}
        assert copied["raw"]["documents"] > 0 and copied["audit"]["document_loads"] > 0
        # WHEN dbt builds the project there (unit tests included)
        done = subprocess.run(
            [str(Path(sys.executable).with_name("dbt")), "build", "--target", "postgres",
             "--project-dir", PROJECT, "--profiles-dir", PROJECT,
             "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
            capture_output=True, text=True, check=False,
            env=os.environ | {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres",
                              "PGDATABASE": database},
        )  # fmt: skip
        # THEN every node passes, and the marts are DuckDB's
        assert done.returncode == 0, done.stdout[-3000:]
        results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
        kinds = {r["unique_id"].split(".")[0] for r in results}
        assert {"seed", "model", "test", "unit_test"} <= kinds
        assert {r["status"] for r in results} <= {"pass", "success"}
        assert mart_differences(warehouse, database) == {}
