"""docker-compose.yml cannot start here (no Docker engine): check it is coherent instead."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_stack_is_coherent() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "airflow-init", "airflow-apiserver", "airflow-scheduler", "mailpit"} <= set(
        services
    )
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor"):
        service = services[name]
        env = service["environment"]
        # the same Airflow version as the lock file, the repo's DAG folder, Postgres metadata
        assert service["image"].startswith("apache/airflow:3.3.2")
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/yusuan/dags"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__SMTP__SMTP_HOST"] == "mailpit"
        assert "./:/opt/yusuan" in service["volumes"]
        for dependency in service["depends_on"]:
            assert dependency in services
    # the metadata DB airflow-init migrates is the one the services use
    init_env = services["airflow-init"]["environment"]
    assert (
        init_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        == env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    assert "apache-airflow==3.3.2" in lock
    # the drivers that URL needs, as `yusuan airflow-test --metadata-db` uses them: psycopg2,
    # and asyncpg for the async engine Airflow 3 derives from it (postgresql+asyncpg)
    assert {"psycopg2-binary", "asyncpg"} <= {line.split("==")[0] for line in lock}
    assert (ROOT / "dags" / "yusuan_load.py").exists()
