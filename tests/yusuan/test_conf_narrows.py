"""A DAG run's conf narrows what the environment allows, never widens it: limits only
lower, source roots only under the environment's, home and warehouse only under
YUSUAN_DATA_ROOTS. The CLI's options stay the operator's own. A real DAG run given a
widening conf fails at its first task, naming the key, before anything is pulled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES
from tests.mail import smtp_server
from yusuan.settings import ConfRefused, Settings

ENVIRONMENT = (
    "YUSUAN_SOURCE_ROOTS", "YUSUAN_DATA_ROOTS", "YUSUAN_HOME", "YUSUAN_WAREHOUSE_PATH",
    "YUSUAN_MAX_PAGES", "YUSUAN_MAX_DOWNLOAD_MB", "YUSUAN_EXTRACT_TIMEOUT_S",
)  # fmt: skip


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """The operator's environment: a home, 100 pages, 50 MB; no roots unless a test sets
    them."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("YUSUAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("YUSUAN_MAX_PAGES", "100")
    monkeypatch.setenv("YUSUAN_MAX_DOWNLOAD_MB", "50")
    return monkeypatch


def refused(conf: dict[str, Any]) -> str:
    with pytest.raises(ConfRefused) as caught:
        Settings.from_dict(conf)
    return str(caught.value)


def test_a_conf_may_lower_limits(env: pytest.MonkeyPatch) -> None:
    limits = Settings.from_dict({"limits": {"max_pages": 10, "max_download_mb": 50}}).limits
    assert (limits.max_pages, limits.max_download_mb) == (10, 50)
    assert limits.extract_timeout_s == 600  # what the conf does not set: the environment's
    assert Settings.from_dict({}).limits.max_pages == 100


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("max_pages", 101),
        ("max_download_mb", 1e9),
        ("extract_timeout_s", 601),
        ("max_pages", 0),
        ("max_pages", -1),
        ("max_pages", float("nan")),
        ("max_pages", "5"),
        ("max_pages", True),
        ("max_pages", None),
    ],
)
def test_a_conf_may_not_raise_a_limit(env: pytest.MonkeyPatch, key: str, value: Any) -> None:
    message = refused({"limits": {key: value}})
    assert f"limits.{key}" in message and "may only lower" in message


def test_a_conf_names_only_known_limits(env: pytest.MonkeyPatch) -> None:
    assert "limits.max_page" in refused({"limits": {"max_page": 5}})


def test_conf_source_roots_lie_under_the_environments(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env.setenv("YUSUAN_SOURCE_ROOTS", str(data))
    narrowed = Settings.from_dict({"limits": {"source_roots": [str(data / "2025")]}})
    assert narrowed.limits.source_roots == (data / "2025",)
    assert Settings.from_dict({"limits": {"source_roots": []}}).limits.source_roots == (data,)
    for outside in ("/etc", str(data / ".." / "elsewhere"), str(tmp_path)):
        message = refused({"limits": {"source_roots": [str(data / "a"), outside]}})
        assert "limits.source_roots" in message and "YUSUAN_SOURCE_ROOTS" in message


def test_without_environment_roots_a_conf_names_none(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    message = refused({"limits": {"source_roots": [str(tmp_path)]}})
    assert "limits.source_roots" in message and "none set" in message


def test_without_data_roots_a_conf_names_no_home_or_warehouse(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "DAG conf home" in refused({"home": str(tmp_path / "mine")})
    assert "DAG conf warehouse" in refused({"warehouse": str(tmp_path / "mine.duckdb")})
    # the environment's own (the DAG's params default to them) are not a widening
    own = Settings()
    settings = Settings.from_dict({"home": str(own.home), "warehouse": str(own.published)})
    assert (settings.home, settings.published) == (own.home, own.published)


def test_home_and_warehouse_lie_under_the_data_roots(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env.setenv("YUSUAN_DATA_ROOTS", os.pathsep.join([str(data), str(tmp_path / "more")]))
    settings = Settings.from_dict({"home": str(data / "h"), "warehouse": str(data / "w.duckdb")})
    assert (settings.home, settings.published) == (data / "h", data / "w.duckdb")
    assert Settings.from_dict({"home": str(data)}).published == data / "warehouse.duckdb"
    for key, path in [
        ("home", "/tmp"),
        ("home", str(data / ".." / "h")),
        ("warehouse", str(tmp_path / "w.duckdb")),
        ("warehouse", str(data)),  # a warehouse beside the root, not under it
    ]:
        message = refused({key: path})
        assert f"DAG conf {key}" in message and "YUSUAN_DATA_ROOTS" in message


def test_the_cli_options_are_the_operators_own(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("YUSUAN_DATA_ROOTS", str(tmp_path / "data"))
    settings = Settings(home=tmp_path / "elsewhere", warehouse=tmp_path / "bi.duckdb")
    assert settings.published == tmp_path / "bi.duckdb"  # as `yusuan load --warehouse` makes


RUN = """
import json, sys
from pathlib import Path
from yusuan.airflow_run import run_dag
from yusuan.settings import Settings

home, sources, conf = Path(sys.argv[1]), sys.argv[2:3], json.loads(sys.argv[3])
state, run_id = run_dag(sources, Settings(home=home), conf=conf)
print(json.dumps({"state": state}))
"""


@pytest.mark.integration
def test_a_dag_run_with_a_widening_conf_fails_before_it_pulls(tmp_path: Path) -> None:
    # GIVEN an environment that allows 100 pages, and a conf that asks for more
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env |= {"YUSUAN_MAX_PAGES": "100"}
    conf = {"limits": {"max_pages": 100000}}
    # WHEN the DAG runs with that conf, its alerts mailed to a real SMTP server
    with smtp_server() as inbox:
        done = subprocess.run(
            [sys.executable, "-c", RUN, str(home), str(SAMPLES), json.dumps(conf)],
            capture_output=True, text=True, check=False, cwd=tmp_path, env=env | inbox.env(),
        )  # fmt: skip
    output = done.stdout + done.stderr
    # THEN the run fails, naming the key, and pulled nothing, built nothing
    assert done.returncode == 0, output[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"state": "failed"}
    assert "limits.max_pages = 100000" in output and "YUSUAN_MAX_PAGES" in output
    assert not (home / "landing").exists()
    assert not (home / "warehouse.duckdb").exists()
    # AND the failed task's on_failure_callback mailed the maintainer: task, run, error
    [mail] = inbox.messages
    assert str(mail["Subject"]).startswith("[yusuan] task pull failed in manual__")
    [body] = inbox.bodies()
    assert "Task pull of DAG yusuan_load failed in run manual__" in body
    assert "AirflowFailException: DAG conf limits.max_pages = 100000" in body
