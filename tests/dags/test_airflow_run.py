"""Real Airflow runs of `yusuan_load` (dag.test()) on generated PDFs.

Metadata in SQLite (the default, as `make demo`) and in the PostgreSQL server on
127.0.0.1:5432 (as production). Each run is a `yusuan airflow-test` subprocess: Airflow
reads its configuration once per process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from tests.mail import Inbox, smtp_server
from tests.postgres import dsn, throwaway_database
from tools.samplegen import BudgetScope, DocumentSpec, render_all, sample_specs

pytestmark = pytest.mark.integration
SPECS = {spec.file_name: spec for spec in sample_specs()}
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 receiving the run's alerts."""
    with smtp_server() as received:
        yield received


@pytest.fixture(scope="module")
def dag_run(tmp_path_factory: pytest.TempPathFactory, inbox: Inbox) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("airflow")
    samples = tmp / "samples"
    render_all(samples)
    warehouse = tmp / "warehouse.duckdb"
    yusuan = Path(sys.executable).with_name("yusuan")
    env = os.environ | inbox.env()
    done = subprocess.run(
        [str(yusuan), "airflow-test", str(samples), "--home", str(tmp / "home"),
         "--warehouse", str(warehouse)],
        capture_output=True, text=True, check=False, cwd=tmp, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return warehouse, done.stdout


def leaf_rows(spec: DocumentSpec, scope: BudgetScope) -> int:
    """The 项 rows the spec prints in its function table of `scope`: its fct_expenditure rows."""
    table = spec.function_table(scope)
    return len({r.code for r in table.rows if r.code and len(r.code) == 7})


def rows(warehouse: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_dag_run_summary_counts_documents(dag_run: tuple[Path, str]) -> None:
    _, stdout = dag_run
    assert "2 loaded, 1 partial, 0 quarantined, 0 skipped" in stdout
    assert "marts.fct_expenditure" in stdout


def test_unreconciled_table_is_held_back_with_page_and_numbers(
    dag_run: tuple[Path, str],
) -> None:
    warehouse, _ = dag_run
    [(status, reason, detail, run_id)] = rows(
        warehouse,
        "select status, reason, detail, run_id from audit.document_loads "
        "where file_name = 'unreconciled_2024.pdf'",
    )
    # the document loads without its unreconciled table
    assert (status, reason) == ("partial", "reconciliation")
    assert run_id.startswith("manual__")  # written by the Airflow run
    assert "page 3" in detail and "21007" in detail and "350.0" in detail and "300.0" in detail
    findings = rows(
        warehouse,
        """select f.severity, f.page_number from audit.findings f
           join audit.document_loads l using (document_id, run_id)
           where l.file_name = 'unreconciled_2024.pdf'""",
    )
    assert ("block", 3) in findings
    outcomes = rows(
        warehouse,
        """select t.page_number, t.family, t.outcome from marts.dim_document_table t
           join marts.dim_document d using (document_id)
           where d.file_name = 'unreconciled_2024.pdf' order by 1""",
    )
    assert outcomes == [
        (2, "function_expenditure", "loaded"),
        (3, "function_expenditure", "held"),
    ]
    # and nothing of the held table reaches the marts; the other table's rows do, all of them
    scopes = rows(
        warehouse,
        """select f.budget_scope, count(*) from marts.fct_expenditure f
           join marts.dim_document d using (document_id)
           where d.file_name = 'unreconciled_2024.pdf' group by 1""",
    )
    assert scopes == [("all_funds", leaf_rows(SPECS["unreconciled_2024.pdf"], "all_funds"))]


def test_expenditure_facts_hold_spec_amounts_in_yuan(dag_run: tuple[Path, str]) -> None:
    warehouse, _ = dag_run
    for name in ("henan_county_education_2024.pdf", "shanghai_style_yuan_2023.pdf"):
        spec = SPECS[name]
        factor = Decimal(10000) if spec.unit == "万元" else Decimal(1)
        for table in spec.function_tables:
            expected = {
                (r.code, r.total * factor, r.basic * factor, r.project * factor)
                for r in table.rows
                if r.code and len(r.code) == 7
            }
            got = rows(
                warehouse,
                """select f.function_code, f.total_yuan, f.basic_yuan, f.project_yuan
                   from marts.fct_expenditure f join marts.dim_document d using (document_id)
                   where d.file_name = ? and f.budget_scope = ?""",
                name,
                table.scope,
            )
            assert set(got) == expected, (name, table.scope)


def test_function_codes_roll_up_to_their_class(dag_run: tuple[Path, str]) -> None:
    warehouse, _ = dag_run
    [(level, parent, class_code, class_name)] = rows(
        warehouse,
        "select level, parent_code, class_code, class_name from marts.dim_function_code "
        "where function_code = '2050201'",
    )
    assert (level, parent, class_code, class_name) == (3, "20502", "205", "教育支出")


def test_indicators_of_department_and_projects(dag_run: tuple[Path, str]) -> None:
    warehouse, _ = dag_run
    spec = SPECS["henan_county_education_2024.pdf"]
    form = spec.project_forms[0]
    indicator = next(i for i in form.indicators if i.value.startswith("≥"))
    got = rows(
        warehouse,
        """select i.comparator, i.target_value, i.target_unit, p.project_name, dep.department_name
           from marts.fct_indicator i
           join marts.dim_project p using (project_key)
           join marts.dim_department dep on dep.department_key = i.department_key
           where i.level3_name = ? and p.project_name = ?""",
        indicator.level3,
        form.name,
    )
    assert len(got) == 1
    comparator, value, unit, project, department = got[0]
    assert comparator == ">="
    assert f"{value.normalize():f}" in indicator.value
    assert unit and indicator.value.endswith(unit)
    assert (project, department) == (form.name, form.department)
    department_rows = rows(
        warehouse,
        """select count(*) from marts.fct_indicator i join marts.dim_document d using (document_id)
           where d.file_name = ? and i.scope = 'department' and i.project_key is null""",
        spec.file_name,
    )
    expected = sum(len(t.indicators) for t in spec.performance_tables)
    assert department_rows == [(expected,)]


def test_maintainers_get_an_email_naming_the_quarantined_document(
    dag_run: tuple[Path, str], inbox: Inbox
) -> None:
    [mail], [body] = inbox.messages, inbox.bodies()
    assert "1 loaded in part" in mail["Subject"]
    assert "unreconciled_2024.pdf" in body
    assert "held: page 3, table '2024年一般公共预算支出情况表'" in body


def test_a_run_without_documents_still_builds_and_publishes(tmp_path: Path) -> None:
    # GIVEN an empty inbox (zero mapped tasks) WHEN the DAG runs
    (tmp_path / "inbox").mkdir()
    yusuan = Path(sys.executable).with_name("yusuan")
    done = subprocess.run(
        [str(yusuan), "airflow-test", str(tmp_path / "inbox"), "--home", str(tmp_path / "home"),
         "--warehouse", str(tmp_path / "warehouse.duckdb")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # THEN the run succeeds as `yusuan load` would, with empty marts published
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "0 loaded, 0 partial, 0 quarantined, 0 skipped" in done.stdout
    assert rows(tmp_path / "warehouse.duckdb", "select count(*) from marts.fct_expenditure") == [
        (0,)
    ]


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A fresh, uniquely named database on the local PostgreSQL server, dropped afterwards."""
    try:
        socket.create_connection((PG_HOST, PG_PORT), timeout=3).close()
    except OSError as exc:
        pytest.skip(f"no PostgreSQL server answers on {PG_HOST}:{PG_PORT} ({exc})")
    with throwaway_database("yusuan_test") as name:
        yield name


def pg_rows(database: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(psycopg2.connect(dsn(database))) as con, con.cursor() as cur:
        cur.execute(sql, params)
        found: list[tuple[Any, ...]] = cur.fetchall()
    return found


def test_the_dag_runs_on_a_postgresql_metadata_db(tmp_path: Path, postgres_db: str) -> None:
    # GIVEN two budget PDFs and an empty PostgreSQL database for Airflow's metadata
    names = ["henan_county_education_2024.pdf", "shanghai_style_yuan_2023.pdf"]
    render_all(tmp_path / "samples", [SPECS[name] for name in names])
    url = f"postgresql+psycopg2://{PG_USER}@{PG_HOST}:{PG_PORT}/{postgres_db}"
    warehouse = tmp_path / "warehouse.duckdb"
    # WHEN `yusuan airflow-test --metadata-db` migrates it and runs the DAG
    yusuan = Path(sys.executable).with_name("yusuan")
    done = subprocess.run(
        [str(yusuan), "airflow-test", str(tmp_path / "samples"), "--home", str(tmp_path / "home"),
         "--warehouse", str(warehouse), "--metadata-db", url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # THEN the run succeeds and both documents are loaded
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "2 loaded, 0 partial, 0 quarantined, 0 skipped" in done.stdout
    # AND Airflow recorded it in PostgreSQL, not in a SQLite file in the home
    assert not (tmp_path / "home" / "airflow" / "airflow.db").exists()
    [(run_id,)] = rows(warehouse, "select distinct run_id from audit.document_loads")
    assert pg_rows(postgres_db, "select dag_id, run_id, state from dag_run") == [
        ("yusuan_load", run_id, "success")
    ]
    tasks = pg_rows(
        postgres_db,
        "select task_id, map_index, state from task_instance where run_id = %s",
        run_id,
    )
    assert {state for _, _, state in tasks} == {"success"}
    # one extraction task for both PDFs: a batch (YUSUAN_BATCH_SIZE), not one per document
    assert [i for task, i, _ in tasks if task == "extract_and_validate"] == [0]
    assert {"pull", "load", "transform", "validate_marts", "publish"} <= {t for t, _, _ in tasks}
    # AND the published warehouse holds both documents' facts
    assert sorted(rows(warehouse, "select file_name from marts.dim_document")) == [
        (name,) for name in sorted(names)
    ]
    facts = rows(
        warehouse,
        """select d.file_name, count(*) from marts.fct_expenditure f
           join marts.dim_document d using (document_id) group by 1""",
    )
    assert dict(facts) == {
        name: sum(leaf_rows(SPECS[name], t.scope) for t in SPECS[name].function_tables)
        for name in names
    }
