"""Shared fixtures: paths of bundled PDFs, an isolated Airflow home, yusuan settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SAMPLES = TESTS / "pdfs" / "samples"
REAL = TESTS / "pdfs" / "real"


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Airflow home with a migrated SQLite metadata DB, set before airflow is imported."""
    from extract.airflow_run import airflow_env
    from extract.settings import Settings

    home = tmp_path_factory.mktemp("yusuan-home")
    settings = Settings(home=home)
    os.environ.update(airflow_env(settings))
    return settings.airflow_home
