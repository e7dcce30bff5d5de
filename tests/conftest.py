"""Shared fixtures: paths of bundled PDFs, an isolated Airflow home, yusuan settings."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.pdf import read_pages
from extract.tables import LogicalTable, stitch

TESTS = Path(__file__).resolve().parent
SAMPLES = TESTS / "pdfs" / "samples"
REAL = TESTS / "pdfs" / "real"


@cache
def extract_once(path: Path) -> Extracted:
    """A bundled PDF extracted once per test session (shared by every test module)."""
    return extract_document(path, document_id=path.name, source_uri=str(path))


@cache
def logical_tables(path: Path) -> list[LogicalTable]:
    return stitch(read_pages(path))


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Airflow home with a migrated SQLite metadata DB, set before airflow is imported."""
    from yusuan.airflow_run import airflow_env
    from yusuan.settings import Settings

    home = tmp_path_factory.mktemp("yusuan-home")
    settings = Settings(home=home)
    os.environ.update(airflow_env(settings))
    return settings.airflow_home
