"""Run the `yusuan_load` DAG once, in this process, with `dag.test()`.

Airflow needs its home and metadata database before it is imported: this module points
AIRFLOW_HOME at `<home>/airflow` (SQLite metadata unless AIRFLOW__DATABASE__SQL_ALCHEMY_CONN
says otherwise), migrates the database, then imports the DAG file and runs it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import warnings
from pathlib import Path

from extract.settings import PROJECT_ROOT, Settings

DAG_FILE = PROJECT_ROOT / "dags" / "yusuan_load.py"


def airflow_env(settings: Settings) -> dict[str, str]:
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
    if "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" not in os.environ:
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{home / 'airflow.db'}"
    return env


def run_dag(sources: list[str], settings: Settings) -> tuple[str, str]:
    """Run the DAG with these sources; return the DAG run's final state and its run_id."""
    # Airflow's own test client trips a third-party deprecation notice: not ours to act on
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    os.environ.update(airflow_env(settings))
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("yusuan_load_dag", DAG_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conf = {"sources": [str(s) for s in sources], **settings.to_dict()}
    dag_run = module.yusuan_load_dag.test(run_conf=conf)
    return str(dag_run.state), str(dag_run.run_id)
