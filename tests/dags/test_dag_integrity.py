"""The DAG folder imports cleanly, fast, without heavy imports, and mirrors the pipeline."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yusuan.pipeline import STEPS

pytestmark = pytest.mark.integration  # Airflow's DagBag, an interpreter importing Airflow

DAGS = Path(__file__).resolve().parents[2] / "dags"


def test_dagbag_has_no_import_errors_and_no_cycles(airflow_home: Path) -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    dag = bag.dags["yusuan_load"]  # a cycle would have been an import error
    # every pipeline step is a task, extract and gate 1 one task per batch, nothing else
    fused = [s for s in STEPS if s not in ("extract", "validate")] + ["extract_and_validate"]
    assert sorted(dag.task_ids) == sorted(fused)
    assert dag.max_active_runs == 1
    # a batch's task is retried; the warehouse-writing ones run in one pool and one queue
    assert dag.get_task("extract_and_validate").retries == 2
    writers = ("load", "transform", "validate_marts", "publish")
    assert {(dag.get_task(t).pool, dag.get_task(t).queue) for t in writers} == {
        ("yusuan_warehouse", "yusuan_warehouse")
    }
    assert dag.get_task("extract_and_validate").queue == "default"
    # pull reads the published warehouse (what is loaded): on the warehouse's machine
    assert dag.get_task("pull").queue == "yusuan_warehouse"


def test_dag_file_parses_without_heavy_imports(airflow_home: Path) -> None:
    # GIVEN a fresh interpreter with Airflow already imported (the scheduler's situation)
    probe = (
        "import sys, airflow.sdk, runpy;"
        f"runpy.run_path({str(DAGS / 'yusuan_load.py')!r});"
        "heavy = [m for m in ('great_expectations', 'dbt', 'pdfplumber', 'duckdb', 'pandas')"
        " if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    # THEN parsing the DAG file itself imports none of the heavy libraries (how long it
    # takes is measured by `make bench`, not asserted here)
    assert out[-1] == "[]"


@pytest.mark.parametrize(
    ("schedule", "expected"), [(None, "None False"), ("@daily", "@daily True")]
)
def test_the_dag_runs_by_itself_on_the_schedule_setting(
    airflow_home: Path, schedule: str | None, expected: str
) -> None:
    # GIVEN the environment of a scheduler, with YUSUAN_SCHEDULE set or not
    env = {k: v for k, v in os.environ.items() if k != "YUSUAN_SCHEDULE"}
    if schedule:
        env["YUSUAN_SCHEDULE"] = schedule
    probe = (
        "import runpy;"
        f"dag = runpy.run_path({str(DAGS / 'yusuan_load.py')!r})['yusuan_load_dag'];"
        "print(dag.schedule, dag.timetable.can_be_scheduled)"
    )
    # WHEN the DAG file is parsed THEN its timetable is the setting's: none is triggered only
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=env
    ).stdout.splitlines()
    assert out[-1] == expected
