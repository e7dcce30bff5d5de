"""A real Airflow, not dag.test(): the scheduler, dag-processor, api-server, triggerer and
two Celery workers as processes, on a throw-away PostgreSQL database (metadata and Celery's
results) and the local Redis (the broker, a database number of its own). The DAG is
triggered through the REST API and its warehouse must equal a `yusuan load` of the same
PDFs. docs/operations.md ("A real Airflow without Docker") gives the same commands.

The Celery workers are two machines: each its own home, landing, staging and the Data Docs
in a bucket of a local S3 server (YUSUAN_STORAGE_URL), so the extraction batches run where
nothing of the warehouse's machine is. The same deployment with the LocalExecutor (no
worker, no broker; local folders) is the cheap variant.

Marked `airflow_server`: `make test-integration` runs it, alone, outside the parallel
workers of `make test` (it starts about twenty processes on its own).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SAMPLES
from tests.pdfgen import notice
from tests.postgres import throwaway_database
from tests.s3 import BUCKET, free_port, local_s3, objects
from yusuan import warehouse as wh
from yusuan.settings import DEFAULT_DBT_PROJECT, Environment

pytestmark = pytest.mark.airflow_server
PG = "postgres@127.0.0.1:5432"
REDIS_DB = 11  # the Celery broker's database on 127.0.0.1:6379: this test's own
DAGS = Path(__file__).resolve().parents[2] / "dags"
BIN = Path(sys.executable).parent
RUN_TIMEOUT_S = 900  # the DAG run, from trigger to success
STOP_TIMEOUT_S = 30  # each process, from SIGTERM to SIGKILL


@pytest.fixture
def metadata_db() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database, dropped afterwards."""
    with throwaway_database("yusuan_airflow") as name:
        yield name


