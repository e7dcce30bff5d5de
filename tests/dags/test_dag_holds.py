"""The DAG holds what a dbt test rejects, as `yusuan load` does: a real Airflow run
(dag.test(), SQLite metadata) whose dbt build fails on rows of one document publishes the
others, and the alert names the held tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES, project_with_test
from tests.mail import smtp_server

pytestmark = pytest.mark.integration


def test_a_dag_run_holds_the_table_a_dbt_test_rejects(tmp_path: Path) -> None:
    # a project whose extra test rejects doc_a's rows of function code 2010404
    project = project_with_test(
        tmp_path,
        "no_code_2010404",
        "select * from {{ ref('stg_yusuan__function_expenditure') }}\n"
        "where function_code = '2010404'\n",
    )
    warehouse = tmp_path / "bi.duckdb"
    with smtp_server() as inbox:
        env = os.environ | inbox.env() | {"YUSUAN_DBT_PROJECT": str(project)}
        done = subprocess.run(
            [str(Path(sys.executable).with_name("yusuan")), "airflow-test",
             str(SAMPLES / "doc_a.pdf"), str(SAMPLES / "doc_b.pdf"),
             "--home", str(tmp_path / "home"), "--warehouse", str(warehouse)],
            capture_output=True, text=True, check=False, cwd=tmp_path, env=env,
        )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 loaded, 1 partial, 0 quarantined" in done.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        verdicts = con.execute(
            "select file_name, status, reason, run_id from audit.document_loads order by 1"
        ).fetchall()
        held = con.execute(
            "select page_number, outcome, reason from marts.dim_document_table"
            " where outcome <> 'loaded' and family is not null order by 1"
        ).fetchall()
        codes = con.execute(
            "select count(*) from marts.fct_expenditure where function_code = '2010404'"
        ).fetchone()
    assert [v[:3] for v in verdicts] == [
        ("doc_a.pdf", "partial", "model_test"),
        ("doc_b.pdf", "loaded", None),
    ]
    assert verdicts[0][3].startswith("manual__")  # recorded by the Airflow run
    # both function tables print 2010404: both are held, the rest of doc_a is published
    assert held == [(9, "held", "model_test"), (12, "held", "model_test")]
    assert codes == (0,)
    [body] = [b for b in inbox.bodies() if "model_test" in b]
    assert "doc_a.pdf" in body and "no_code_2010404" in body
    assert "held: page 9, table '2024年部门支出总体情况表' (model_test)" in body
