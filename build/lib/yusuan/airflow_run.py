"""Run the `yusuan_load` DAG once, in this process, with `dag.test()`.

Airflow needs its home and metadata database before it is imported: this module points
AIRFLOW_HOME at `<home>/airflow`, migrates the metadata database, then imports the DAG file
and runs it. The metadata database is, first found: the SQLAlchemy URL passed in (e.g.
`postgresql+psycopg2://postgres@127.0.0.1:5432/airflow`, as in production), the
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN environment variable, else SQLite in the Airflow home.
Airflow reads its configuration once per process: run once per process.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from yusuan.settings import PROJECT_ROOT, Settings

DAG_FILE = PROJECT_ROOT / "dags" / "yusuan_load.py"


class MetadataDbError(RuntimeError):
    """Airflow could not migrate its metadata database (unreachable, missing, no driver)."""


def airflow_env(settings: Settings, metadata_db: str | None = None) -> dict[str, str]:
    """The environment Airflow must see before it is imported."""
    home = settings.airflow_home
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAG_FILE.parent),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get(
            "AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"
        ),
    }
    if metadata_db:
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = metadata_db
    elif "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" not in os.environ:
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{home / 'airflow.db'}"
    return env


def run_dag(
    sources: list[str],
    settings: Settings,
    metadata_db: str | None = None,
    conf: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """Run the DAG with these sources; return the DAG run's final state and its run_id.

    `metadata_db` is a SQLAlchemy URL of Airflow's metadata database (default: SQLite in
    the Airflow home); it must exist and be reachable, `airflow db migrate` fills it.
    `conf` is laid over the run's conf, as a trigger's would be.
    """
    # Airflow's own test client trips a third-party deprecation notice: not ours to act on
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    os.environ.update(airflow_env(settings, metadata_db))
    # The operator's --home and --warehouse are this process's environment, which a DAG
    # run's conf may narrow but not leave (yusuan.settings.Settings.from_dict)
    os.environ.update(settings.variables())
    migrate_metadata_db()
    spec = importlib.util.spec_from_file_location("yusuan_load_dag", DAG_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    create_pool(module.WAREHOUSE_POOL)
    run_conf = {"sources": [str(s) for s in sources], **settings.to_dict(), **(conf or {})}
    dag_run = module.yusuan_load_dag.test(run_conf=run_conf)
    return str(dag_run.state), str(dag_run.run_id)


def create_pool(name: str) -> None:
    """The pool of one slot the DAG's warehouse-writing tasks run in."""
    airflow = Path(sys.executable).with_name("airflow")
    command = [str(airflow), "pools", "set", name, "1", "one writer per warehouse"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise MetadataDbError(f"airflow pools set failed:\n{done.stderr[-2000:]}")


def migrate_metadata_db() -> None:
    """`airflow db migrate` on the database the environment names; its output if it fails."""
    airflow = Path(sys.executable).with_name("airflow")
    done = subprocess.run(
        [str(airflow), "db", "migrate"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        output = done.stdout[-2000:] + done.stderr[-2000:]
        raise MetadataDbError(f"airflow db migrate failed:\n{output}")