@pytest.fixture
def broker() -> Iterator[str]:
    """Redis database REDIS_DB, emptied before and after (a killed run's messages)."""
    import redis

    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def airflow_environment(
    home: Path, database: str, broker: str, port: int, executor: str
) -> dict[str, str]:
    """What every Airflow process of the deployment reads (docs/operations.md lists it)."""
    return os.environ | {
        "AIRFLOW_HOME": str(home / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTOR": executor,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{PG}/{database}",
        "AIRFLOW__CELERY__BROKER_URL": broker,
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{PG}/{database}",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        # where the tasks write: the worker of the warehouse queue holds the warehouse
        "YUSUAN_HOME": str(home / "yusuan"),
        "YUSUAN_WAREHOUSE_PATH": str(home / "bi.duckdb"),
        "YUSUAN_BATCH_SIZE": "2",  # four documents to extract: two batches, two tasks
        "YUSUAN_DBT_PROJECT": str(DEFAULT_DBT_PROJECT),
    }


def machines(home: Path, s3: dict[str, str]) -> dict[str, dict[str, str]]:
    """The Celery deployment's environment per process: every one with the storage root in
    the bucket; the warehouse's worker with its home and the warehouse, the extraction
    worker with a home of its own (another machine); the others with neither (the DAG's
    params then name no home: each worker's own applies)."""
    shared = s3 | {"YUSUAN_STORAGE_URL": f"s3://{BUCKET}/deploy"}
    placed = {name: dict(shared) for name, _ in PROCESSES}
    placed["worker-warehouse"] |= {
        "YUSUAN_HOME": str(home / "yusuan"),
        "YUSUAN_WAREHOUSE_PATH": str(home / "bi.duckdb"),
    }
    placed["worker-extract"] |= {"YUSUAN_HOME": str(home / "extractor")}
    return placed


# each process of the deployment: its name and `airflow` arguments
PROCESSES = [
    ("api-server", ["api-server", "--host", "127.0.0.1", "--workers", "1"]),
    ("scheduler", ["scheduler", "--skip-serve-logs"]),
    ("dag-processor", ["dag-processor"]),
    ("triggerer", ["triggerer", "--skip-serve-logs"]),
    # extraction batches: the default queue, any worker, any machine
    ("worker-extract", ["celery", "worker", "--queues", "default", "--concurrency", "2",
                        "--celery-hostname", "extract@%h", "--skip-serve-logs"]),
    # the warehouse-writing tasks: their queue, one worker on the warehouse's machine
    ("worker-warehouse", ["celery", "worker", "--queues", Environment().warehouse_queue,
                          "--concurrency", "1", "--celery-hostname", "warehouse@%h",
                          "--skip-serve-logs"]),
]  # fmt: skip


def airflow(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "airflow"), *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"airflow {' '.join(args)}:\n{done.stderr[-3000:]}"


def start(env: dict[str, str], logs: Path, name: str, args: list[str]) -> subprocess.Popen[bytes]:
    """One process of the deployment, in a session of its own (so that stopping it stops
    the children it starts: gunicorn's, Celery's pool, the task supervisors)."""
    with (logs / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [str(BIN / "airflow"), *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each process group we started, by its leader's pid; SIGKILL what is left
    after STOP_TIMEOUT_S."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_S)
        with contextlib.suppress(ProcessLookupError):  # the group's others: a task mid-run
            os.killpg(process.pid, signal.SIGKILL)


def wait_for(what: str, probe: Any, timeout_s: float, logs: Path) -> Any:
    """Poll `probe` every 2 s until it returns something true; fail naming `what`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = probe()
        except httpx.TransportError:
            found = None
        if found:
            return found
        time.sleep(2)
    tails = {p.name: p.read_text(errors="replace")[-1500:] for p in logs.glob("*.log")}
    pytest.fail(f"timed out waiting for {what}:\n{json.dumps(tails, indent=1)}")


def sources(folder: Path) -> list[str]:
    """Two budgets, a notice that is no budget, and one budget's bytes again."""
    folder.mkdir()
    for name in ("doc_a.pdf", "doc_b.pdf"):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / "doc_a.pdf", folder / "doc_a_copy.pdf")
    notice(folder / "notice.pdf", "关于第1号通知的说明：本通知不含预算表格，仅作说明之用。")
    return [str(folder)]


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def verdicts(warehouse: Path) -> list[tuple[Any, ...]]:
    return query(warehouse, "select file_name, status, reason from audit.document_loads order by 1")


LOADED = "select document_id from audit.document_loads where status = 'loaded'"
# each document's expenditure facts: their count and totals (the amounts, not only rows)
FACTS = """select d.file_name, count(*), sum(f.total_yuan), sum(f.basic_yuan)
           from marts.fct_expenditure f join marts.dim_document d using (document_id)
           group by 1 order by 1"""


@pytest.mark.parametrize("executor", ["CeleryExecutor", "LocalExecutor"])
def test_a_deployment_loads_what_the_cli_loads(
    tmp_path: Path, metadata_db: str, broker: str, executor: str
) -> None:
    # GIVEN a deployment: the metadata DB migrated, the pool made, its processes started
    # (Celery's: six, two workers as two machines sharing a bucket; Local: four)
    home, logs = tmp_path / "deploy", tmp_path / "logs"
    logs.mkdir()
    port = free_port()
    env = airflow_environment(home, metadata_db, broker, port, executor)
    (home / "airflow").mkdir(parents=True)
    (home / "passwords.json").write_text(json.dumps({"admin": "admin-test-password"}))
    airflow(env, "db", "migrate")
    airflow(env, "pools", "set", "yusuan_warehouse", "1", "one writer per warehouse")
    celery = executor == "CeleryExecutor"
    s3 = contextlib.ExitStack()
    placed: dict[str, dict[str, str]] = {}
    if celery:
        placed = machines(home, s3.enter_context(local_s3()))
        env = {k: v for k, v in env.items() if k not in ("YUSUAN_HOME", "YUSUAN_WAREHOUSE_PATH")}
    started = time.monotonic()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for name, args in PROCESSES if celery else PROCESSES[:4]:
            processes.append(start(env | placed.get(name, {}), logs, name, args))
        api = f"http://127.0.0.1:{port}"
        client = httpx.Client(base_url=api, timeout=30)

        def token() -> str | None:
            answer = client.post(
                "/auth/token", json={"username": "admin", "password": "admin-test-password"}
            )
            return answer.json()["access_token"] if answer.status_code == 201 else None

        client.headers["Authorization"] = f"Bearer {wait_for('a token', token, 180, logs)}"
        wait_for(
            "the DAG to be parsed",
            lambda: client.get("/api/v2/dags/yusuan_load").status_code == 200,
            180,
            logs,
        )
        # WHEN yusuan_load is triggered through the REST API
        pdfs = sources(tmp_path / "inbox")
        triggered = client.post(
            "/api/v2/dags/yusuan_load/dagRuns",
            json={"logical_date": None, "conf": {"sources": pdfs}},
        )
        assert triggered.status_code == 200, triggered.text
        run_id = triggered.json()["dag_run_id"]
        path = f"/api/v2/dags/yusuan_load/dagRuns/{run_id}"

        def finished() -> str | None:
            state = client.get(path).json()["state"]
            return state if state in ("success", "failed") else None

        state = wait_for("the DAG run", finished, RUN_TIMEOUT_S, logs)
        wall = time.monotonic() - started
        tasks = client.get(f"{path}/taskInstances").json()["task_instances"]
        stored = objects(placed["worker-extract"], "deploy") if celery else []
    finally:
        stop(processes)
        s3.close()
    print(f"{executor} deployment: processes up, DAG run {state}, in {wall:.0f} s")
    # THEN the run succeeded, each task once, on the queue it belongs to
    placed = sorted((t["task_id"], t["map_index"], t["state"], t["queue"]) for t in tasks)
    assert state == "success", placed
    writer = Environment().warehouse_queue
    assert placed == [
        ("extract_and_validate", 0, "success", "default"),
        ("extract_and_validate", 1, "success", "default"),
        ("load", -1, "success", writer),
        ("publish", -1, "success", writer),
        ("pull", -1, "success", writer),
        ("transform", -1, "success", writer),
        ("validate_marts", -1, "success", writer),
    ]
    assert {t["try_number"] for t in tasks} == {1}  # no retry: nothing failed on a worker
    # AND every process stopped
    assert all(p.poll() is not None for p in processes)
    # AND its warehouse equals a `yusuan load` of the same PDFs: the marts and the audit
    cli_warehouse = tmp_path / "cli.duckdb"
    done = subprocess.run(
        [str(BIN / "yusuan"), "load", *pdfs, "--home", str(tmp_path / "cli"),
         "--warehouse", str(cli_warehouse)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    dag_warehouse = home / "bi.duckdb"
    if celery:  # AND the machines shared only the bucket: landing, staging, Data Docs
        extractor = home / "extractor"
        assert (extractor / "gx").is_dir()  # (gate 1 ran on the extraction machine)
        for machine in (extractor, home / "yusuan"):
            assert not (machine / "landing").exists() and not (machine / "staging").exists()
        ids = {row[0] for row in query(dag_warehouse, LOADED)}
        assert len(ids) == 2
        assert {f"staging/{i}/manifest.json" for i in ids} | {"data_docs/index.html"} <= set(stored)
        # gate 1 ran on the extraction machine: the warehouse's Data Docs show it
        assert any(name.startswith("data_docs/validations/staged/") for name in stored)
        landed = [n for n in stored if n.startswith("landing/") and n.endswith(".pdf")]
        assert len(landed) == 3  # doc_a (twice), doc_b, the notice
    assert (
        verdicts(dag_warehouse)
        == verdicts(cli_warehouse)
        == [
            ("doc_a.pdf", "loaded", None),
            ("doc_a_copy.pdf", "quarantined", "duplicate"),
            ("doc_b.pdf", "loaded", None),
            ("notice.pdf", "quarantined", "not_budget"),
        ]
    )
    assert wh.mart_counts(dag_warehouse) == wh.mart_counts(cli_warehouse)
    assert query(dag_warehouse, FACTS) == query(cli_warehouse, FACTS)
    assert query(dag_warehouse, FACTS)  # (doc_b prints no function table: doc_a's only)
