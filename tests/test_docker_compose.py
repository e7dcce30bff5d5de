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
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__SMTP__SMTP_HOST"] == "mailpit"
        assert "./:/opt/yusuan" in service["volumes"]
        for dependency in service["depends_on"]:
            assert dependency in services
    lock = (ROOT / "requirements.lock").read_text()
    assert "apache-airflow==3.3.2" in lock
    assert (ROOT / "dags" / "yusuan_load.py").exists()
